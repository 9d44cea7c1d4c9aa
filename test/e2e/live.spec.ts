import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { today } from '../../src/lib/domain/periods.ts';

import { base, signIn, simulator } from './auth.ts';

test('the overview ranks the 30 districts and updates in place when a poll changes the numbers', async ({ page }) => {
  await signIn(page.request, 'leader');
  await page.goto(`${base()}/`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Thành phố Hà Nội');
  await expect(page.locator('tbody tr')).toHaveCount(30);
  await expect(page.locator('[data-connection="live"]')).toBeVisible();
  // A unit that moved since last month says why, in words.
  await expect(page.locator('[data-field="change"]').first()).toContainText(/^(tăng|giảm) \d+ bậc.*điểm/);

  const ratio = page.locator('tr[data-unit="001"] [data-field="dossier.on_time"] .ratio');
  const before = (await ratio.textContent())!;
  expect(before).toMatch(/%/);
  // A marker that a reload would wipe.
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));

  // A correction at the district system: 3,000 late dossiers in Phường Phúc Xá (Ba Đình) today.
  const r = await fetch(`${simulator()}/_sim/overrides`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ unitCode: '00001', date: today(), receivedDelta: 3000, onTimeRate: 0 })
  });
  expect(r.ok).toBe(true);

  // The next scheduled poll (every 2 s here) carries it to the screen over Socket.IO.
  await expect(ratio).not.toHaveText(before, { timeout: 30_000 });
  await expect(page.locator('tr[data-unit="001"]')).toHaveClass(/changed/);
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
});

test('a district page shows its communes ranked and its daily history chart; links drill down', async ({ page }) => {
  await signIn(page.request, 'leader');
  await page.goto(`${base()}/`);
  await page.locator('tr[data-unit="278"] a').click();
  await expect(page).toHaveURL(/\/units\/278\?period=month/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Huyện Thanh Oai');
  await expect(page.locator('tbody tr')).toHaveCount(20);
  // The on-time series is drawn as a line with one segment per day that has data.
  const line = page.locator('.chart svg path[stroke="#5cc8ff"]').first();
  await expect(line).toBeAttached();
  expect(((await line.getAttribute('d')) ?? '').split('L').length).toBeGreaterThan(20);
  await expect(page.locator('[data-connection="live"]')).toBeVisible();

  // The day board of a date is a URL of its own.
  await page.goto(`${base()}/units/278?period=day&date=2026-11-20`);
  await expect(page.getByText('Ngày 20/11/2026')).toBeVisible();

  // The statutory reporting month (Decree 09: the 15th to the 14th), chosen in the picker.
  await page.goto(`${base()}/`);
  await page.getByText('Kỳ BC tháng').click();
  await expect(page).toHaveURL(/period=report_month/);
  await expect(page.locator('.sub')).toContainText(/Kỳ báo cáo tháng \d{2}\/\d{4} \(15\/\d{2} – 14\/\d{2}\)/);
  await expect(page.locator('tbody tr[data-unit]')).toHaveCount(30);
});

test('the JSON API and the health check answer', async ({ request }) => {
  await signIn(request, 'leader');
  const rankings = await request.get(`${base()}/api/v1/rankings?scope=01&period=month&date=${today()}`);
  expect(rankings.ok()).toBe(true);
  const board = await rankings.json();
  expect(board.rows).toHaveLength(30);
  expect(board.rows[0]).toMatchObject({ unitCode: expect.any(String), unitName: expect.any(String), rank: 1 });
  expect(board.rows[0].indicators['dossier.on_time']).toMatchObject({ numerator: expect.any(Number), denominator: expect.any(Number) });

  expect(board.rows[0].band).toMatch(/^(Xuất sắc|Tốt|Khá|Trung bình|Yếu)$/);

  // The same board as a spreadsheet and as CSV.
  const xlsx = await request.get(`${base()}/api/v1/rankings?scope=01&period=month&date=${today()}&format=xlsx`);
  expect(xlsx.headers()['content-disposition']).toMatch(/attachment; filename="xep-hang-01-month-\d{4}-\d{2}-01\.xlsx"/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await xlsx.body()) as never);
  const sheet = book.worksheets[0]!;
  expect(sheet.rowCount).toBe(31);
  expect(sheet.getRow(2).getCell(4).value).toBe(board.rows[0].unitName);
  expect(sheet.getRow(2).getCell(5).value).toBe(board.rows[0].total);
  const csv = await (await request.get(`${base()}/api/v1/rankings?scope=01&period=month&format=csv`)).text();
  expect(csv.trim().split('\r\n')).toHaveLength(31);
  const series = await (await request.get(`${base()}/api/v1/series?unit=278&format=csv`)).text();
  expect(series.split('\r\n')[0]).toBe('\ufeffNgày,Tử số,Mẫu số,Tỷ lệ');
  expect((await request.get(`${base()}/api/v1/rankings?format=pdf`)).status()).toBe(400);

  const bad = await request.get(`${base()}/api/v1/rankings?scope=01&period=decade`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).message).toMatch(/^period: /);

  const health = await request.get(`${base()}/healthz`);
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ database: { ok: true }, workers: { ok: true } });
});
