/**
 * The wall (issue 5) in Chromium against the real product: every scene at 1920×1080 and 3840×2160
 * (screenshots kept in test-results/wall/), every text node of every scene, header and footer
 * included, at least 24 px / 48 px (issue 16, test/e2e/wall-text.ts), the token screens, rotation
 * and pinning, and a web server stopped and started under a running screen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { AUTH_CHANNEL } from '../../src/lib/contract/notify.ts';
import { today } from '../../src/lib/domain/periods.ts';
import { freePort } from '../support/ports.ts';
import { base, signIn, simulator } from './auth.ts';
import { expectLegible, floorPx } from './wall-text.ts';

const db = () => postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });

/** Issues a display token straight into the product's database, as the admin screen does. */
async function issueToken(playlist: { scenes: string[]; dwellSeconds: number }, opts: { scope?: string; expiresAt?: string; revoked?: boolean } = {}) {
  const token = randomBytes(32).toString('base64url');
  const sql = db();
  const [row] = await sql<{ id: number }[]>`
    insert into display_tokens (name, token_hash, scope_unit_id, playlist, expires_at, revoked_at)
    select 'e2e wall', ${createHash('sha256').update(token).digest('hex')}, id, (${JSON.stringify(playlist)}::text)::jsonb,
           ${opts.expiresAt ?? null}, ${opts.revoked ? new Date().toISOString() : null}
    from units where gso_code = ${opts.scope ?? '01'} returning id`;
  await sql.end();
  return { token, id: row!.id };
}

/** Nothing scrolls, and no text in the frame is cut off or outside the screen. */
async function expectFits(page: Page) {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > innerWidth || root.scrollHeight > innerHeight) out.push(`page scrolls: ${root.scrollWidth}×${root.scrollHeight}`);
    const scene = document.querySelector('main.scene')!.getBoundingClientRect();
    for (const el of document.querySelectorAll<HTMLElement>('.frame *')) {
      if (!el.childNodes.length || ![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) out.push(`outside the screen: "${el.textContent!.trim().slice(0, 40)}"`);
      // A scene's text past its own area is clipped under the footer.
      if (el.closest('main.scene') && r.bottom > scene.bottom + 1) out.push(`below the scene: "${el.textContent!.trim().slice(0, 40)}"`);
      const style = getComputedStyle(el);
      if (style.overflow !== 'visible' && el.scrollWidth > el.clientWidth + 2) out.push(`cut off: "${el.textContent!.trim().slice(0, 40)}"`);
    }
    return out;
  });
  expect(problems).toEqual([]);
}

const SCENES = ['kpis', 'board', 'map', 'movers', 'sources'];

/** No name on the board's page is cut short (an ellipsis hides the end of a text wider than its cell). */
async function boardNamesWhole(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.wallboard li > span')].flatMap((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect().width > el.clientWidth + 1 ? [el.textContent!.trim()] : [];
    })
  );
}

test('every scene fits 1920×1080 and 3840×2160 without scrolling, every text on it 24 px and more (48 px on 2160p); the board and the map show every commune through their pages', async ({ browser, request }) => {
  test.setTimeout(240_000);
  await signIn(request, 'leader');
  const city = (await (await request.get(`${base()}/api/v1/rankings?scope=01&period=month&date=${today()}`)).json()) as {
    rows: { unitCode: string; unitLevel: string }[];
    groups: { level: string; count: number }[];
  };
  expect(city.groups[0]).toMatchObject({ level: 'commune', count: 126 });
  const departments = city.groups[1]!.count;
  const departmentTypes = await departmentWords(request);
  // 126 communes in 4 pages of 32, 32, 31, 31 (two columns of 16), then the departments on a page of their own
  // (one column: their names are long).
  const expectedPages = 4 + Math.ceil(departments / 20);
  const { token } = await issueToken({ scenes: SCENES, dwellSeconds: 30 });
  await mkdir('test-results/wall', { recursive: true });
  for (const [width, height] of [[1920, 1080], [3840, 2160]] as const) {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    const page = await context.newPage();
    // The token moves into a cookie and out of the address bar.
    await page.goto(`${base()}/wall?token=${token}`);
    await expect(page).toHaveURL(`${base()}/wall`);
    // The page's clock is driven by the test (paused, then moved): the board's pages turn when it says so.
    await page.clock.install();
    await page.clock.pauseAt(new Date(Date.now() + 1_000));
    for (const scene of SCENES) {
      await page.goto(`${base()}/wall?scene=${scene}`);
      await expect(page.locator(`.wall[data-scene="${scene}"]`)).toBeVisible();
      await expect(page.locator('[data-connection="live"]')).toBeVisible();
      // Vietnamese clock and date, and "as of" on the screen.
      await expect(page.locator('.clock')).toHaveText(/^\d{2}:\d{2}$/);
      await expect(page.locator('.date')).toHaveText(/^(Thứ|Chủ)[^,]+, \d{2}\/\d{2}\/\d{4}$/i);
      await expect(page.locator('[data-field="as-of"]')).toContainText(/số liệu đến \d{2}:\d{2}/);
      if (scene === 'board') {
        // Through its rotation: every page fits, says which it is and which ranks, every text 24 px and more on 1080p.
        const seen = new Set<string>();
        for (let n = 1; n <= expectedPages; n++) {
          const board = page.locator(`.wallboard[data-page="${n}"]`);
          await expect(board).toBeVisible();
          await expect(board).toHaveAttribute('data-pages', String(expectedPages));
          const marker = await page.locator('[data-field="page-marker"]').textContent();
          expect(marker).toMatch(new RegExp(`^trang ${n}/${expectedPages} · hạng \\d+–\\d+`));
          const heading = page.locator('.wallboard [data-field="group-heading"]');
          await expect(heading).toContainText(n <= 4 ? 'Xếp hạng 126 xã, phường' : 'Các ');
          for (const code of await page.locator('.wallboard li[data-unit]').evaluateAll((els) => els.map((e) => e.getAttribute('data-unit')!))) seen.add(code);
          await expectLegible(page, width, `the board's page ${n} at ${width}×${height}`);
          expect(await boardNamesWhole(page)).toEqual([]);
          await expectFits(page);
          await page.screenshot({ path: `test-results/wall/board-${width}x${height}-page${n}.png` });
          // Pinned, the scene still turns its pages: 30 s a scene, at least 10 s a page (5 pages: 50 s, 10 s each).
          await page.clock.runFor(10_000);
        }
        expect(seen.size).toBe(city.rows.length);
        await expect(page.locator(`.wallboard[data-page="1"]`)).toBeVisible();
        continue;
      }
      if (scene === 'map') {
        // 126 named tiles at 24 px: the city's west half, then its east half.
        const tiles = new Set<string>();
        for (const [n, side] of [[1, 'phía tây'], [2, 'phía đông']] as const) {
          await expect(page.locator(`.wallmap[data-page="${n}"][data-pages="2"]`)).toBeVisible();
          await expect(page.locator('[data-field="map-marker"]')).toHaveText(`${side} · trang ${n}/2`);
          for (const code of await page.locator('.wallmap .tile[data-unit]').evaluateAll((els) => els.map((e) => e.getAttribute('data-unit')!))) tiles.add(code);
          // The communes have a place; the departments have none, and the line under the map says so.
          await expect(page.locator('[data-field="not-on-map"]')).toHaveText(`${departments} ${departmentTypes} không có địa bàn trên bản đồ`);
          // Colour is never alone: every ranked tile names its rank and band.
          for (const text of await page.locator('.wallmap .tile .meta').allTextContents()) expect(text).toMatch(/^#\d+ · \S|^chưa xếp hạng$/);
          await expectLegible(page, width, `the map's page ${n} at ${width}×${height}`);
          await expectFits(page);
          await page.screenshot({ path: `test-results/wall/map-${width}x${height}-page${n}.png` });
          // Pinned, the map turns its pages too: the 30 s dwell time shared by its two pages.
          await page.clock.runFor(15_000);
        }
        expect(tiles.size).toBe(126);
        continue;
      }
      if (scene === 'movers') await expect(page.locator('[data-field="movers-group"]')).toHaveText('Trong 126 xã, phường');
      if (scene === 'kpis') {
        await expect(page.locator('.kpi')).toHaveCount(4);
        await expect(page.locator('.kpi .asof').first()).toContainText(/cập nhật \d{2}:\d{2}/);
        // Each trend line says what its top and bottom stand for.
        await expect(page.locator('.kpi [data-field="scale-max"]')).toHaveCount(4);
        for (const text of await page.locator('.kpi [data-field="scale-max"], .kpi [data-field="scale-min"]').allTextContents()) expect(text).toMatch(/^\d+(,\d)?\s?%$/);
      }
      if (scene === 'sources') {
        // Every configured source (the demo's five, and any an administrator added in another test).
        const health = (await (await page.request.get(`${base()}/api/v1/sources/health`)).json()) as unknown[];
        expect(health.length).toBeGreaterThanOrEqual(5);
        await expect(page.locator('.sources li[data-source]')).toHaveCount(health.length);
      }
      await expectLegible(page, width, `the ${scene} scene at ${width}×${height}`);
      await expectFits(page);
      await page.screenshot({ path: `test-results/wall/${scene}-${width}x${height}.png` });
    }
    await context.close();
  }
});

/** The departments' types as the register writes them, lower-cased: "sở, ngành, ban". */
async function departmentWords(request: import('@playwright/test').APIRequestContext): Promise<string> {
  const city = await (await request.get(`${base()}/api/v1/rankings?scope=01&period=month&date=${today()}`)).json();
  return (city.groups[1].types as string[]).map((t) => t.toLowerCase()).join(', ');
}

test('a revoked, an expired, a wrong and a missing token each get their own screen, never the sign-in page', async ({ page }) => {
  const revoked = await issueToken({ scenes: ['board'], dwellSeconds: 30 }, { revoked: true });
  const expired = await issueToken({ scenes: ['board'], dwellSeconds: 30 }, { expiresAt: '2026-01-01T00:00:00Z' });
  const cases = [
    { url: `/wall?token=${revoked.token}`, reason: 'revoked', title: 'Mã màn hình đã bị thu hồi', status: 403 },
    { url: `/wall?token=${expired.token}`, reason: 'expired', title: 'Mã màn hình đã hết hạn', status: 403 },
    { url: `/wall?token=not-a-token`, reason: 'unknown', title: 'Mã màn hình không đúng', status: 403 },
    { url: `/wall`, reason: 'missing', title: 'Màn hình chưa được cấp mã', status: 401 }
  ];
  for (const c of cases) {
    const response = await page.goto(`${base()}${c.url}`);
    expect(response?.status()).toBe(c.status);
    await expect(page.locator(`[data-refusal="${c.reason}"]`)).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(c.title);
    expect(page.url()).not.toContain('/login');
    await expect(page.locator('input[type="password"]')).toHaveCount(0);
    // Read from across the room too: no text under 24 px on 1920×1080.
    const small = await page.locator('.refusal').evaluate((root, floor) => {
      const out: string[] = [];
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const px = parseFloat(getComputedStyle(n.parentElement!).fontSize);
        if (n.textContent!.trim() && px < floor) out.push(`${px} px: "${n.textContent!.trim()}"`);
      }
      return out;
    }, floorPx(1920));
    expect(small).toEqual([]);
  }
});

test('a token revoked while the screen runs turns it into the revoked screen, without a reload', async ({ page }) => {
  const { token, id } = await issueToken({ scenes: ['board'], dwellSeconds: 30 });
  await page.goto(`${base()}/wall?token=${token}`);
  await expect(page.locator('[data-connection="live"]')).toBeVisible();
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
  const sql = db();
  await sql`update display_tokens set revoked_at = now() where id = ${id}`;
  await sql`select pg_notify(${AUTH_CHANNEL}, ${JSON.stringify({ room: `display:${id}` })})`;
  await sql.end();
  await expect(page.locator('[data-refusal="revoked"]')).toBeVisible({ timeout: 20_000 });
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
});

test('the playlist rotates in order with its dwell time, the board as long as its pages need; a scene pinned from the URL stays', async ({ page }) => {
  const { token } = await issueToken({ scenes: ['kpis', 'board', 'map'], dwellSeconds: 15 });
  await page.goto(`${base()}/wall?token=${token}`);
  // The page's clock is driven by the test from here, paused between its steps: no waiting for real dwell times.
  await page.clock.install();
  await page.clock.pauseAt(new Date(Date.now() + 1_000));
  await page.reload();
  const scene = page.locator('.wall');
  await expect(scene).toHaveAttribute('data-scene', 'kpis');
  await page.clock.runFor(14_000);
  await expect(scene).toHaveAttribute('data-scene', 'kpis');
  await page.clock.runFor(1_500);
  await expect(scene).toHaveAttribute('data-scene', 'board');
  // 126 communes and the departments: 5 pages, 10 s each (more than the 15 s dwell time: a page must be readable).
  const pages = Number(await page.locator('.wallboard').getAttribute('data-pages'));
  expect(pages).toBe(5);
  for (let n = 1; n <= pages; n++) {
    await expect(page.locator('.wallboard')).toHaveAttribute('data-page', String(n));
    await page.clock.runFor(10_000);
  }
  await expect(scene).toHaveAttribute('data-scene', 'map');
  // The map's two halves: 10 s each (20 s, more than the dwell time).
  await expect(page.locator('.wallmap')).toHaveAttribute('data-page', '1');
  await page.clock.runFor(10_000);
  await expect(scene).toHaveAttribute('data-scene', 'map');
  await expect(page.locator('.wallmap')).toHaveAttribute('data-page', '2');
  await page.clock.runFor(10_000);
  await expect(scene).toHaveAttribute('data-scene', 'kpis');

  await page.goto(`${base()}/wall?scene=map`);
  await expect(scene).toHaveAttribute('data-scene', 'map');
  await page.clock.runFor(5 * 60_000);
  await expect(scene).toHaveAttribute('data-scene', 'map');
  await expect(page.locator('.playlist .pinned')).toHaveText('cố định');
  // The map's east half pinned: it stays.
  await page.goto(`${base()}/wall?scene=map&page=2`);
  await expect(page.locator('.wallmap')).toHaveAttribute('data-page', '2');
  await page.clock.runFor(60_000);
  await expect(page.locator('.wallmap')).toHaveAttribute('data-page', '2');

  // One page of the board pinned: the departments' page stays.
  await page.goto(`${base()}/wall?scene=board&page=5`);
  await expect(page.locator('.wallboard')).toHaveAttribute('data-page', '5');
  await expect(page.locator('.wallboard')).toHaveAttribute('data-group', 'department');
  await page.clock.runFor(2 * 60_000);
  await expect(page.locator('.wallboard')).toHaveAttribute('data-page', '5');
  expect((await page.request.get(`${base()}/wall?scene=board&page=0`)).status()).toBe(400);
});

/** A second web process of the product, on its own port, against the same database: the test stops and starts it. */
class WebServer {
  proc: ChildProcess | undefined;
  constructor(readonly port: number) {}
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(release?: string) {
    const env = { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', DATABASE_URL: process.env.E2E_DATABASE_URL!, CITYOPS_RELEASE: release ?? '', EARLY_PERIOD_DAYS: '0' };
    const proc = (this.proc = spawn(process.execPath, ['src/server.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('web: http://')) resolve();
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`the web server exited (${code}):\n${output}`)));
    });
  }
  async stop() {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  }
}

test('a stopped web server or a lost network keeps the data under an offline banner; coming back resyncs, and a new deployment reloads the screen', async ({ page }) => {
  test.setTimeout(120_000);
  const web = new WebServer(await freePort());
  await web.start();
  try {
    const { token } = await issueToken({ scenes: ['board'], dwellSeconds: 30 });
    // The commune ranked last this month: page 4 of the board (ranks 96–126), where it stays after a fall.
    const sql = db();
    const [lastCommune] = await sql<{ code: string }[]>`
      select u.gso_code as code from rankings r join units u on u.id = r.unit_id join units s on s.id = r.scope_unit_id
      where s.gso_code = '01' and u.level = 'commune' and u.valid_to is null and r.scheme_key = 'operations' and r.period_kind = 'month'
        and r.period_start = date_trunc('month', ${today()}::date)::date and r.rank is not null
      order by r.rank desc limit 1`;
    const code = lastCommune!.code;
    // The token moves into the cookie; the parameters stay: that page of the board is kept on the screen.
    await page.goto(`${web.url}/wall?token=${token}&scene=board&page=4`);
    await expect(page).toHaveURL(`${web.url}/wall?scene=board&page=4`);
    const link = page.locator('.wall');
    await expect(page.locator('[data-connection="live"]')).toBeVisible();
    await expect(page.locator('[data-offline-banner]')).toHaveCount(0);
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
    const total = page.locator(`.wallboard li[data-unit="${code}"] [data-field="total"]`);
    const before = (await total.textContent())!;
    const rows = await page.locator('.wallboard li[data-unit]').count();
    expect(rows).toBe(31);

    await web.stop();
    await expect(page.locator('[data-offline-banner]')).toContainText(/Mất kết nối máy chủ từ \d{2}:\d{2}/);
    await expect(link).toHaveAttribute('data-link', /reconnecting|offline/);
    // The last data stays on screen.
    await expect(page.locator('.wallboard li[data-unit]')).toHaveCount(rows);
    await expect(total).toHaveText(before);

    // Meanwhile the one-stop-shop system corrects that commune's figures and the workers recompute the board.
    const r = await fetch(`${simulator()}/_sim/overrides`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ unitCode: code, date: today(), receivedDelta: 4000, onTimeRate: 0 })
    });
    expect(r.ok).toBe(true);
    const storedTotal = async () => {
      const [row] = await sql<{ total: number }[]>`
        select r.total from rankings r join units u on u.id = r.unit_id join units s on s.id = r.scope_unit_id
        where s.gso_code = '01' and u.gso_code = ${code} and u.valid_to is null and r.scheme_key = 'operations' and r.period_kind = 'month' and r.period_start = date_trunc('month', ${today()}::date)::date`;
      return new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(row!.total);
    };
    await expect.poll(storedTotal, { timeout: 30_000 }).not.toBe(before);

    await web.start();
    await expect(page.locator('[data-offline-banner]')).toHaveCount(0, { timeout: 30_000 });
    await expect(page.locator('[data-connection="live"]')).toBeVisible();
    // The screen shows what the database holds now (a later poll may have recomputed it again since the change was seen).
    await expect
      .poll(async () => {
        const [shown, stored] = [await total.textContent(), await storedTotal()];
        return shown === stored ? 'same' : `${shown} on the screen, ${stored} stored`;
      }, { timeout: 30_000 })
      .toBe('same');
    expect(await total.textContent()).not.toBe(before);
    await sql.end();
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');

    // The screen's own network drops and comes back.
    await page.context().setOffline(true);
    await expect(page.locator('[data-offline-banner]')).toBeVisible();
    await expect(page.locator('.wallboard li[data-unit]')).toHaveCount(rows);
    await page.context().setOffline(false);
    await expect(page.locator('[data-offline-banner]')).toHaveCount(0, { timeout: 30_000 });
    await expect(page.locator('[data-connection="live"]')).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');

    // A new deployment answers: the screen reloads itself and comes back live.
    await web.stop();
    const reloaded = page.waitForEvent('load', { timeout: 30_000 });
    await web.start('e2e-next-release');
    await reloaded;
    await expect(page.locator('[data-connection="live"]')).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBeUndefined();
    await expect(page.locator('.wallboard li[data-unit]')).toHaveCount(rows);
  } finally {
    await web.stop();
    await fetch(`${simulator()}/_sim/overrides`, { method: 'DELETE' });
  }
});
