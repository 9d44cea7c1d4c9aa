/**
 * Vietnamese, enforced: every page of the product (the route tree under src/routes, each with a real
 * URL), as an administrator, a leader and an officer of Xã Thanh Oai, read in Vietnamese: its visible
 * text, its placeholders, labels, titles, buttons and options. A word in plain ASCII letters must be
 * a code or acronym of the short allow-list, or a Vietnamese syllable that carries no diacritic; a
 * number of five digits or more must be grouped ("14.202"), a day written dd/mm/yyyy, "điểm" never
 * shortened to "đ" (it reads as đồng). Not words of the screen, so not read: the data's own names
 * and codes (units, sources, people, screens, files), and what is code by its markup (<code>, <kbd>,
 * <pre>, <samp>, translate="no", spellcheck="false" fields) or by its shape (snake_case, a.b, $x, {x},
 * camelCase, a-b, a/b: what an administrator types exactly as written).
 *
 * And the date fields: dd/mm/yyyy and a Vietnamese calendar (Monday first) in a browser set to
 * American English, usable from the keyboard, posting the ISO day; a text that is no day named in words.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import postgres from 'postgres';
import { base, signIn, type DemoUser } from './auth.ts';

/** Codes, acronyms and names of products or systems that are written as they are in Vietnamese too. */
const ALLOWED = new Set(
  [
    'VNeID', 'TTHC', 'CSV', 'API', 'URL', 'JSON', 'HTTP', 'HTTPS', 'ID', 'PDF', 'SMTP', 'City', 'Ops', 'XLSX', 'Excel', 'JSONata', 'Luxon', 'OpenAPI',
    'DVCQG', 'GSO', 'VN', 'BC', 'CP', 'UBND', 'GET', 'POST', 'KB', 'MB', 'ms', 'VI', 'EN', 'CN', 'Ctrl', 'Bearer', 'Authorization',
    // An alert's channel to a chat bridge: the word Vietnamese administrators use for it.
    'webhook',
    // The header's language switch names the other language in that language.
    'English',
    // The day's and the time's patterns as a form asks for them: dd/mm/yyyy, HH:mm.
    'dd', 'mm', 'yyyy', 'MM', 'HH'
  ].map((w) => w.toLowerCase())
);
/** Vietnamese syllables that carry no diacritic. */
const SYLLABLES = new Set(
  ('ban cho co tin theo ho so to con khi hay nay thu sao kho tra xa trong trang ghi sau thay dung xong danh ngay qua cao do vi hai ra quan xem ' +
    'khai gian thao gia trung sai chi vai chu bao nam anh chia sang ta vui xu kia nhau khu thanh tai mai tim loai lai hoa an ba tam minh long ' +
    'phong tay bac binh hung phu ha van mo gan chon nhan moi tu la bi di ve lo cu luu dang tong hon chung khoa hoi xin giao sinh doanh cung truy ' +
    'quy ai').split(' ')
);

type Who = Exclude<DemoUser, 'officer-so-noi-vu'>;
const PEOPLE: Who[] = ['admin', 'leader', 'officer-thanh-oai'];

/** The route tree's pages, each as one URL (or several); a new page without its URL here fails the test. */
function routeIds(): string[] {
  const root = path.resolve('src/routes');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name === '+page.svelte') out.push('/' + path.relative(root, dir).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.map((r) => (r === '/' ? r : r.replace(/\/$/, ''))).sort();
}

const WALL_SCENES = ['kpis', 'board', 'map', 'movers', '766', 'sources'];

interface Names {
  strip: RegExp;
  codes: Set<string>;
  runId: number;
  userId: number;
}

/** The URLs of a route, or null for a page that is no page (the sign-out form's, the wall's per role…). */
function urlsOf(route: string, who: Who, d: Names): string[] | null {
  const admin = who === 'admin';
  const table: Record<string, string[]> = {
    '/': ['/', '/?period=day', '/?period=report_month', '/?scheme=national_766_progress'],
    '/alerts': ['/alerts'],
    '/login': [],
    '/logout': [],
    '/units/[code]': who === 'officer-thanh-oai' ? ['/units/10114', '/units/00004'] : ['/units/01', '/units/10114', '/units/278', '/units/10114?period=report_month'],
    '/units/[code]/indicators/[key]': ['/units/10114/indicators/dossier.on_time', '/units/10114/indicators/dossier.on_time?period=day'],
    '/units/[code]/indicators/[key]/samples': ['/units/10114/indicators/dossier.on_time/samples'],
    '/wall': WALL_SCENES.map((s) => `/wall?scene=${s}`),
    // The briefing's print page; an officer of a commune (no units under it) reads why there is none, and the city's refused.
    '/briefings/print': who === 'officer-thanh-oai' ? ['/briefings/print', '/briefings/print?scope=01'] : ['/briefings/print', '/briefings/print?period=month'],
    '/admin': ['/admin'],
    '/admin/alerts': ['/admin/alerts'],
    '/admin/targets': ['/admin/targets'],
    '/admin/briefings': ['/admin/briefings'],
    '/admin/api-tokens': ['/admin/api-tokens'],
    '/admin/audit': ['/admin/audit'],
    '/admin/reconciliation': ['/admin/reconciliation'],
    '/admin/schemes': ['/admin/schemes'],
    '/admin/sources': ['/admin/sources'],
    '/admin/sources/[key]': ['/admin/sources/motcua', '/admin/sources/tai-len-hoso'],
    '/admin/sources/[key]/runs/[id]': [`/admin/sources/motcua/runs/${d.runId}`],
    '/admin/sources/new': ['/admin/sources/new'],
    '/admin/tokens': ['/admin/tokens'],
    '/admin/units': ['/admin/units'],
    '/admin/uploads': ['/admin/uploads'],
    '/admin/users': ['/admin/users'],
    '/admin/users/[id]': [`/admin/users/${d.userId}`]
  };
  if (!Object.hasOwn(table, route)) return null;
  // Others than the administrator read the administration's 403 page (once is enough).
  if (route.startsWith('/admin') && !admin) return route === '/admin/sources' ? ['/admin/sources'] : [];
  return table[route]!;
}

interface Read {
  texts: string[];
  nativeDateFields: number;
  shownFileButtons: number;
  dateValues: string[];
}

/** What a reader sees of a page, and what a screen reader says of its fields; code by its markup left out. */
function readPage(page: Page): Promise<Read> {
  return page.evaluate(() => {
    const CODE = 'code, kbd, pre, samp, script, style, noscript, [translate="no"], [spellcheck="false"]';
    const texts: string[] = [];
    const isCode = (el: Element | null) => !!el && !!el.closest(CODE);
    const shown = (el: Element) => el.checkVisibility({ opacityProperty: false, visibilityProperty: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim() || isCode(el) || el.closest('select') || !shown(el)) continue;
      texts.push(n.textContent);
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
      if (isCode(el) || el.matches('[spellcheck="false"]')) continue;
      for (const a of ['placeholder', 'aria-label', 'title', 'alt']) {
        const v = el.getAttribute(a);
        if (v?.trim()) texts.push(v);
      }
    }
    for (const el of document.querySelectorAll<HTMLInputElement>('input[type="submit"], input[type="button"]')) texts.push(el.value);
    for (const sel of document.querySelectorAll('select')) {
      if (isCode(sel)) continue;
      for (const o of sel.options) texts.push(o.text);
    }
    const nativeDateFields = [...document.querySelectorAll('input[type="date"], input[type="datetime-local"], input[type="month"], input[type="week"]')].length;
    // A native file field must be drawn as our button: it is there, but not seen.
    const shownFileButtons = [...document.querySelectorAll<HTMLInputElement>('input[type="file"]')].filter((f) => getComputedStyle(f).opacity !== '0').length;
    const dateValues = [...document.querySelectorAll<HTMLInputElement>('input[data-iso]')].map((i) => i.value);
    return { texts, nativeDateFields, shownFileButtons, dateValues };
  });
}

/** Each word, number and day of the text that breaks the rules, with the reason. */
function problemsOf(text: string, names: Pick<Names, 'strip' | 'codes'>): string[] {
  const out: string[] = [];
  // What is quoted is a literal, as typed or as shown elsewhere ("metrics: a, b", «month», “Kiểm tra”).
  const t = text.replace(names.strip, ' ').replace(/"[^"\n]*"|“[^”]*”|«[^»]*»/g, ' ');
  if (/\d\s*đ(?!\p{L})/u.test(t)) out.push(`"đ" after a number (write "điểm"): ${t.trim().slice(0, 80)}`);
  for (const chunk of t.split(/\s+/)) {
    const core = chunk.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '');
    if (!core) continue;
    if (names.codes.has(core) || chunk.startsWith('#')) continue;
    // Days.
    if (/\d{4}-\d{2}-\d{2}/.test(core)) out.push(`day not written dd/mm/yyyy: ${core}`);
    const d = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(core);
    if (d && Number(d[2]) > 12) out.push(`month first: ${core}`);
    // Numbers: five digits or more are grouped.
    if (/(^|[^\d.,])\d{5,}/.test(core) && !/\p{L}/u.test(core.replace(/\d/g, ''))) out.push(`number not grouped: ${core}`);
    // Words.
    const identifier = /[_$@{}=<>\\|+[\]]/.test(chunk) || /\p{L}[.:/-]\p{L}|[a-z][A-Z]|\d/u.test(core);
    if (identifier) continue;
    for (const w of core.match(/\p{L}+/gu) ?? []) {
      if (!/^[A-Za-z]+$/.test(w)) continue; // Vietnamese letters
      if (w.length === 1) continue; // a variable, a letter of a list (a, b), the T of T2
      const lower = w.toLowerCase();
      if (ALLOWED.has(lower) || SYLLABLES.has(lower)) continue;
      out.push(`English (or unknown) word: ${w} in "${t.trim().slice(0, 120)}"`);
    }
  }
  return out;
}

let names: Names;

test.beforeAll(async () => {
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ v: string }[]>`
      select name as v from units union select name from data_sources union select key from data_sources
      union select display_name from users union select username from users union select name from display_tokens
      union select name from api_tokens union select actor_name from audit_log union select file_name from pending_uploads where file_name is not null`;
    const codes = await sql<{ v: string }[]>`select distinct gso_code as v from units`;
    const units = await sql<{ v: string }[]>`select distinct name as v from units`;
    // The first scheduled poll of motcua (every 2 s here) gives a run to open; nothing announces it across processes.
    let runId = 0;
    for (let i = 0; i < 150 && !runId; i++) {
      const [run] = await sql<{ id: number }[]>`select r.id from poll_runs r join data_sources s on s.id = r.source_id where s.key = 'motcua' order by r.id limit 1`;
      if (run) runId = run.id;
      else await sql`select pg_sleep(0.2)`;
    }
    const [user] = await sql<{ id: number }[]>`select id from users where username = 'leader'`;
    // A unit is also shown by its name without its type ("Thanh Oai" of "Xã Thanh Oai", "Kim Bài" of "Thị trấn Kim Bài").
    const shortNames = units.flatMap((u) => {
      const words = u.v.split(/\s+/);
      return [words.slice(1).join(' '), words.slice(2).join(' ')].filter((s) => s.split(' ').length >= 2);
    });
    const list = [...new Set([...rows.map((r) => r.v), ...shortNames])].filter((v) => v && v.trim().length > 1).sort((a, b) => b.length - a.length);
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names = { strip: new RegExp(`(?<!\\p{L})(?:${list.map(escape).join('|')})(?!\\p{L})`, 'gu'), codes: new Set(codes.map((c) => c.v)), runId, userId: user!.id };
  } finally {
    await sql.end();
  }
  expect(names.runId, 'a poll run of motcua').toBeGreaterThan(0);
});

async function asPerson(browser: Browser, who: Who | null, locale = 'vi-VN') {
  const context = await browser.newContext({ locale, timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width: 1920, height: 1080 } });
  if (who) await signIn(context.request, who);
  return { context, page: await context.newPage() };
}

test('the rule itself: English words, ungrouped numbers, ISO and month-first days, "đ" are caught; codes and names are not', () => {
  const n = { strip: /(?<!\p{L})(?:Xã Thanh Oai|motcua)(?!\p{L})/gu, codes: new Set(['10114']) };
  expect(problemsOf('Xã Thanh Oai (10114) · 14.202 hồ sơ · 11.457 ms · 03/12/2026 · theo ngày', n)).toEqual([]);
  expect(problemsOf('Nguồn motcua: gso_code, merged_into, $number(x), {from}, unitCode, Content-Type, "metrics", VNeID, CSV', n)).toEqual([]);
  expect(problemsOf('Choose File', n)).toHaveLength(2);
  expect(problemsOf('Đã nhận 14202 dòng', n)).toEqual(['number not grouped: 14202']);
  expect(problemsOf('11457 ms', n)).toEqual(['number not grouped: 11457']);
  expect(problemsOf('ngày 2026-12-03', n)).toEqual(['day not written dd/mm/yyyy: 2026-12-03']);
  expect(problemsOf('12/25/2026', n)).toEqual(['month first: 12/25/2026']);
  expect(problemsOf('Tổng 18,05 đ', n)[0]).toMatch(/^"đ" after a number/);
});

for (const who of PEOPLE) {
  test(`every page read in Vietnamese by ${who}: no English word, numbers grouped, days dd/mm/yyyy, no native date or file field`, async ({ browser }) => {
    test.setTimeout(300_000);
    const { context, page } = await asPerson(browser, who);
    const failures: string[] = [];
    let pages = 0;
    for (const route of routeIds()) {
      const urls = urlsOf(route, who, names);
      if (urls === null) {
        failures.push(`${route}: no URL to read it by (add one to locale.spec.ts)`);
        continue;
      }
      for (const url of urls) {
        const r = await page.goto(`${base()}${url}`);
        expect(r, url).not.toBeNull();
        await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
        const read = await readPage(page);
        pages++;
        const seen = new Set<string>();
        for (const text of read.texts) {
          for (const p of problemsOf(text, names)) {
            if (seen.has(p)) continue;
            seen.add(p);
            failures.push(`${url} (${r!.status()}): ${p}`);
          }
        }
        if (read.nativeDateFields) failures.push(`${url}: ${read.nativeDateFields} native date field(s) (the browser's order)`);
        if (read.shownFileButtons) failures.push(`${url}: ${read.shownFileButtons} native file button(s) ("Choose File")`);
        for (const v of read.dateValues) if (v && !/^\d{2}\/\d{2}\/\d{4}$/.test(v)) failures.push(`${url}: a date field shows "${v}"`);
      }
    }
    await context.close();
    expect(pages).toBeGreaterThan(who === 'admin' ? 25 : 10);
    expect(failures).toEqual([]);
  });
}

test('the sign-in page, read by nobody yet, is Vietnamese', async ({ browser }) => {
  const { context, page } = await asPerson(browser, null);
  await page.goto(`${base()}/login`);
  const read = await readPage(page);
  expect(read.texts.length).toBeGreaterThan(3);
  expect(read.texts.flatMap((t) => problemsOf(t, names))).toEqual([]);
  await context.close();
});

test('a day is typed and picked dd/mm/yyyy in a browser set to American English; the calendar is Vietnamese and works from the keyboard', async ({ browser }) => {
  const { context, page } = await asPerson(browser, 'leader', 'en-US');
  await page.goto(`${base()}/units/10114?period=day&date=2026-10-05`);
  const field = page.getByLabel('Ngày trong kỳ');
  await expect(field).toHaveValue('05/10/2026');
  await expect(field).toHaveAttribute('type', 'text');

  // The calendar: October 2026 in Vietnamese, from Monday, the chosen day marked.
  await page.getByRole('button', { name: 'Chọn ngày trên lịch' }).click();
  const calendar = page.getByRole('dialog', { name: 'Lịch chọn ngày: Ngày trong kỳ' });
  await expect(calendar).toBeVisible();
  await expect(calendar.locator('.title')).toHaveText('Tháng 10 năm 2026');
  await expect(calendar.locator('th')).toHaveText(['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN']);
  // 01/10/2026 is a Thursday: the first row starts on Monday 28/09.
  await expect(calendar.locator('tbody tr').nth(0).locator('button').first()).toHaveAttribute('data-day', '2026-09-28');
  await expect(page.getByRole('button', { name: 'Thứ Hai, 05/10/2026' })).toBeFocused();

  // The keyboard: a week on, a day back, a month on (Page Down), then Enter picks 11/11/2026.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('button', { name: 'Chủ Nhật, 11/10/2026' })).toBeFocused();
  await page.keyboard.press('PageDown');
  await expect(calendar.locator('.title')).toHaveText('Tháng 11 năm 2026');
  await expect(page.getByRole('button', { name: 'Thứ Tư, 11/11/2026' })).toBeFocused();
  await page.keyboard.press('Enter');
  // The form sends the ISO day: the address says so, the field shows it dd/mm/yyyy.
  await expect(page).toHaveURL(/[?&]date=2026-11-11(&|$)/);
  await expect(page.getByLabel('Ngày trong kỳ')).toHaveValue('11/11/2026');

  // Typed: 5/1/2026 is the 5th of January, not May.
  await page.getByLabel('Ngày trong kỳ').fill('5/1/2026');
  await page.getByLabel('Ngày trong kỳ').press('Enter');
  await expect(page).toHaveURL(/[?&]date=2026-01-05(&|$)/);
  await expect(page.getByLabel('Ngày trong kỳ')).toHaveValue('05/01/2026');

  // Escape closes the calendar and gives the keyboard back to its button.
  await page.getByRole('button', { name: 'Chọn ngày trên lịch' }).click();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Chọn ngày trên lịch' })).toBeFocused();

  // A text that is no day is named, with its field, in words; nothing is sent.
  await page.getByLabel('Ngày trong kỳ').fill('31/02/2026');
  await page.getByLabel('Ngày trong kỳ').press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Ngày trong kỳ: "31/02/2026" không phải một ngày' })).toBeVisible();
  await expect(page).toHaveURL(/[?&]date=2026-01-05(&|$)/);
  await expect(page.getByLabel('Ngày trong kỳ')).toHaveAttribute('aria-invalid', 'true');
  await context.close();
});

test("a display token's last day is picked on the calendar and kept as that day", async ({ browser }) => {
  const { context, page } = await asPerson(browser, 'admin', 'en-US');
  await page.goto(`${base()}/admin/tokens`);
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
  const field = page.getByLabel('Hiệu lực đến hết ngày');
  await expect(field).toHaveAttribute('placeholder', 'dd/mm/yyyy');
  // A day that is no day is refused by name, by the server too.
  await page.locator('input[name="name"]').fill('e2e locale');
  await field.fill('30/02/2099');
  await page.getByRole('button', { name: 'Tạo màn hình', exact: true }).click();
  await expect(page.locator('#expiresOn-error')).toHaveText('Hiệu lực đến hết ngày: "30/02/2099" không phải một ngày (dd/mm/yyyy, ví dụ 01/07/2025).');
  // Picked: the 15th of next month, by the calendar.
  await page.getByLabel('Hiệu lực đến hết ngày').fill('');
  await page.getByRole('button', { name: 'Chọn ngày trên lịch' }).click();
  await page.getByRole('button', { name: 'Tháng sau' }).click();
  const day = page.locator('[data-calendar] button[data-day$="-15"]:not(.other)');
  const iso = await day.first().getAttribute('data-day');
  await day.first().click();
  const [y, mo, d] = iso!.split('-');
  await expect(page.getByLabel('Hiệu lực đến hết ngày')).toHaveValue(`${d}/${mo}/${y}`);
  await expect(page.locator('input[type="hidden"][name="expiresOn"]')).toHaveValue(iso!);
  await page.getByRole('button', { name: 'Tạo màn hình', exact: true }).click();
  const row = page.locator('tr', { hasText: 'e2e locale' }).first();
  await expect(row).toContainText(`${d}/${mo}/${y}`);
  await context.close();
});

test('the units file fields are Vietnamese buttons that name the chosen file', async ({ browser }) => {
  const { context, page } = await asPerson(browser, 'admin', 'en-US');
  await page.goto(`${base()}/admin/units`);
  const register = page.getByLabel('Danh mục đơn vị (CSV)');
  const wrap = page.locator('.file-input').filter({ has: register });
  await expect(wrap).toContainText('Chọn tệp…');
  await expect(wrap).toContainText('Chưa chọn tệp');
  await register.setInputFiles({ name: 'danh-muc.csv', mimeType: 'text/csv', buffer: Buffer.from('gso_code,name\n') });
  await expect(wrap.locator('[data-field="file-name"]')).toHaveText('danh-muc.csv');
  await context.close();
});
