/**
 * An administrator imports a reform on /admin/units, as a province's office would: first its
 * register of 2024 (a register alone), then its register with the merge table, in force from today
 * ("Hiệu lực từ" typed dd/mm/yyyy), reads the result in words and the recompute's progress, then
 * the same files again in English (nothing changes) and a wrong day named by its field.
 * A made-up province (99, "Tỉnh Thử Nghiệm") beside the demo city, so the shared product's city,
 * its boards and the other specs' units are untouched; D = today keeps the recompute to the eight
 * current boards.
 */
import { expect, test } from '@playwright/test';
import { addDays, today } from '../../src/lib/domain/periods.ts';
import { base, signIn } from './auth.ts';

test.describe.configure({ mode: 'serial' });

const csv = (name: string, lines: string[]) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
const OLD = csv('thu-nghiem-2024.csv', [
  'gso_code,name,level,type,parent_gso_code',
  '99,Tỉnh Thử Nghiệm,province,Tỉnh,',
  '990,Huyện Thử Nghiệm,district,Huyện,99',
  '99001,Thị trấn Một,commune,Thị trấn,990',
  '99002,Xã Hai,commune,Xã,990',
  '99003,Xã Ba,commune,Xã,990'
]);
const REGISTER = csv('thu-nghiem-moi.csv', [
  'gso_code,name,level,type,parent_gso_code',
  '99,Tỉnh Thử Nghiệm,province,Tỉnh,',
  '99001,Xã Một Mới,commune,Xã,99',
  '99004,Xã Bốn,commune,Xã,99'
]);
const MERGES = csv('sap-nhap.csv', [
  'new_gso_code,new_name,old_gso_code,old_name,old_district_code,old_province_code,note',
  '99001,Xã Một Mới,99001,Thị trấn Một,990,99,Nhập toàn bộ',
  '99001,Xã Một Mới,99002,Xã Hai,990,99,Nhập một phần',
  '99004,Xã Bốn,99002,Xã Hai,990,99,Nhập một phần',
  '99004,Xã Bốn,99003,Xã Ba,990,99,Nhập toàn bộ',
  '99004,Xã Bốn,99005,Xã Năm,990,99,Nhập toàn bộ' // a commune this installation never held: skipped
]);
const shown = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

test('an administrator imports a province, then its reform from today, and reads what changed', async ({ page }) => {
  await signIn(page.request, 'admin');
  await page.goto(`${base()}/admin/units`);
  await expect(page.getByRole('heading', { name: 'Nhập danh mục đơn vị hành chính' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Điều gì xảy ra khi nhập' })).toBeVisible();
  // The day as shown everywhere (dd/mm/yyyy), not the browser's own date order.
  const day = page.getByLabel('Hiệu lực từ');
  await expect(day).toHaveAttribute('type', 'text');
  await expect(day).toHaveAttribute('placeholder', 'dd/mm/yyyy');

  await page.getByLabel('Danh mục đơn vị (CSV)').setInputFiles(OLD);
  await page.getByRole('button', { name: 'Nhập', exact: true }).click();
  const result = page.getByTestId('import-result');
  await expect(result).toContainText('Đã nhập danh sách đơn vị hành chính.');
  await expect(result).toContainText('Tạo mới: 5');

  const d = today();
  await page.getByLabel('Danh mục đơn vị (CSV)').setInputFiles(REGISTER);
  await page.getByLabel('Bảng sáp nhập (CSV, không bắt buộc)').setInputFiles(MERGES);
  await day.fill(shown(d));
  await page.getByRole('button', { name: 'Nhập', exact: true }).click();
  await expect(result).toContainText(`Đã nhập danh mục có hiệu lực từ ${shown(d)}.`);
  await expect(result.locator('[data-count=created]')).toHaveText('Đơn vị mới: 1: 99004');
  await expect(result.locator('[data-count=newVersions]')).toContainText(': 1: 99001');
  await expect(result.locator('[data-count=ended]')).toHaveText(`Kết thúc ngày ${shown(addDays(d, -1))}: 4: 990, 99001, 99002, 99003`);
  await expect(result.locator('[data-count=lineage]')).toContainText('4 mới, 0 sửa, 0 không đổi, 0 bỏ');
  await expect(result.locator('[data-count=skipped]')).toHaveText('Bỏ qua 1 dòng của bảng sáp nhập về đơn vị cũ không có trong hệ thống, thuộc 1 tỉnh cũ (99)');
  await expect(result).toContainText('Tính lại bảng xếp hạng của 8 kỳ');
  await expect(result.locator('[data-job-kind=recompute]')).toHaveAttribute('data-job-state', 'done', { timeout: 60_000 });
  await expect(result.locator('[data-job-kind=recompute]')).toContainText('Đã tính lại xong 8 bảng xếp hạng');
  // The ended units, with what they went into.
  await expect(page.locator('tr[data-unit="99002"]')).toContainText('Xã Một Mới (99001, Nhập một phần); Xã Bốn (99004, Nhập một phần)');

  // In English: the same files again change nothing; a wrong day is named by its field.
  await page.locator('header [data-locale-switch="en"]').click();
  await expect(page.getByRole('heading', { name: 'Import the register of administrative units' })).toBeVisible();
  await page.getByLabel('Units register (CSV)').setInputFiles(REGISTER);
  await page.getByLabel('Merge table (CSV, optional)').setInputFiles(MERGES);
  await page.getByLabel('In force from').fill(shown(d));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(result).toContainText('Nothing changed: these files were imported before.');
  await expect(result.locator('[data-count=unchanged]')).toHaveText('Unchanged: 3');
  await expect(result).toContainText('No board needs recomputing.');

  await page.getByLabel('Units register (CSV)').setInputFiles(REGISTER);
  await page.getByLabel('Merge table (CSV, optional)').setInputFiles(MERGES);
  await page.getByLabel('In force from').fill('31/02/2025');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const problems = page.getByTestId('import-problems');
  await expect(problems).toContainText('In force from: "31/02/2025" is not a day (dd/mm/yyyy, e.g. 01/07/2025)');
  await expect(page.getByLabel('In force from')).toHaveAttribute('aria-invalid', 'true');
  await page.locator('header [data-locale-switch="vi"]').click();
});
