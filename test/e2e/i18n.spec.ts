import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';

import { base, signIn } from './auth.ts';

/** The header's language switch: the language in use, and a link to the other one. */
const current = (page: Page) => page.locator('header [data-locale] [aria-current="true"]');
const switchTo = (page: Page, locale: 'vi' | 'en') => page.locator(`header [data-locale-switch="${locale}"]`);
const localeCookie = async (page: Page) => (await page.context().cookies()).find((c) => c.name === 'cityops_locale')?.value;

test('the screens switch to English and back; the choice sticks across pages, numbers keep the vi-VN formats', async ({ page }) => {
  await signIn(page.request, 'leader');
  await page.goto(`${base()}/units/10114`);

  // Vietnamese by default.
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(current(page)).toHaveText('VI');
  await expect(page.locator('#standing-h')).toHaveText('Vị trí trong Thành phố Hà Nội');
  await expect(page.locator('[data-indicator="eid.activation"] .name a')).toHaveText('Kích hoạt định danh điện tử');

  // To English: back on the very same URL, in English.
  await switchTo(page, 'en').click();
  await expect(page).toHaveURL(`${base()}/units/10114`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(current(page)).toHaveText('EN');
  expect(await localeCookie(page)).toBe('en');

  // English headings and words …
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xã Thanh Oai');
  await expect(page.locator('#standing-h')).toHaveText('Standing in Thành phố Hà Nội');
  // Words from the data: the register's type names kept as they are, the level in English.
  await expect(page.locator('#siblings-h')).toHaveText('Among the 126 communes (xã, phường) of Thành phố Hà Nội');
  await expect(page.locator('[data-section="lineage"]')).toContainText('Formed on 01/07/2025 from:');
  await expect(page.locator('[data-section="lineage"] li[data-predecessor="10114"]')).toContainText('whole · the register says “Nhập toàn bộ”');
  await expect(page.locator('#gaps-h')).toHaveText('To move up a rank or a band');
  await expect(page.locator('#ind-h')).toContainText(/^Indicators rank among the 12\d units of Thành phố Hà Nội$/);
  await expect(page.locator('#src-h')).toContainText('Data sources');
  await expect(page.locator('[data-field="own-rank"]')).toHaveText(/^Rank \d+\/12\d$/);
  await expect(page.locator('[data-gap="rank"]')).toHaveText(
    /^(Needs \d+,\d{2} more points to reach rank \d+ \(.+\): .+|In the lead \(rank 1\)|Tied for rank 1)$/
  );
  await expect(page.locator('[data-section="sources"] li[data-source="motcua"]')).toContainText(/updated at \d{2}:\d{2}/);
  await expect(page.locator('header')).toContainText('Sign out');

  // … English indicator and family names …
  await expect(page.locator('[data-indicator="eid.activation"] .name a')).toHaveText('e-ID activation');
  await expect(page.locator('[data-indicator="dossier.on_time"] .name small')).toContainText('Dossiers · full points at');
  await expect(page.locator('[data-section="history"] h2')).toHaveText('Dossiers on time by day (90 days)');

  // … and the vi-VN number formats all the same.
  const onTime = page.locator('[data-section="indicators"] [data-indicator="dossier.on_time"]');
  await expect(onTime.locator('[data-field="points"]')).toHaveText(/^\d+,\d{2} \/ 20$/);
  await expect(onTime.locator('[data-field="ratio"]')).toHaveText(/^\d+(,\d)?\s?%$/);
  await expect(page.locator('[data-field="own-total"]')).toHaveText(/^\d+,\d{2}$/);

  // The next page follows the choice.
  await page.goto(`${base()}/`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(current(page)).toHaveText('EN');
  await expect(page.locator('.kpi[data-family="dossier"] h3')).toHaveText('Dossiers');
  await expect(page.locator('table.board thead')).toContainText('Total');
  await expect(page.locator('table.board thead')).toContainText('e-ID activation');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Thành phố Hà Nội: 126 communes \(xã, phường\) and \d+ departments \(sở, .+\) ranked$/);
  await expect(page.locator('[data-field="group-heading"]').first()).toContainText('Ranking of 126 communes (xã, phường)');
  await expect(page.locator('.kinds a[data-kind="commune"][data-type=""]')).toContainText('Communes (xã, phường)');
  await expect(page.locator('[data-field="not-on-map"]')).toHaveText(/^The \d+ departments \(sở, .+\) are not on the map: they have no territory of their own\.$/);
  await expect(page.locator('[data-connection="live"]')).toHaveText(/Live/);

  // The wall display stays Vietnamese whatever the cookie says.
  await page.goto(`${base()}/wall?scene=kpis`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(page.locator('.kpi[data-family="dossier"] h3')).toHaveText('Hồ sơ TTHC');
  await expect(page.locator('.kpi .asof').first()).toContainText(/cập nhật \d{2}:\d{2}/);

  // Back to Vietnamese.
  await page.goto(`${base()}/`);
  await switchTo(page, 'vi').click();
  await expect(page).toHaveURL(`${base()}/`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(current(page)).toHaveText('VI');
  await expect(page.locator('.kpi[data-family="dossier"] h3')).toHaveText('Hồ sơ TTHC');
  expect(await localeCookie(page)).toBe('vi');
});

test('the switch needs no script: the server sets the cookie and sends the browser back without the parameter', async ({ request }) => {
  await signIn(request, 'leader');
  const r = await request.get(`${base()}/units/10114?period=month&lang=en`, { maxRedirects: 0 });
  expect(r.status()).toBe(303);
  expect(r.headers()['location']).toBe('/units/10114?period=month');
  expect(r.headers()['set-cookie']).toMatch(/^cityops_locale=en; .*Path=\//i);
  // An unknown language changes nothing but the URL.
  const unknown = await request.get(`${base()}/login?lang=xx`, { maxRedirects: 0 });
  expect(unknown.status()).toBe(303);
  expect(unknown.headers()['set-cookie']).toBeUndefined();
  // Every page after it is rendered in English.
  const html = await (await request.get(`${base()}/units/10114`)).text();
  expect(html).toContain('<html lang="en">');
  expect(html).toContain('Standing in Thành phố Hà Nội');
});

test('an unranked unit says why in the reader’s language: Vietnamese on the Vietnamese page, English on the English one', async ({ page }) => {
  // A commune no system reports yet (new in the register): the city's board cannot rank it,
  // first because the board has not been recomputed with it, then because it has no data at all.
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const code = '99901';
  try {
    const [unit] = await sql<{ id: number }[]>`
      insert into units (gso_code, name, level, type, parent_id)
      select ${code}, 'Xã Thử Nghiệm', 'commune', 'Xã', id from units where gso_code = '01' returning id`;
    await sql`
      insert into unit_closure (ancestor_id, descendant_id, depth)
      select c.ancestor_id, ${unit!.id}::int, c.depth + 1 from unit_closure c join units p on p.id = c.descendant_id where p.gso_code = '01'
      union all select ${unit!.id}::int, ${unit!.id}::int, 0
      on conflict do nothing`;

    // Not computed yet, or (once a poll has recomputed its district) no data, for some or all indicators.
    const vi = /^(chưa tính cho kỳ này|chưa có số liệu (nào trong kỳ này|về .+))$/;
    const en = /^(not computed for this period yet|no data (at all for this period|for .+))$/;
    const line = (prefix: string, words: RegExp, suffix = '') => new RegExp(`^${prefix}${words.source.slice(1, -1)}${suffix}$`);

    await signIn(page.request, 'leader');
    await page.goto(`${base()}/units/${code}`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
    const own = page.locator('[data-field="own-rank"]');
    await expect(own).toHaveText(line('Chưa xếp hạng: ', vi));
    await expect(own).toHaveAttribute('data-reason', /^(not_computed|no_data)$/);
    await expect(page.locator('[data-gap="rank"]')).toHaveText(line('Chưa xếp hạng \\(', vi, '\\): chưa tính được khoảng cách'));
    await expect(page.locator('[data-gap="band"]')).toHaveCount(0);
    // On the city's board too (found by name: the unranked are on its last page).
    await page.goto(`${base()}/units/01?q=th%E1%BB%AD%20nghi%E1%BB%87m`);
    await expect(page.locator(`tr[data-unit="${code}"] [data-field="not-ranked"]`)).toHaveText(line('Chưa xếp hạng: ', vi));

    // In English: the same reason, in English words.
    await switchTo(page, 'en').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.locator(`tr[data-unit="${code}"] [data-field="not-ranked"]`)).toHaveText(line('Not ranked: ', en));
    await page.goto(`${base()}/units/${code}`);
    await expect(own).toHaveText(line('Not ranked: ', en));
    await expect(page.locator('[data-gap="rank"]')).toHaveText(line('Not ranked \\(', en, '\\): no gap can be worked out yet'));

    // The API keeps the Vietnamese words beside the code, whatever language the screens are in.
    const board = await (await page.request.get(`${base()}/api/v1/rankings?scope=01&period=month`)).json();
    const row = board.rows.find((r: { unitCode: string }) => r.unitCode === code);
    expect(row).toMatchObject({ rank: null, notRanked: { code: expect.stringMatching(/^(not_computed|no_data)$/) }, notRankedReason: expect.stringMatching(vi) });
  } finally {
    // Out of the register again (its stored rankings stay, as a retired unit's do).
    await sql`update units set valid_to = current_date - 1 where gso_code = ${code}`;
    await sql.end();
  }
});

test('the admin screens read in Vietnamese, then in English after the switch', async ({ page }) => {
  await signIn(page.request, 'admin');
  const screens: { path: string; vi: RegExp[]; en: RegExp[] }[] = [
    { path: '/admin/uploads', vi: [/^Duyệt số liệu tải lên$/, /Chờ duyệt \(\d+\)/, /Lưu thiết lập/], en: [/^Upload approvals$/, /Awaiting review \(\d+\)/, /Save the setting/] },
    { path: '/admin/users', vi: [/^Người dùng$/, /Tên đăng nhập/, /Thêm người dùng/], en: [/^Users$/, /User name/, /Add a user/] },
    { path: '/admin/audit', vi: [/^Nhật ký thay đổi$/, /Loại đối tượng/, /Người thực hiện/], en: [/^Audit log$/, /Kind of object/, /Before \/ after/] },
    { path: '/admin/api-tokens', vi: [/^Mã API$/, /Tạo mã API/, /Dùng gần nhất/], en: [/^API tokens$/, /New API token/, /Last used/] },
    { path: '/admin/alerts', vi: [/^Quy tắc cảnh báo$/, /Thêm quy tắc/, /Báo cho các vai trò/], en: [/^Alert rules$/, /New rule/, /Tell these roles/] },
    { path: '/admin/briefings', vi: [/^Gửi báo cáo giao ban theo lịch$/, /Lịch mới/, /Người nhận trong hệ thống/], en: [/^Briefings mailed on a schedule$/, /New schedule/, /People of the installation/] }
  ];
  const check = async (locale: 'vi' | 'en') => {
    for (const s of screens) {
      await page.goto(`${base()}${s.path}`);
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      const [h1, ...words] = s[locale];
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(h1!);
      for (const w of words) await expect(page.locator('main')).toContainText(w);
      await expect(page).toHaveTitle(locale === 'vi' ? / — Quản trị$/ : / — Administration$/);
    }
  };
  await check('vi'); // Vietnamese by default (a fresh context: no language cookie)
  await switchTo(page, 'en').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await check('en');
  // The audit log's own words: entity and action names in English too.
  await page.goto(`${base()}/admin/audit`);
  await expect(page.locator('select[name="entity"] option[value="user"]')).toHaveText('User');
  await switchTo(page, 'vi').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
});
