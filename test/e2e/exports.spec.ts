/** Exports as a person gets them: clicking the links on the pages, opening the files, checking them against the screen. */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { base, signIn } from './auth.ts';

test('the overview board downloads as Excel and CSV with the rows on screen', async ({ page }) => {
  await signIn(page.request, 'leader');
  await page.goto(`${base()}/?period=month`);
  const firstOnScreen = (await page.locator('tbody tr[data-unit]').first().locator('td.unit a').textContent())!.trim();
  const totalOnScreen = (await page.locator('tbody tr[data-unit]').first().locator('[data-field="total"]').textContent())!.trim();

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel' }).click()]);
  expect(xlsx.suggestedFilename()).toMatch(/^xep-hang-01-month-\d{4}-\d{2}-01\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await readFile((await xlsx.path())!)) as never);
  const sheet = book.worksheets[0]!;
  expect(sheet.rowCount).toBe(31); // a header and the 30 districts
  expect(sheet.getRow(2).getCell(4).value).toBe(firstOnScreen);
  // The spreadsheet holds the number itself; the screen shows it in vi-VN (85,34).
  expect(new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(sheet.getRow(2).getCell(5).value as number)).toBe(totalOnScreen);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const text = await readFile((await csv.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff); // a BOM, so Excel reads the Vietnamese right
  const lines = text.slice(1).trim().split(/\r?\n/);
  expect(lines).toHaveLength(31);
  expect(lines[1]).toContain(firstOnScreen);
});
