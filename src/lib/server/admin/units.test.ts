import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkUnitsImport,
  csvRecords,
  MAX_IMPORT_ROWS,
  parseExternalCodes,
  parseUnitsImport,
  type ExistingUnit,
  type UnitImportRow
} from './units.ts';

const HEADER = 'gso_code,name,level,type,parent_gso_code';
const messages = (r: { problems: { message: string }[] }) => r.problems.map((p) => p.message);

describe('parseUnitsImport: the file on its own', () => {
  it('reads the GSO layout: BOM, CRLF, RFC 4180 quotes, optional columns in any order, external codes', () => {
    const text =
      '\uFEFFgso_code,name,level,type,parent_gso_code,external_codes,merged_into,valid_from,valid_to\r\n' +
      '25,Tỉnh Phú Thọ,province,Tỉnh,,portal=H44;dvc=000.00.00.H44,,2025-07-01,\r\n' +
      '\r\n' +
      '100,"Xã ""Mới"", Phú Thọ",commune,Xã, 25 ,portal=H44.100 ; dvc=000.00.44.H44,,,\r\n' +
      '101,"Xã Cũ\r\nhai dòng",commune,Xã,25,,100,,2025-06-30\r\n' +
      '102,Xã Sau,commune,Xã,25,,,,';
    const { rows, problems } = parseUnitsImport(text);
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.line, r.gsoCode])).toEqual([[2, '25'], [4, '100'], [5, '101'], [7, '102']]);
    expect(rows[0]).toMatchObject({ parentGsoCode: null, externalCodes: { portal: 'H44', dvc: '000.00.00.H44' }, validFrom: '2025-07-01', validTo: null });
    expect(rows[1]).toMatchObject({ name: 'Xã "Mới", Phú Thọ', parentGsoCode: '25', externalCodes: { portal: 'H44.100', dvc: '000.00.44.H44' } });
    expect(rows[2]).toMatchObject({ name: 'Xã Cũ\r\nhai dòng', mergedInto: '100', validTo: '2025-06-30' });
    expect(rows[3]!.externalCodes).toEqual({});

    const reordered = parseUnitsImport('Name,gso_code,parent_gso_code,type,level\nHuyện A,001,01,Huyện,district\n');
    expect(reordered.problems).toEqual([]);
    // Without an external_codes column the stored codes are kept (null, not {}).
    expect(reordered.rows[0]).toMatchObject({ gsoCode: '001', name: 'Huyện A', level: 'district', type: 'Huyện', parentGsoCode: '01', externalCodes: null });
  });

  it('reads the seed registers of Hà Nội and Đắk Lắk whole', () => {
    const daklak = parseUnitsImport(readFileSync(new URL('../../../../db/seed/data/daklak.csv', import.meta.url), 'utf8'));
    expect(daklak.problems).toEqual([]);
    expect(daklak.rows).toHaveLength(196);
    expect(daklak.rows.filter((r) => r.level === 'district').every((r) => r.parentGsoCode === '66')).toBe(true);
    const hanoi = parseUnitsImport(readFileSync(new URL('../../../../db/seed/data/hanoi.csv', import.meta.url), 'utf8'));
    expect(hanoi.problems).toEqual([]);
    expect(hanoi.rows).toHaveLength(557);
  });

  it('reads the national register of 01/07/2025 whole: VN (a country, letters for a code), 34 provinces, 3,321 communes', () => {
    const vn = parseUnitsImport(readFileSync(new URL('../../../../db/seed/data/vietnam-2025.csv', import.meta.url), 'utf8'), { mode: 'register' });
    expect(vn.problems).toEqual([]);
    expect(vn.rows).toHaveLength(3356);
    expect(vn.rows[0]).toMatchObject({ gsoCode: 'VN', level: 'country', type: 'Quốc gia', parentGsoCode: null });
    expect(vn.rows.filter((r) => r.level === 'province').every((r) => r.parentGsoCode === 'VN')).toBe(true);
    expect(vn.rows.filter((r) => r.level === 'commune')).toHaveLength(3321);
  });

  it('refuses merged_into, valid_from and valid_to in a register imported with a merge table, and speaks English when asked', () => {
    expect(messages(parseUnitsImport(`${HEADER},valid_from\n01,A,province,Tỉnh,,2025-07-01\n`, { mode: 'register', file: 'vn.csv' }))).toEqual([
      'vn.csv dòng 1: cột valid_from không dùng khi nhập kèm bảng sáp nhập: ngày hiệu lực là ô "Hiệu lực từ", việc sáp nhập nằm trong bảng sáp nhập'
    ]);
    expect(messages(parseUnitsImport(`${HEADER}\n01,,province,Tỉnh,\n`, { lang: 'en', file: 'vn.csv' }))).toEqual(['vn.csv line 2: name is empty']);
  });

  it('refuses a header that lacks a column, names an unknown one, or repeats one', () => {
    expect(messages(parseUnitsImport('gso_code,name,level,parent_gso_code\n01,A,province,\n'))).toEqual([
      'dòng 1: dòng tiêu đề thiếu type: phải là gso_code,name,level,type,parent_gso_code (and optionally external_codes, merged_into, valid_from, valid_to)'
    ]);
    const bad = messages(parseUnitsImport(`${HEADER},merge_into,name\n01,A,province,Tỉnh,,,\n`));
    expect(bad).toHaveLength(2);
    expect(bad[0]).toMatch(/^dòng 1: không có cột "merge_into"/);
    expect(bad[1]).toBe('dòng 1: cột name xuất hiện hai lần trong dòng tiêu đề');
    expect(messages(parseUnitsImport(''))[0]).toMatch(/^tệp trống/);
    expect(messages(parseUnitsImport(`${HEADER}\n\n`))).toEqual(['tệp có dòng tiêu đề nhưng không có đơn vị nào']);
  });

  it('names every bad row with its line and reason, and keeps only the good rows', () => {
    const text = [
      `${HEADER},external_codes,merged_into,valid_from,valid_to`, // 1
      '01,Thành phố,province,Thành phố,,,,,', // 2
      '1/2,Quận lẻ,district,Quận,01,,,,', // 3: a slash is no code
      '001,,district,Quận,01,,,,', // 4: no name
      '001,Quận Hai,district,Quận,01,,,,', // 5: repeats line 4 (refused or not, a code is on one line)
      '002,Quận Ba,district,Quận,001 a,,,,', // 6: parent not a code
      '001,Quận Bốn,district,Quận,01,,,,', // 7: repeats line 5
      '00001,Phường,commune,Phường,001,portal,,,', // 8: bad external codes
      '00002,Phường,commune,Phường,001,,,,2025-07-01', // 9: valid_to without merged_into
      '00003,Phường,commune,Phường,001,,00003,,', // 10: merged into itself
      '00004,Phường,commune,Phường,001,,00001,2025-07-01,2025-02-30', // 11: not a date
      '00005,Phường,commune,Phường,001,,00001,2025-08-01,2025-07-01', // 12: from after to
      '00006,Phường,commune,Phường', // 13: too few fields
      '00007,Phường,commune,Phường,00007,,,,' // 14: its own parent
    ].join('\n');
    const { rows, problems, refused } = parseUnitsImport(text);
    expect(messages({ problems })).toEqual([
      'dòng 3: gso_code "1/2" không phải mã đơn vị hợp lệ (chữ cái, chữ số, dấu chấm, gạch ngang hoặc gạch dưới, 1–20 ký tự)',
      'dòng 4: name để trống',
      'dòng 5: gso_code 001 đã có ở dòng 4',
      'dòng 6: parent_gso_code "001 a" không phải mã đơn vị hợp lệ (chữ cái, chữ số, dấu chấm, gạch ngang hoặc gạch dưới, 1–20 ký tự)',
      'dòng 7: gso_code 001 đã có ở dòng 4',
      'dòng 8: external_codes "portal" không có dạng hệ_mã=mã (ví dụ portal=H44.100;dvc=000.00.44.H44)',
      'dòng 9: valid_to cần có merged_into: một đơn vị chỉ kết thúc khi được sáp nhập vào đơn vị khác',
      'dòng 10: merged_into 00003 là chính đơn vị này',
      'dòng 11: valid_to "2025-02-30" không phải là một ngày (YYYY-MM-DD)',
      'dòng 12: valid_from 2025-08-01 sau valid_to 2025-07-01',
      'dòng 13: dòng có 4 ô, dòng tiêu đề có 9',
      'dòng 14: parent_gso_code 00007 là chính đơn vị này'
    ]);
    expect(rows.map((r) => r.gsoCode)).toEqual(['01']);
    expect(refused.get('001')).toBe(4);
    expect(refused.get('00006')).toBe(13);
  });

  it('refuses a file of more than 20,000 units or 2 MB, and an unterminated quote', () => {
    const many = [HEADER, ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `${10000 + i},Xã ${i},commune,Xã,01`)].join('\n');
    expect(messages(parseUnitsImport(many))).toEqual(['tệp có 20.001 đơn vị; tối đa 20.000']);
    const exactly = [HEADER, '01,Tỉnh,province,Tỉnh,', ...Array.from({ length: MAX_IMPORT_ROWS - 1 }, (_, i) => `${10000 + i},Xã ${i},commune,Xã,01`)].join('\n');
    expect(parseUnitsImport(exactly).rows).toHaveLength(MAX_IMPORT_ROWS);
    const big = `${HEADER}\n01,${'x'.repeat(2 * 1024 * 1024)},province,Tỉnh,\n`;
    expect(messages(parseUnitsImport(big))[0]).toMatch(/^tệp nặng 2,0 MB; tối đa 2 MB$/);
    expect(messages(parseUnitsImport(`${HEADER}\n01,"Tỉnh,province,Tỉnh,\n001,Huyện,district,Huyện,01\n`))).toEqual([
      'dòng 2: một ô mở ngoặc kép nhưng không đóng (thiếu một dấu ")'
    ]);
  });

  it('counts lines through quoted line breaks and CRLF', () => {
    const { records } = csvRecords('a,b\r\n"x\r\ny\nz",1\r\n\r\nlast,2');
    expect(records.map((r) => [r.line, r.cells])).toEqual([[1, ['a', 'b']], [2, ['x\r\ny\nz', '1']], [5, ['']], [6, ['last', '2']]]);
  });

  it("takes a register's own codes: letters, digits, '.', '-', '_', up to 20 characters", () => {
    const text = [
      `${HEADER},external_codes`,
      'H44,Tỉnh Mẫu,province,Tỉnh,,portal=H44',
      'H44.100,Xã Một,commune,Xã,H44,portal=H44.100;dvc=000.00.44.H44',
      'x_1-B,Xã Hai,commune,Xã,H44,',
      '7,Xã Ba,commune,Xã,H44,',
      `${'A'.repeat(21)},Xã Dài,commune,Xã,H44,`
    ].join('\n');
    const { rows, problems } = parseUnitsImport(text);
    expect(rows.map((r) => [r.gsoCode, r.parentGsoCode])).toEqual([['H44', null], ['H44.100', 'H44'], ['x_1-B', 'H44'], ['7', 'H44']]);
    expect(rows[1]!.externalCodes).toEqual({ portal: 'H44.100', dvc: '000.00.44.H44' });
    expect(messages({ problems })).toEqual([`dòng 6: gso_code "${'A'.repeat(21)}" không phải mã đơn vị hợp lệ (chữ cái, chữ số, dấu chấm, gạch ngang hoặc gạch dưới, 1–20 ký tự)`]);
  });

  it('reads external codes as system=code pairs', () => {
    expect(parseExternalCodes('portal=H44.100;dvc=000.00.44.H44;')).toEqual({ codes: { portal: 'H44.100', dvc: '000.00.44.H44' } });
    expect(parseExternalCodes('')).toEqual({ codes: {} });
    expect(parseExternalCodes('a=1;a=2')).toEqual({ error: 'external_codes ghi hệ mã a hai lần' });
    expect(parseExternalCodes('=x')).toHaveProperty('error');
  });
});

// A small stored world: city 01 → districts 001, 002 → communes 00001, 00004 (in 001), 00007 (in 002);
// 00010 was merged into 00007 on 2025-07-01.
const IDS: Record<string, number> = { '01': 1, '001': 2, '002': 3 };
const unit = (id: number, gsoCode: string, parentGsoCode: string | null, extra: Partial<ExistingUnit> = {}): ExistingUnit => ({
  id, gsoCode, name: `Đơn vị ${gsoCode}`, level: gsoCode.length === 2 ? 'province' : gsoCode.length === 3 ? 'district' : 'commune',
  type: 'X', parentId: parentGsoCode === null ? null : (IDS[parentGsoCode] ?? null), parentGsoCode, externalCodes: {}, validFrom: null, validTo: null,
  mergedIntoGsoCode: null, ...extra
});
const STORED: ExistingUnit[] = [
  unit(1, '01', null), unit(2, '001', '01'), unit(3, '002', '01'), unit(4, '00001', '001'), unit(5, '00004', '001'),
  unit(6, '00007', '002'), unit(7, '00010', '002', { validTo: '2025-07-01', mergedIntoGsoCode: '00007' })
];
const TODAY = '2026-11-20';
const check = (csv: string, stored = STORED) => {
  const parsed = parseUnitsImport(csv);
  expect(messages(parsed)).toEqual([]);
  return checkUnitsImport(parsed.rows, stored, { today: TODAY, refused: parsed.refused });
};

describe('checkUnitsImport: the file against the stored units', () => {
  it('says which parent không tồn tại, on its line', () => {
    const lines = [HEADER, '001,Quận,district,Quận,01', '002,Quận,district,Quận,01', '003,Quận,district,Quận,01', '004,Quận,district,Quận,01', '005,Quận,district,Quận,01', '00100,Xã,commune,Xã,999'];
    expect(messages(check(lines.join('\n')))).toEqual(['dòng 7: parent_gso_code 999 không tồn tại']);
    // A parent in the file itself is fine, whatever the order.
    expect(messages(check(`${HEADER}\n00200,Xã,commune,Xã,900\n900,Huyện mới,district,Huyện,01\n`))).toEqual([]);
  });

  it('names a parent that is on a refused line rather than calling it missing', () => {
    const parsed = parseUnitsImport(`${HEADER}\n900,,district,Huyện,01\n00200,Xã,commune,Xã,900\n`);
    const { problems } = checkUnitsImport(parsed.rows, STORED, { today: TODAY, refused: parsed.refused });
    expect(messages({ problems })).toEqual(['dòng 3: parent_gso_code 900 nằm ở dòng 2, dòng đó bị từ chối']);
  });

  it('finds a cycle in the file, and one made with a stored unit, naming the lines', () => {
    const { problems } = check(`${HEADER}\n901,A,district,Huyện,902\n902,B,district,Huyện,901\n`);
    expect(messages({ problems })).toEqual(['dòng 2: quan hệ cấp trên tạo thành vòng: 901 → 902 → 901 (các dòng 2, 3)']);
    // 001 put under its own commune 00004 (stored under 001).
    expect(messages(check(`${HEADER}\n001,Quận,district,Quận,00004\n`))).toEqual(['dòng 2: quan hệ cấp trên tạo thành vòng: 001 → 00004 → 001']);
  });

  it('plans a merge: valid_to (the last day in force) defaults to yesterday, children move to the absorbing unit', () => {
    const { problems, plan } = check(`${HEADER},merged_into\n001,Quận,district,Quận,01,002\n00004,Phường,commune,Phường,001,00001\n`);
    expect(problems).toEqual([]);
    expect(plan.merged).toEqual(['001', '00004']);
    expect(plan.rows.map((r) => [r.gsoCode, r.mergedInto, r.validTo])).toEqual([['001', '002', '2026-11-19'], ['00004', '00001', '2026-11-19']]);
    // 00001 (current, not in the file) moves to 002; 00004 is in the file and merged: it stays where it was.
    expect(plan.moved).toEqual([{ code: '00001', from: '001', to: '002' }]);
  });

  it('keeps the date of a merge already stored, and sees a repeat as unchanged', () => {
    const { plan } = check(`${HEADER},merged_into\n00010,Đơn vị 00010,commune,X,002,00007\n`);
    expect(plan.rows[0]!.validTo).toBe('2025-07-01');
    expect(plan.merged).toEqual([]);
    expect(plan.unchanged).toEqual(['00010']);
  });

  it('refuses a current unit under a merged one, and a merge into a merged one', () => {
    const { problems } = check(`${HEADER},merged_into\n00300,Xã,commune,Xã,00010,\n00004,Phường,commune,Phường,001,00010\n00001,Phường,commune,Phường,001,00004\n`);
    expect(messages({ problems })).toEqual([
      'dòng 2: parent_gso_code 00010 đã sáp nhập vào 00007 (hiệu lực đến hết 2025-07-01): hãy đặt đơn vị dưới 00007',
      'dòng 3: merged_into 00010 đã sáp nhập vào 00007 (hiệu lực đến hết 2025-07-01): hãy sáp nhập vào 00007',
      'dòng 4: merged_into 00004 đã sáp nhập vào 00010 (hiệu lực đến hết 2026-11-19, dòng 3): hãy sáp nhập vào 00010'
    ]);
    expect(messages(check(`${HEADER},merged_into\n00004,Phường,commune,Phường,001,99999\n`))).toEqual(['dòng 2: merged_into 99999 không tồn tại']);
  });

  it('sorts rows into created, updated and unchanged', () => {
    const csv = [
      `${HEADER},external_codes`,
      '00500,Xã Mới,commune,Xã,002,', // created
      '00001,Đơn vị 00001,commune,X,001,', // as stored: unchanged
      '00004,Đơn vị 00004,commune,X,002,', // moved to 002: updated
      '00007,Đơn vị 00007,commune,X,002,portal=H26.07' // external codes: updated
    ];
    const { problems, plan } = check(csv.join('\n'));
    expect(problems).toEqual([]);
    expect(plan).toMatchObject({ created: ['00500'], updated: ['00004', '00007'], unchanged: ['00001'], merged: [], moved: [] });
  });

  it('refuses a merge whose children would move under themselves', () => {
    // District 001 merged into its own commune 00001: 00001 would become its own parent.
    const { problems } = check(`${HEADER},merged_into\n001,Quận,district,Quận,01,00001\n`);
    expect(messages({ problems })).toEqual(['dòng 2: quan hệ cấp trên tạo thành vòng: 00001 → 00001']);
  });

  it('refuses an external code that would name two current units in one system, stored or in the file', () => {
    const stored = STORED.map((u) => (u.gsoCode === '00001' ? { ...u, externalCodes: { portal: 'H26.01' } } : u.gsoCode === '00010' ? { ...u, externalCodes: { portal: 'H26.99' } } : u));
    expect(messages(check(`${HEADER},external_codes\n00004,Xã,commune,X,001,portal=H26.01\n`, stored))).toEqual([
      'dòng 2: mã ngoài portal=H26.01 thuộc 2 đơn vị (00001, 00004): mỗi mã chỉ được gán cho một đơn vị đang hiệu lực'
    ]);
    expect(messages(check(`${HEADER},external_codes\n00500,Xã,commune,X,001,dvc=9\n00501,Xã,commune,X,001,dvc=9\n`, stored))[0]).toMatch(/^dòng 2: mã ngoài dvc=9 thuộc 2 đơn vị \(00500, 00501\)/);
    // The file replaces a unit's codes (00001 gives H26.01 up); a merged unit's code is free; another system is another code.
    expect(messages(check(`${HEADER},external_codes\n00001,Xã,commune,X,001,portal=H26.02\n00004,Xã,commune,X,001,portal=H26.01;dvc=H26.02\n00007,Xã,commune,X,002,portal=H26.99\n`, stored))).toEqual([]);
  });

  it('checks rows typed by hand too', () => {
    const row: UnitImportRow = { line: 2, gsoCode: '00600', name: 'Xã', level: 'commune', type: 'Xã', parentGsoCode: '002', externalCodes: null, mergedInto: null, validFrom: null, validTo: null };
    expect(checkUnitsImport([row], STORED, { today: TODAY }).plan.created).toEqual(['00600']);
  });
});
