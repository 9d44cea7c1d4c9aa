/**
 * The monthly briefing as a leader gets it: the overview's button for the reporting month, the PDF
 * opened (PDF.js) and checked against the board the API gives for the same period; the unit page of a
 * unit with units under it offers it for its period. With SHOTS_DIR set, the print page is also kept as screenshots (A4 and
 * 1920×1080) for a person to look at.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { formatPeriod } from '../../src/lib/format.ts';
import { groupHeading } from '../../src/lib/i18n/groups.ts';
import type { Board } from '../../src/lib/contract/dto.ts';
import { dispositionName, pdfText } from '../support/pdf.ts';
import { base, signIn } from './auth.ts';

const points = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

test("the overview's button downloads the reporting month's briefing: the board's first and last communes with their totals, the period in words", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page.request, 'leader');
  await page.goto(`${base()}/?period=report_month`);
  const button = page.getByRole('link', { name: 'Tải báo cáo giao ban (PDF)' });
  await expect(button).toBeVisible();
  const href = (await button.getAttribute('href'))!;
  if (process.env.SHOTS_DIR) await page.screenshot({ path: path.join(process.env.SHOTS_DIR, 'overview-button-1920x1080.png') });
  expect(href).toMatch(/^\/api\/v1\/briefings\?scope=01&period=report_month&date=\d{4}-\d{2}-\d{2}$/);

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), button.click()]);
  const pdf = new Uint8Array(await readFile((await download.path())!));
  if (process.env.SHOTS_DIR) await download.saveAs(path.join(process.env.SHOTS_DIR, 'briefing-01-report-month.pdf'));
  expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
  const text = await pdfText(pdf);

  const query = new URL(href, base()).search;
  const board = (await (await page.request.get(`${base()}/api/v1/rankings${query}`)).json()) as Board;
  const period = formatPeriod(board.period.kind, board.period.start, 'vi');
  expect(period).toMatch(/^Kỳ báo cáo tháng \d{2}\/\d{4} \(15\/\d{2} – 14\/\d{2}\)$/);
  expect(download.suggestedFilename()).toBe(`Báo cáo giao ban - Thành phố Hà Nội - ${period.replaceAll('/', '-')}.pdf`);
  expect(text).toContain(`${period} · từ ${board.period.start.split('-').reverse().join('/')} đến ${board.period.end.split('-').reverse().join('/')}`);
  // The communes, the largest group: the first and the last ranked, as the board has them, in its order.
  const communes = board.rows.filter((r) => r.unitLevel === board.groups[0]!.level && r.rank !== null);
  expect(communes.length).toBeGreaterThan(100);
  const [first, last] = [communes[0]!, communes.at(-1)!];
  for (const r of [first, last]) expect(text, r.unitName).toContain(`${r.unitName} ${points.format(r.total!)}`);
  expect(text.indexOf(`${first.unitName} ${points.format(first.total!)}`)).toBeLessThan(text.indexOf(`${last.unitName} ${points.format(last.total!)}`));
  // The departments too, ranked on their own.
  const departments = board.rows.filter((r) => r.unitLevel === 'department' && r.rank !== null);
  expect(departments.length).toBeGreaterThan(0);
  expect(text).toContain(`${departments[0]!.unitName} ${points.format(departments[0]!.total!)}`);
  expect(text).toContain(groupHeading(board.groups[1]!, 1, 'vi').title);
});

test('the API answers application/pdf as an attachment with a Vietnamese name; an officer is refused the city’s briefing in words', async ({ browser }) => {
  test.setTimeout(120_000);
  const leader = await browser.newContext();
  await signIn(leader.request, 'leader');
  const res = await leader.request.get(`${base()}/api/v1/briefings?scope=01&period=month`);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('application/pdf');
  const name = dispositionName(res.headers()['content-disposition'] ?? null);
  expect(name.ascii).toMatch(/^bao-cao-giao-ban-01-month-\d{4}-\d{2}-01\.pdf$/);
  expect(name.words).toMatch(/^Báo cáo giao ban - Thành phố Hà Nội - Tháng \d{2}-\d{4}\.pdf$/);
  await leader.close();

  const officer = await browser.newContext();
  await signIn(officer.request, 'officer-so-noi-vu');
  const refused = await officer.request.get(`${base()}/api/v1/briefings?scope=01&period=month`);
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toEqual({ message: 'Bạn không có quyền xem báo cáo giao ban của đơn vị 01: cán bộ chỉ xem được đơn vị mình và các đơn vị trực thuộc.' });
  const bad = await officer.request.get(`${base()}/api/v1/briefings?period=monthly`);
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { message: string }).message).toMatch(/^Tham số period không hợp lệ \("monthly"\)/);
  await officer.close();
});

test('the unit page offers the briefing of the period it shows; a commune, with no units under it, does not', async ({ page }) => {
  await signIn(page.request, 'leader');
  await page.goto(`${base()}/units/01?period=month&date=2026-11-14`);
  const button = page.getByRole('link', { name: 'Tải báo cáo giao ban (PDF)' });
  await expect(button).toHaveAttribute('href', '/api/v1/briefings?scope=01&period=month&date=2026-11-14');
  if (process.env.SHOTS_DIR) {
    await button.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(process.env.SHOTS_DIR, 'unit-page-button-1920x1080.png') });
  }
  await page.goto(`${base()}/units/10114?period=month&date=2026-11-14`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Thanh Oai');
  await expect(page.getByRole('link', { name: 'Tải báo cáo giao ban (PDF)' })).toHaveCount(0);
});

test('the print page reads as an A4 sheet on screen and in print', async ({ page }) => {
  await signIn(page.request, 'leader');
  await page.goto(`${base()}/briefings/print?scope=01&period=report_month`);
  await expect(page.locator('[data-briefing] h1')).toHaveText('Thành phố Hà Nội');
  // The sheet is A4 wide (210 mm at 96 dpi ≈ 794 px) on a 1920-wide screen, with no app header.
  const width = await page.locator('[data-briefing]').evaluate((el) => el.getBoundingClientRect().width);
  expect(Math.round(width)).toBe(794);
  await expect(page.locator('header.top')).toHaveCount(0);
  const shots = process.env.SHOTS_DIR;
  if (shots) {
    await page.screenshot({ path: path.join(shots, 'print-page-1920x1080.png') });
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(shots, 'print-page-a4-print-media.png'), fullPage: true });
  }
});
