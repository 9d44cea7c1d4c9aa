/**
 * The display tokens screen (issue 16, item 9) in Chromium against the real product: the scope
 * picked from the unit tree, the scenes put in order with the keyboard and the mouse, the wall's
 * address copied (clipboard, and the selection when there is no clipboard), and the wall playing
 * the playlist in the order chosen. A screenshot at 1920×1080 is kept in test-results/tokens/.
 */
import { mkdir } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { base, signIn } from './auth.ts';

const db = () => postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });

const sceneOrder = (page: Page) => page.locator('fieldset.scenes li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-scene')));

test('an administrator picks the scope from the unit tree, orders the scenes, copies the address; the wall plays them in that order', async ({ page, browser, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base() });
  await signIn(page.request, 'admin');
  await page.goto(`${base()}/admin/tokens`);

  // The unit tree of today: the city at the top, its communes and departments one step in (two tiers, no districts).
  const select = page.getByLabel('Phạm vi (đơn vị)');
  const first = select.locator('option').first();
  await expect(first).toHaveAttribute('value', '01');
  await expect(first).toHaveAttribute('data-depth', '0');
  await expect(select.locator('option[value="10114"]')).toHaveAttribute('data-depth', '1');
  expect(await select.locator('option[value="10114"]').textContent()).toMatch(/^\u00a0{4}\S.*\(10114\)$/);
  await expect(select.locator('option[value="278"]')).toHaveCount(0);
  await expect(select.locator('option[data-depth="2"]')).toHaveCount(0);
  // The search narrows it (without accents); then the city, whose board a wall shows, is chosen.
  await page.getByLabel('Tìm đơn vị theo tên hoặc mã').fill('thanh oai');
  await expect(select.locator('option[value="10114"]')).toHaveCount(1);
  await expect.poll(() => select.locator('option').count()).toBeLessThan(10);
  await page.getByLabel('Tìm đơn vị theo tên hoặc mã').fill('ha noi');
  await expect(select.locator('option[value="01"]')).toHaveCount(1);
  await select.selectOption('01');
  await expect(select).toHaveValue('01');

  // The scenes: movers to the top with the keyboard, map above board with the mouse, the 766 index and sources left out.
  expect(await sceneOrder(page)).toEqual(['kpis', 'board', 'map', 'movers', '766', 'sources']);
  const up = page.getByRole('button', { name: 'Lên: Tăng / giảm hạng' });
  await up.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Enter');
  await expect(up).toBeFocused();
  expect(await sceneOrder(page)).toEqual(['movers', 'kpis', 'board', 'map', '766', 'sources']);
  await expect(up).toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Enter'); // already first: nothing moves
  expect(await sceneOrder(page)).toEqual(['movers', 'kpis', 'board', 'map', '766', 'sources']);
  await page.getByRole('button', { name: 'Lên: Bản đồ' }).click();
  await page.getByRole('button', { name: 'Xuống: Chỉ số tổng hợp' }).click();
  expect(await sceneOrder(page)).toEqual(['movers', 'map', 'kpis', 'board', '766', 'sources']);
  await page.getByRole('checkbox', { name: 'Chỉ số 766' }).uncheck();
  await page.getByRole('checkbox', { name: 'Tình trạng nguồn dữ liệu' }).uncheck();
  await page.getByLabel(/Thời gian mỗi cảnh/).fill('15');
  await page.getByLabel('Tên màn hình', { exact: true }).fill('Phòng họp Thanh Oai (e2e)');
  await page.getByRole('button', { name: 'Tạo màn hình' }).click();

  // Shown once, with a copy button.
  const url = page.locator('#wall-url');
  await expect(url).toHaveValue(/\/wall\?token=/);
  const wallUrl = await url.inputValue();
  const copy = page.getByRole('button', { name: 'Sao chép' });
  await copy.click();
  await expect(page.getByRole('button', { name: 'Đã chép' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(wallUrl);

  await mkdir('test-results/tokens', { recursive: true });
  await page.screenshot({ path: 'test-results/tokens/admin-tokens-1920.png' });

  // The form starts afresh for the next screen: every scene ticked in the wall's order, the city, 30 s.
  await expect(page.locator('fieldset.scenes input[type=checkbox]:checked')).toHaveCount(6);
  expect(await sceneOrder(page)).toEqual(['kpis', 'board', 'map', 'movers', '766', 'sources']);
  await expect(page.getByLabel(/Thời gian mỗi cảnh/)).toHaveValue('30');
  await expect(page.getByLabel('Phạm vi (đơn vị)')).toHaveValue('01');
  await expect(page.getByLabel('Tên màn hình', { exact: true })).toHaveValue('');

  // Stored in the order chosen, scoped to the city.
  const sql = db();
  const [row] = await sql<{ playlist: { scenes: string[]; dwellSeconds: number }; code: string }[]>`
    select t.playlist, u.gso_code as code from display_tokens t join units u on u.id = t.scope_unit_id where t.name = 'Phòng họp Thanh Oai (e2e)'`;
  await sql.end();
  expect(row).toEqual({ playlist: { scenes: ['movers', 'map', 'kpis', 'board'], dwellSeconds: 15 }, code: '01' });
  const listed = page.locator('tr', { hasText: 'Phòng họp Thanh Oai (e2e)' });
  await expect(listed).toContainText('Tăng / giảm hạng, Bản đồ, Chỉ số tổng hợp, Bảng xếp hạng');

  // The wall, on its own browser: the playlist in that order, starting with the first.
  const wall = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const screen = await wall.newPage();
  await screen.goto(wallUrl);
  await expect(screen.locator('.wall')).toHaveAttribute('data-scene', 'movers', { timeout: 20_000 });
  await expect(screen.locator('.playlist li')).toHaveText(['Tăng / giảm hạng', 'Bản đồ', 'Chỉ số tổng hợp', 'Bảng xếp hạng']);
  await wall.close();
});

test('without a clipboard (http on a LAN) the copy button selects the address', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true }));
  await signIn(page.request, 'admin');
  await page.goto(`${base()}/admin/tokens`);
  // Once the page runs (the search narrows the list), the form is filled.
  await page.getByLabel('Tìm đơn vị theo tên hoặc mã').fill('10114');
  await expect.poll(() => page.locator('#scopeCode option').count()).toBeLessThan(5);
  await page.getByLabel('Tìm đơn vị theo tên hoặc mã').fill('');
  await page.getByLabel('Tên màn hình', { exact: true }).fill('Sảnh (e2e, không clipboard)');
  await page.getByRole('button', { name: 'Tạo màn hình' }).click();
  const url = page.locator('#wall-url');
  await expect(url).toHaveValue(/\/wall\?token=/);
  await page.getByRole('button', { name: 'Sao chép' }).click();
  const selected = await url.evaluate((el: HTMLInputElement) => ({ start: el.selectionStart, end: el.selectionEnd, length: el.value.length, focused: document.activeElement === el }));
  expect(selected).toEqual({ start: 0, end: selected.length, length: selected.length, focused: true });
  // Either the old copy command worked ("Đã chép") or the page says to press Ctrl+C: never a silent failure.
  await expect(page.getByRole('button', { name: 'Đã chép' }).or(page.getByText('bấm Ctrl+C để chép'))).toBeVisible();
});

test('in English the same screen speaks English: the scope, the arrows, the copy button', async ({ page, context }) => {
  await context.addCookies([{ name: 'cityops_locale', value: 'en', url: base() }]);
  await signIn(page.request, 'admin');
  await page.goto(`${base()}/admin/tokens`);
  await expect(page.getByLabel('Scope (unit)')).toHaveValue('01');
  await expect(page.getByRole('button', { name: 'Up: Map' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Down: Map' })).toBeVisible();
  await page.getByLabel('Find a unit by name or code').fill('thanh oai');
  await expect.poll(() => page.locator('#scopeCode option').count()).toBeLessThan(10);
  await page.getByLabel('Find a unit by name or code').fill('');
  await page.getByLabel('Screen name', { exact: true }).fill('Lobby (e2e, English)');
  await page.getByRole('button', { name: 'Create the screen' }).click();
  await expect(page.getByRole('button', { name: 'Copy', exact: true })).toBeVisible();
});
