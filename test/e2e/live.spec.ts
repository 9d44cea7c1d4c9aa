import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { periodOf, sameElapsedPart, today } from '../../src/lib/domain/periods.ts';

import { base, signIn, simulator } from './auth.ts';

interface Row { unitCode: string; unitName: string; unitType: string; unitLevel: string; rank: number | null }
interface Group { level: string; types: string[]; count: number }

/** The city's board of this month from the API: the 126 communes, then the departments, each group by rank. */
async function cityBoard(request: import('@playwright/test').APIRequestContext) {
  const board = await (await request.get(`${base()}/api/v1/rankings?scope=01&period=month&date=${today()}`)).json();
  return board as { rows: Row[]; groups: Group[] };
}

test('the overview ranks the 126 communes and the departments each on their own: found by name without accents or by code, filtered by kind, a page at a time, and a live update reaches a row on a later page', async ({ page }) => {
  await signIn(page.request, 'leader');
  const board = await cityBoard(page.request);
  const [communes, departments] = board.groups;
  expect(communes).toMatchObject({ level: 'commune', count: 126 });
  expect(departments!.level).toBe('department');
  const total = board.rows.length;
  expect(total).toBe(126 + departments!.count);

  await page.goto(`${base()}/`);
  // Words from the data: what the children are, never "quận, huyện".
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Thành phố Hà Nội: xếp hạng 126 xã, phường và ${departments!.count} ${departments!.types.map((t) => t.toLowerCase()).join(', ')}`);
  await expect(page.locator('[data-connection="live"]')).toBeVisible();
  await expect(page.locator('tr[data-unit]')).toHaveCount(30);
  await expect(page.locator('[data-field="group-heading"]').first()).toContainText('Xếp hạng 126 xã, phường');
  await expect(page.locator('[data-field="pager-status"]')).toHaveText(`Trang 1/5 · đơn vị 1–30 trên ${total}`);
  // A unit that moved since last month says why, in words.
  await expect(page.locator('[data-field="change"]').first()).toContainText(/^(tăng|giảm) \d+ bậc.*điểm/);
  await expect(page.locator('body')).not.toContainText(/quận, huyện/i);

  // Filter by kind: the departments, ranked 1…n on their own under their own heading.
  await page.locator(`.kinds a[data-kind="department"][data-type=""]`).click();
  await expect(page).toHaveURL(/[?&]kind=department/);
  await expect(page.locator('tr[data-unit]')).toHaveCount(departments!.count);
  await expect(page.locator('[data-field="group-heading"]')).toContainText(`Các ${departments!.types.map((t) => t.toLowerCase()).join(', ')}`);
  await expect(page.locator('tr[data-unit] td.rank strong').first()).toHaveText('1');
  // One type of the communes: the wards only, the group's heading saying how many of it match.
  await page.locator(`.kinds a[data-kind="commune"][data-type="Phường"]`).click();
  const wards = board.rows.filter((r) => r.unitType === 'Phường').length;
  await expect(page.locator('[data-field="pager-status"]')).toContainText(`trên ${wards}`);
  await expect(page.locator('[data-field="group-matching"]')).toHaveText(`${wards}/126 đơn vị khớp`);
  for (const name of await page.locator('tr[data-unit] td.unit a').allTextContents()) expect(name).toMatch(/^Phường /);

  // Search by name without accents (the filter cleared), then by code; each is a URL.
  await page.locator('.kinds a[data-kind=""]').click();
  await page.getByRole('searchbox', { name: 'Tìm đơn vị theo tên hoặc mã' }).fill('xa thanh oai');
  await expect(page).toHaveURL(/[?&]q=xa\+thanh\+oai/);
  await expect(page.locator('tr[data-unit]')).toHaveCount(1);
  await expect(page.locator('tr[data-unit="10114"] td.unit a')).toHaveText('Xã Thanh Oai');
  await page.getByRole('searchbox', { name: 'Tìm đơn vị theo tên hoặc mã' }).fill('01-');
  await expect(page.locator('tr[data-unit]')).toHaveCount(departments!.count);
  await page.goto(`${base()}/?q=d%C3%B4ng%20anh`); // "dông anh": a wrong accent still finds Xã Đông Anh
  await expect(page.locator('tr[data-unit] td.unit a')).toHaveText(['Xã Đông Anh']);
  await expect(page.getByRole('searchbox', { name: 'Tìm đơn vị theo tên hoặc mã' })).toHaveValue('dông anh');

  // Sorted by name (a URL too): the communes A to Z within their group.
  await page.goto(`${base()}/?sort=name`);
  const names = await page.locator('tr[data-unit] td.unit a').allTextContents();
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'vi')));

  // The last commune ranked sits on the last page, beside the departments.
  const last = board.rows.filter((r) => r.unitLevel === 'commune' && r.rank !== null).at(-1)!;
  await page.goto(`${base()}/`);
  await expect(page.locator('[data-connection="live"]')).toBeVisible();
  await page.locator('.pager [data-page-link="5"]').click();
  await expect(page).toHaveURL(/[?&]page=5/);
  const row = page.locator(`tr[data-unit="${last.unitCode}"]`);
  await expect(row).toBeVisible();
  await expect(page.locator('[data-field="group-heading"]').first()).toContainText('(tiếp)');
  const ratio = row.locator('[data-field="dossier.on_time"] .ratio');
  const before = (await ratio.textContent())!;
  expect(before).toMatch(/%/);
  // A marker that a reload would wipe: the pages are the browser's, the board stays live under them.
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));

  // A correction at the one-stop-shop system: 3,000 late dossiers today in that commune.
  const r = await fetch(`${simulator()}/_sim/overrides`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ unitCode: last.unitCode, date: today(), receivedDelta: 3000, onTimeRate: 0 })
  });
  expect(r.ok).toBe(true);
  try {
    // The next scheduled poll (every 2 s here) carries it to page 5 over Socket.IO, and the row flashes.
    await expect(ratio).not.toHaveText(before, { timeout: 30_000 });
    await expect(row).toHaveClass(/changed/);
    await expect(page).toHaveURL(/[?&]page=5/);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
  } finally {
    await fetch(`${simulator()}/_sim/overrides`, { method: 'DELETE' });
  }
});

test('a commune’s page: its place among its siblings, what it was formed from; the ended units before it say so and link on', async ({ page }) => {
  await signIn(page.request, 'leader');
  await page.goto(`${base()}/?q=thanh%20oai`);
  await page.locator('tr[data-unit="10114"] a').click();
  await expect(page).toHaveURL(/\/units\/10114\?period=month/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xã Thanh Oai');
  await expect(page.locator('[data-field="in-force-from"]')).toHaveText('có hiệu lực từ 01/07/2025');
  await expect(page.locator('[data-field="own-rank"]')).toHaveText(/^Hạng \d+\/12\d$/);
  // A window of its siblings, not the whole list: the first, three above and below, the last.
  const siblings = page.locator('[data-section="siblings"]');
  await expect(siblings.locator('h2')).toHaveText('Giữa 126 xã, phường của Thành phố Hà Nội');
  expect(await siblings.locator('li[data-unit]').count()).toBeLessThanOrEqual(9);
  await expect(siblings.locator('li[data-unit="10114"][aria-current="true"]')).toBeVisible();
  await expect(siblings.locator('li[data-unit] .rank').first()).toHaveText('1');
  // The whole board opens on the page that holds it, its group only.
  await siblings.locator('[data-field="whole-board"]').click();
  await expect(page).toHaveURL(/\/units\/01\?period=month&date=[\d-]+&kind=commune/);
  await expect(page.locator('tr[data-unit="10114"]')).toBeVisible();
  await page.goBack();

  // Formed from the old communes, whole or in part, with the register's words and links to them.
  const lineage = page.locator('[data-section="lineage"]');
  await expect(lineage).toContainText('Hình thành ngày 01/07/2025 từ:');
  await expect(lineage.locator('li[data-predecessor="10114"]')).toContainText('Thị trấn Kim Bài');
  await expect(lineage.locator('li[data-predecessor="10114"]')).toContainText('toàn bộ · danh mục ghi “Nhập toàn bộ”');
  await expect(lineage.locator('li[data-predecessor="10159"]')).toContainText(/Xã Kim Thư .*một phần/);
  await lineage.locator('li[data-predecessor="10114"] a').click();
  // Thị trấn Kim Bài kept its code for Xã Thanh Oai: on its own last day the code is its.
  await expect(page).toHaveURL(/\/units\/10114\?period=month&date=2025-06-30$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thị trấn Kim Bài');
  await expect(page.locator('[data-field="ended"]')).toContainText('Đã ngừng hoạt động từ ngày 01/07/2025.');
  await expect(page.locator('[data-section="lineage"] li[data-successor="10114"]')).toContainText('Xã Thanh Oai');

  // Huyện Thanh Oai ended with its communes: its page opens on its last month and names where they went.
  await page.goto(`${base()}/units/278`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Huyện Thanh Oai');
  await expect(page.locator('.sub')).toContainText('Tháng 06/2025');
  await expect(page.locator('[data-field="ended"]')).toContainText('Đã ngừng hoạt động từ ngày 01/07/2025.');
  await expect(page.locator('[data-section="lineage"]')).toContainText(/Các đơn vị trực thuộc cũ đã nhập vào \d+ đơn vị mới:/);
  await page.locator('[data-section="lineage"] li[data-successor="10114"] a').click();
  await expect(page).toHaveURL(/\/units\/10114$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xã Thanh Oai');
  // A period after its end says so instead of a board.
  await page.goto(`${base()}/units/278?period=month&date=${today()}`);
  await expect(page.locator('[data-field="last-period"]')).toHaveAttribute('href', '/units/278?period=month&date=2025-06-30');

  // The day board of a date is a URL of its own.
  await page.goto(`${base()}/units/10114?period=day&date=${today()}`);
  await expect(page.locator('.sub')).toContainText(/Ngày \d{2}\/\d{2}\/\d{4}/);

  // The statutory reporting month (Decree 09: the 15th to the 14th), chosen in the picker; the board's view goes with it.
  await page.goto(`${base()}/?kind=department`);
  await page.getByText('Kỳ BC tháng').click();
  await expect(page).toHaveURL(/period=report_month/);
  await expect(page).toHaveURL(/kind=department/);
  await expect(page.locator('.sub')).toContainText(/Kỳ báo cáo tháng \d{2}\/\d{4} \(15\/\d{2} – 14\/\d{2}\)/);
  await expect(page.locator('tr[data-unit]').first()).toHaveAttribute('data-unit', /^01-/);
});

test('the JSON API and the health check answer', async ({ request }) => {
  await signIn(request, 'leader');
  const rankings = await request.get(`${base()}/api/v1/rankings?scope=01&period=month&date=${today()}`);
  expect(rankings.ok()).toBe(true);
  const board = await rankings.json();
  expect(board.groups.map((g: Group) => g.level)).toEqual(['commune', 'department']);
  const rows = 126 + board.groups[1].count;
  expect(board.rows).toHaveLength(rows);
  expect(board.rows[0]).toMatchObject({ unitCode: expect.any(String), unitName: expect.any(String), unitLevel: 'commune', rank: 1, estimated: expect.any(Boolean) });
  expect(board.rows[126]).toMatchObject({ unitLevel: 'department', rank: 1 });
  expect(board.rows[0].indicators['dossier.on_time']).toMatchObject({ numerator: expect.any(Number), denominator: expect.any(Number) });

  expect(board.rows[0].band).toMatch(/^(Xuất sắc|Tốt|Khá|Trung bình|Yếu)$/);

  // The same board as a spreadsheet and as CSV, each row with its group.
  const xlsx = await request.get(`${base()}/api/v1/rankings?scope=01&period=month&date=${today()}&format=xlsx`);
  expect(xlsx.headers()['content-disposition']).toMatch(/attachment; filename="xep-hang-01-month-\d{4}-\d{2}-01\.xlsx"/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await xlsx.body()) as never);
  const sheet = book.worksheets[0]!;
  expect(sheet.rowCount).toBe(rows + 1);
  expect(sheet.getRow(2).getCell(4).value).toBe(board.rows[0].unitName);
  expect(sheet.getRow(2).getCell(5).value).toBe(board.rows[0].total);
  const headings = (sheet.getRow(1).values as unknown[]).slice(1);
  expect(headings.slice(-3)).toEqual(['Loại đơn vị', 'Nhóm xếp hạng', 'Ước tính']);
  expect(sheet.getRow(2).getCell(headings.length - 1).value).toBe('xã, phường');
  const csv = await (await request.get(`${base()}/api/v1/rankings?scope=01&period=month&format=csv`)).text();
  expect(csv.trim().split('\r\n')).toHaveLength(rows + 1);
  const series = await (await request.get(`${base()}/api/v1/series?unit=10114&format=csv`)).text();
  expect(series.split('\r\n')[0]).toBe('\ufeffNgày,Tử số,Mẫu số,Tỷ lệ');
  expect((await request.get(`${base()}/api/v1/rankings?format=pdf`)).status()).toBe(400);

  const bad = await request.get(`${base()}/api/v1/rankings?scope=01&period=decade`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).message).toMatch(/^period: /);

  const health = await request.get(`${base()}/healthz`);
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ database: { ok: true }, workers: { ok: true } });
});

test('the overview opens on its board at 1920×1080 (and 3840×2160): the sources on one strip, the KPI tiles with their scale, the board’s heading and first rows without scrolling', async ({ page }) => {
  await signIn(page.request, 'leader');
  for (const [width, height] of [[1920, 1080], [3840, 2160]] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(`${base()}/`);
    await expect(page.locator('[data-connection="live"]')).toBeVisible();
    expect(await page.evaluate(() => scrollY)).toBe(0);
    // The sources: a strip of chips, every one by name and status, above the tiles.
    const strip = page.locator('.health ul.strip');
    await expect(strip.locator('li[data-source="motcua"]')).toContainText(/Hệ thống một cửa.*(Bình thường|Có dòng bị loại|Số liệu cũ|Lỗi kết nối|Tạm ngừng gọi)/);
    // Each trend line says what its top and bottom stand for.
    await expect(page.locator('.kpi [data-field="scale-max"]')).toHaveCount(4);
    // This month is in progress (but on its last day): each tile says it compares with the same days of the last month.
    const same = sameElapsedPart(periodOf('month', today()), today());
    const days = same ? `(${same.start.slice(8, 10)}/${same.start.slice(5, 7)}–${same.end.slice(8, 10)}/${same.end.slice(5, 7)})` : null;
    await expect(page.locator('.kpi[data-family="dossier"] .delta')).toContainText(days ? `cùng kỳ ${days}` : 'so với kỳ trước');
    // The board: its heading and first row on the first screen.
    await expect(page.locator('[data-field="group-heading"]').first()).toBeInViewport({ ratio: 1 });
    await expect(page.locator('tr[data-unit]').first()).toBeInViewport({ ratio: 1 });
    const onScreen = await page.locator('tr[data-unit]').evaluateAll((rows) => rows.filter((r) => r.getBoundingClientRect().bottom <= innerHeight).length);
    expect(onScreen, 'board rows above the fold').toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `test-results/screens/overview-${width}x${height}.png` });
  }
});
