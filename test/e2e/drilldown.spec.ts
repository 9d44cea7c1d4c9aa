import { expect, test } from '@playwright/test';
import { today } from '../../src/lib/domain/periods.ts';
import { base, signIn } from './auth.ts';

const indicatorPath = (unit: string) => `/units/${unit}/indicators/dossier.on_time?period=month&date=${today()}`;

test('drill-down: city → commune → indicator by day → the raw samples of a day and the polls behind them; every step is a URL', async ({ page, context }) => {
  await signIn(page.request, 'leader');
  const day = today();
  // The city's indicator: its 126 communes and its departments, each a link one level down.
  const city = await page.goto(`${base()}${indicatorPath('01')}`);
  expect(city!.status()).toBe(200);
  const cityBoard = await (await page.request.get(`${base()}/api/v1/rankings?scope=01&period=month&date=${day}`)).json();
  await expect(page.locator('table.children tbody tr')).toHaveCount(cityBoard.rows.length);
  await expect(page.locator('table.children tbody tr').first().locator('a')).toHaveAttribute('href', new RegExp(`^/units/[\\w-]+/indicators/dossier\\.on_time\\?period=month&date=${day}$`));
  await page.locator('table.children a[href^="/units/10114/"]').click();

  await expect(page).toHaveURL(new RegExp(`/units/10114/indicators/dossier\\.on_time\\?period=month&date=${day}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hồ sơ đúng hạn');
  const crumbs = page.getByRole('navigation', { name: 'Đường dẫn' });
  await expect(crumbs).toContainText('Tổng quan');
  await expect(crumbs).toContainText('Thành phố Hà Nội');
  await expect(crumbs).toContainText('Xã Thanh Oai');
  // The daily series drawn as an ECharts line, and a table of the days up to today.
  await expect(page.locator('.chart svg path[stroke="#5cc8ff"]').first()).toBeAttached();
  const dayRows = page.locator('table.days tbody tr[data-day]');
  expect(await dayRows.count()).toBe(Number(day.slice(8, 10)));
  await expect(page.locator(`tr[data-day="${day}"] td.num`).nth(1)).toHaveText(/^[\d.]+$/); // the denominator, vi-VN digits
  // A commune has nobody under it.
  await expect(page.locator('table.children')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/drilldown-indicator.png', fullPage: true });

  // The same URL alone, in a new page, shows the same view.
  const again = await context.newPage();
  await again.goto(page.url());
  await expect(again.getByRole('heading', { level: 1 })).toHaveText('Hồ sơ đúng hạn');
  await expect(again.locator('table.days tbody tr[data-day]')).toHaveCount(await dayRows.count());
  await again.close();

  // A day → its raw samples and the poll runs they came from.
  await page.locator(`tr[data-day="${day}"] a`).click();
  await expect(page).toHaveURL(new RegExp(`/units/10114/indicators/dossier\\.on_time/samples\\?day=${day}&period=month&date=${day}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Số liệu gốc · Hồ sơ đúng hạn');
  const samples = page.locator('table.samples tbody tr[data-metric]');
  await expect(samples).toHaveCount(3); // the commune's resolved on time, pending on time, received
  await expect(samples.first().locator('[data-field="source"]')).toHaveText('Hệ thống một cửa (iGate) — hồ sơ TTHC');
  const polls = page.locator('table.polls tbody tr[data-poll]');
  expect(await polls.count()).toBeGreaterThan(0);
  await expect(polls.first()).toContainText('Hệ thống một cửa (iGate) — hồ sơ TTHC');
  await expect(polls.first()).toContainText(/thành công|có dòng bị loại/);
  // A leader sees no administrator's link to the poll run.
  await expect(polls.first().locator('a')).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Đường dẫn' }).getByRole('link', { name: 'Hồ sơ đúng hạn' })).toHaveAttribute(
    'href', `/units/10114/indicators/dossier.on_time?period=month&date=${day}`
  );
  await page.screenshot({ path: 'test-results/drilldown-samples.png', fullPage: true });

  const copy = await context.newPage();
  await copy.goto(page.url());
  await expect(copy.getByRole('heading', { level: 1 })).toHaveText('Số liệu gốc · Hồ sơ đúng hạn');
  await expect(copy.locator('table.samples tbody tr[data-metric]')).toHaveCount(3);
  const units = async (p: typeof page) => (await p.locator('table.samples tbody tr[data-metric]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-unit')}|${r.getAttribute('data-metric')}`)));
  expect(await units(copy)).toEqual(await units(page));
  expect(await copy.locator('table.polls tbody tr[data-poll]').count()).toBeGreaterThan(0);
  await copy.close();
});

test('an administrator gets a link from each poll run to its page under /admin', async ({ page }) => {
  await signIn(page.request, 'admin');
  await page.goto(`${base()}/units/10114/indicators/dossier.on_time/samples?day=${today()}`);
  const link = page.locator('table.polls tbody tr[data-poll] a').first();
  await expect(link).toHaveAttribute('href', /^\/admin\/sources\/motcua\/runs\/\d+$/);
  await link.click();
  await expect(page).toHaveURL(/\/admin\/sources\/motcua\/runs\/\d+$/);
});

test("an officer drills into their own commune, not into another's; bad input is refused in words", async ({ page }) => {
  await signIn(page.request, 'officer-thanh-oai');
  const other = await page.goto(`${base()}${indicatorPath('00004')}`);
  expect(other!.status()).toBe(403);
  await expect(page.getByText('Bạn chỉ xem được chi tiết của đơn vị mình và các đơn vị trực thuộc.')).toBeVisible();
  expect((await page.request.get(`${base()}/units/00004/indicators/dossier.on_time/samples?day=${today()}`)).status()).toBe(403);

  const own = await page.goto(`${base()}${indicatorPath('10114')}`);
  expect(own!.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hồ sơ đúng hạn');
  await expect(page.getByRole('navigation', { name: 'Đường dẫn' })).toContainText('Xã Thanh Oai');

  const unknown = await page.request.get(`${base()}/units/10114/indicators/no.such.indicator?period=month`);
  expect(unknown.status()).toBe(404);
  expect(await unknown.text()).toContain('Không có chỉ số');
  const bad = await page.request.get(`${base()}/units/10114/indicators/dossier.on_time?period=decade`);
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain('period');
  const badDay = await page.request.get(`${base()}/units/10114/indicators/dossier.on_time/samples?day=2026-13-40`);
  expect(badDay.status()).toBe(400);
  expect(await badDay.text()).toContain('day');
});
