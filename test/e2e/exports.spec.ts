/** Exports as a person gets them: clicking the links on the pages, opening the files, checking them against the screen. */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { parseCsv } from '../../src/lib/server/pipeline/mapping/table.ts';
import { base, signIn } from './auth.ts';

test('the overview board downloads as Excel and CSV with the rows on screen', async ({ page }) => {
  await signIn(page.request, 'leader');
  await page.goto(`${base()}/?period=month`);
  const board = await (await page.request.get(`${base()}/api/v1/rankings?scope=01&period=month`)).json();
  const firstOnScreen = (await page.locator('tbody tr[data-unit]').first().locator('td.unit a').textContent())!.trim();
  const totalOnScreen = (await page.locator('tbody tr[data-unit]').first().locator('[data-field="total"]').textContent())!.trim();

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel' }).click()]);
  expect(xlsx.suggestedFilename()).toMatch(/^xep-hang-01-month-\d{4}-\d{2}-01\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await readFile((await xlsx.path())!)) as never);
  const sheet = book.worksheets[0]!;
  expect(sheet.rowCount).toBe(1 + board.rows.length); // a header and every row of the board: the 126 communes and the departments, not only the page on screen
  expect(sheet.getRow(2).getCell(4).value).toBe(firstOnScreen);
  // The spreadsheet holds the number itself; the screen shows it in vi-VN (85,34).
  expect(new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(sheet.getRow(2).getCell(5).value as number)).toBe(totalOnScreen);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const text = await readFile((await csv.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff); // a BOM, so Excel reads the Vietnamese right
  const lines = text.slice(1).trim().split(/\r?\n/);
  expect(lines).toHaveLength(1 + board.rows.length);
  expect(lines[1]).toContain(firstOnScreen);
});

test('a unit name that is a spreadsheet formula is written as text in the CSV, and as text in the .xlsx', async ({ request }) => {
  const formula = '=HYPERLINK("http://evil.example","x")';
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  // Phường Ba Đình as it is today (the code was an old ward's too: only the unit in force is renamed).
  const [before] = await sql<{ id: number; name: string }[]>`select id, name from units where gso_code = '00004' and valid_to is null`;
  try {
    await sql`update units set name = ${formula} where id = ${before!.id}`;
    await signIn(request, 'leader');
    const csv = await request.get(`${base()}/api/v1/rankings?scope=01&period=month&format=csv`);
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m); // no cell starts with the formula
    const rows = parseCsv(text.replace(/^\ufeff/, ''));
    const row = rows.find((r) => r[2] === '00004')!;
    expect(row[3]).toBe(`'${formula}`); // shown as the text it is
    // Numbers stay numbers: the leader's total is still a number a spreadsheet can sum.
    expect(rows[1]![4]).toMatch(/^-?\d+(\.\d+)?$/);

    const xlsx = await request.get(`${base()}/api/v1/rankings?scope=01&period=month&format=xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.body()) as never);
    const sheet = book.worksheets[0]!;
    const cell = [...Array(sheet.rowCount).keys()].map((i) => sheet.getRow(i + 1)).find((r) => r.getCell(3).value === '00004')!.getCell(4);
    expect(cell.value).toBe(formula); // a string cell, not a formula
    expect(cell.formula).toBeUndefined();
  } finally {
    await sql`update units set name = ${before!.name} where id = ${before!.id}`;
    await sql.end();
  }
});
