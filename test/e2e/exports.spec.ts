/** Exports as a person gets them: clicking the links on the pages, opening the files, checking them against the screen. */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { parseCsv } from '../../src/lib/server/pipeline/mapping/table.ts';
import { addDays, periodOf, today } from '../../src/lib/domain/periods.ts';
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

test('a row whose figures are partly an estimate says so: on the overview and the unit page with its footnote, in English too, and in both files', async ({ page, context }) => {
  await signIn(page.request, 'leader');
  // A week no poll reads again (three weeks back), and Xã Thanh Oai's row marked as the ranking core marks
  // a commune that took part of an old one in a period reaching before the reform.
  const week = periodOf('week', addDays(today(), -21));
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const mark = (estimated: boolean) => sql`
    update rankings r set estimated = ${estimated} from units u, units s
    where u.id = r.unit_id and s.id = r.scope_unit_id and s.gso_code = '01' and u.gso_code = '10114' and u.valid_to is null
      and r.period_kind = 'week' and r.period_start = ${week.start} and r.scheme_key = 'operations'`;
  try {
    expect((await mark(true)).count).toBe(1);
    const query = `period=week&date=${week.start}`;

    await page.goto(`${base()}/?${query}&q=thanh%20oai`);
    const marker = page.locator('tr[data-unit="10114"] [data-field="estimated"]');
    await expect(marker).toContainText('ước tính');
    await expect(marker).toHaveAttribute('title', 'Ước tính: một phần số liệu trước 01/07/2025 đến từ đơn vị cũ chỉ nhập một phần vào đơn vị này.');
    await expect(page.locator('#estimated-note')).toContainText('Ước tính: một phần số liệu trước 01/07/2025 của đơn vị có dấu này');

    await page.goto(`${base()}/units/10114?${query}`);
    await expect(page.locator('[data-section="standing"] [data-field="estimated"]')).toBeVisible();
    await expect(page.locator('#estimated-note-own')).toHaveText('* Ước tính: một phần số liệu trước 01/07/2025 đến từ đơn vị cũ chỉ nhập một phần vào đơn vị này.');
    await expect(page.locator('[data-section="siblings"] li[data-unit="10114"] .est')).toHaveText('*');

    // The same in English.
    await context.addCookies([{ name: 'cityops_locale', value: 'en', url: base() }]);
    await page.reload();
    await expect(page.locator('[data-section="standing"] [data-field="estimated"]')).toContainText('estimated');
    await expect(page.locator('#estimated-note-own')).toContainText('Estimated: part of the figures before 01/07/2025 come from former units that went only in part into this one.');
    await context.clearCookies({ name: 'cityops_locale' });

    // Both files: a column of its own, explained in the .xlsx heading's note.
    const rows = parseCsv((await (await page.request.get(`${base()}/api/v1/rankings?scope=01&${query}&format=csv`)).text()).replace(/^\ufeff/, ''));
    const header = rows[0]!;
    expect(header.at(-1)).toBe('Ước tính');
    expect(rows.find((r) => r[2] === '10114')!.at(-1)).toBe('ước tính');
    expect(rows.slice(1).filter((r) => r.at(-1) === 'ước tính')).toHaveLength(1);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await (await page.request.get(`${base()}/api/v1/rankings?scope=01&${query}&format=xlsx`)).body()) as never);
    const heading = book.worksheets[0]!.getRow(1).getCell(header.length);
    expect(heading.value).toBe('Ước tính');
    expect(JSON.stringify(heading.note)).toContain('một phần số liệu trước 01/07/2025');
  } finally {
    await mark(false);
    await sql.end();
  }
});
