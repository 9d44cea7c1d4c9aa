import { expect, test, type Page } from '@playwright/test';
import { base, signIn } from './auth.ts';

/** Every total on the board, as numbers ("18,25" → 18.25); ranked rows only. */
async function totals(page: Page): Promise<number[]> {
  const texts = await page.locator('tbody tr[data-unit] [data-field="total"]').allTextContents();
  return texts.map((t) => t.trim()).filter((t) => t !== '—').map((t) => Number(t.replace(/\./g, '').replace(',', '.')));
}

const indicatorHeaders = (page: Page) => page.locator('table.board thead tr').nth(1).locator('th');
const choice = (page: Page, name: string) => page.getByRole('navigation', { name: 'Bộ chỉ số' }).getByRole('link', { name });

test('the overview shows the national 766 progress board out of 20, and the scheme choice switches back', async ({ page }) => {
  await signIn(page.request, 'leader');
  // The progress group from the city's own dossier counts (the full index from the portal is national_766: portal-766.spec.ts).
  await page.goto(`${base()}/?scheme=national_766_progress`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Thành phố Hà Nội');
  await expect(page.locator('[data-field="scheme"]')).toContainText('Chỉ số 766 — tiến độ giải quyết (số liệu của thành phố) (tối đa 20,00 điểm)');
  await expect(choice(page, '766: tiến độ (số liệu thành phố)')).toHaveAttribute('aria-current', 'page');
  // The first page of the board: 30 of the 126 communes and the departments.
  await expect(page.locator('tbody tr[data-unit]')).toHaveCount(30);
  // One indicator column after rank, unit, total and band.
  await expect(indicatorHeaders(page)).toHaveCount(5);
  await expect(indicatorHeaders(page).nth(4)).toHaveText('Tiến độ giải quyết');
  const t766 = await totals(page);
  expect(t766.length).toBeGreaterThan(0);
  for (const t of t766) expect(t).toBeLessThanOrEqual(20);
  // Live on its own room: subscribed without an error.
  await expect(page.locator('[data-connection="live"]')).toBeVisible();
  await expect(page.locator('p.error[role="alert"]')).toHaveCount(0);

  // A change of period keeps the scheme.
  await page.getByText('Kỳ BC tháng').click();
  await expect(page).toHaveURL(/period=report_month/);
  await expect(page).toHaveURL(/scheme=national_766_progress/);
  await expect(indicatorHeaders(page)).toHaveCount(5);
  // The export names the scheme and carries one indicator's four columns beside the nine of the
  // unit (rank, previous, code, name, total, band, the not-ranked reason in words and its code, the change)
  // and the three after them (the register's type, the ranking group, "ước tính").
  const csvHref = await page.getByRole('link', { name: 'CSV', exact: true }).getAttribute('href');
  expect(csvHref).toContain('scheme=national_766_progress');
  const csv = await page.request.get(`${base()}${csvHref}`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-disposition']).toMatch(/national_766_progress\.csv/);
  expect((await csv.text()).split('\r\n')[0]!.split(',')).toHaveLength(16);

  // Back to the operations scheme: the eight indicators, totals out of 100, same period and date.
  await choice(page, 'Bộ chỉ số điều hành').click();
  await expect(page).not.toHaveURL(/scheme=/);
  await expect(page).toHaveURL(/period=report_month/);
  await expect(choice(page, 'Bộ chỉ số điều hành')).toHaveAttribute('aria-current', 'page');
  await expect(indicatorHeaders(page)).toHaveCount(12);
  await expect(page.locator('[data-field="scheme"]')).toContainText('Bộ chỉ số điều hành (tối đa 100,00 điểm)');
  expect(Math.max(...(await totals(page)))).toBeGreaterThan(20);

  // An unknown scheme is a 404 that names the parameter.
  const missing = await page.request.get(`${base()}/api/v1/rankings?scheme=no_such`);
  expect(missing.status()).toBe(404);
  expect(await missing.text()).toMatch(/scheme: no active indicator scheme .*no_such/);
});
