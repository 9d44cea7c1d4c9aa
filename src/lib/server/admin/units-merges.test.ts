import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUnitsImport } from './units.ts';
import { MAX_MERGE_ROWS, parseMergeTable, planReform, type StoredUnit } from './units-merges.ts';

const HEADER = 'new_gso_code,new_name,old_gso_code,old_name,old_district_code,old_province_code,note';
const messages = (r: { problems: { message: string }[] }) => r.problems.map((p) => p.message);
const FILE = { file: 'merge-2025.csv' };

describe('parseMergeTable: the merge table on its own', () => {
  it('reads the national table whole: 10,571 rows, the island districts without a commune code', () => {
    const { rows, problems } = parseMergeTable(readFileSync(new URL('../../../../db/seed/data/merge-2025.csv', import.meta.url), 'utf8'), FILE);
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(10_571);
    expect(rows[0]).toEqual({ line: 2, newCode: '00004', newName: 'Phường Ba Đình', oldCode: '00004', oldName: 'Phường Trúc Bạch', oldDistrictCode: '001', oldProvinceCode: '01', note: 'Nhập toàn bộ' });
    // Quoted notes with a comma; Côn Đảo: a district with no commune made a special zone.
    expect(rows.find((r) => r.line === 74)!.note).toBe('Nhập một phần diện tích, toàn bộ dân số');
    expect(rows.find((r) => r.newName === 'Đặc khu Côn Đảo')).toMatchObject({ oldCode: null, oldDistrictCode: '755', oldProvinceCode: '77' });
  });

  it('takes the columns in any order, a BOM and CRLF', () => {
    const { rows, problems } = parseMergeTable('\uFEFFnote,old_province_code,old_district_code,old_name,old_gso_code,new_name,new_gso_code\r\nGiữ nguyên,01,001,Phường A,00001,Phường A,00001\r\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ line: 2, newCode: '00001', newName: 'Phường A', oldCode: '00001', oldName: 'Phường A', oldDistrictCode: '001', oldProvinceCode: '01', note: 'Giữ nguyên' }]);
  });

  it('refuses a bad header: a missing column, an unknown one, one twice, or no header at all', () => {
    expect(messages(parseMergeTable('new_gso_code,new_name,old_gso_code,old_name,old_province_code,note\n00004,A,00004,B,01,Nhập toàn bộ\n', FILE))).toEqual([
      `merge-2025.csv dòng 1: dòng tiêu đề thiếu old_district_code: phải là ${HEADER}`
    ]);
    expect(messages(parseMergeTable(`${HEADER},ghi_chu\n`, FILE))).toEqual([`merge-2025.csv dòng 1: không có cột "ghi_chu": dòng tiêu đề phải là ${HEADER}`]);
    expect(messages(parseMergeTable(`${HEADER},note\n`, FILE))).toEqual(['merge-2025.csv dòng 1: cột note xuất hiện hai lần trong dòng tiêu đề']);
    expect(messages(parseMergeTable('', FILE))).toEqual([`merge-2025.csv: tệp trống: dòng đầu phải là dòng tiêu đề ${HEADER}`]);
    expect(messages(parseMergeTable(`${HEADER}\n`, FILE))).toEqual(['merge-2025.csv: tệp có dòng tiêu đề nhưng không có dòng sáp nhập nào']);
    // The register's header is not a merge table's.
    expect(messages(parseMergeTable('gso_code,name,level,type,parent_gso_code\nVN,Việt Nam,country,Quốc gia,\n', FILE))[0]).toBe(`merge-2025.csv dòng 1: không có cột "gso_code": dòng tiêu đề phải là ${HEADER}`);
  });

  it('names every bad line with its reason, and duplicate pairs with the line they repeat', () => {
    const text = [
      HEADER, // 1
      '00004,Phường Ba Đình,00004,Phường Trúc Bạch,001,01,Nhập toàn bộ', // 2
      ',Phường Ba Đình,00013,Phường Quán Thánh,001,01,Nhập toàn bộ', // 3: no new code
      '00004,Phường Ba Đình,00016,Phường Ngọc Hà,001,,Nhập một phần', // 4: no old province
      '00004,Phường Ba Đình,00019,Phường Điện Biên,001,01,', // 5: no note
      '00004,Phường Ba Đình,00004,Phường Trúc Bạch,001,01,Nhập một phần', // 6: the pair of line 2 again
      '00004,Phường Ba Đình,0 0 22,Phường Đội Cấn,001,01,Nhập một phần', // 7: not a code
      '00008,Phường Ngọc Hà,,,,01,Nhập toàn bộ', // 8: names no old unit
      '00008,Phường Ngọc Hà,00016,Phường Ngọc Hà,001,01', // 9: a cell short
      '00008,Phường Ngọc Hà,00016,Phường Ngọc Hà,001,01,"Nhập một phần, diện tích"' // 10: good (00016 split between 00004 and 00008)
    ].join('\n');
    const { rows, problems } = parseMergeTable(text, FILE);
    expect(messages({ problems })).toEqual([
      'merge-2025.csv dòng 3: new_gso_code để trống',
      'merge-2025.csv dòng 4: old_province_code để trống',
      'merge-2025.csv dòng 5: note để trống: ghi cách đơn vị cũ vào đơn vị mới (Nhập toàn bộ, Nhập một phần …)',
      'merge-2025.csv dòng 6: cặp 00004 → 00004 đã có ở dòng 2',
      'merge-2025.csv dòng 7: old_gso_code "0 0 22" không phải mã đơn vị hợp lệ (chữ cái, chữ số, dấu chấm, gạch ngang hoặc gạch dưới, 1–20 ký tự)',
      'merge-2025.csv dòng 8: old_gso_code và old_district_code đều trống: dòng không nói đơn vị cũ nào',
      'merge-2025.csv dòng 9: dòng có 6 ô, dòng tiêu đề có 7'
    ]);
    expect(rows.map((r) => r.line)).toEqual([2, 10]);
    expect(problems.every((p) => p.field === 'merges' && p.file === 'merge-2025.csv')).toBe(true);
  });

  it('speaks English when asked, and refuses a table too long', () => {
    expect(messages(parseMergeTable(`${HEADER}\n,A,00004,B,001,01,Nhập toàn bộ\n`, { ...FILE, lang: 'en' }))).toEqual(['merge-2025.csv line 2: new_gso_code is empty']);
    const many = [HEADER, ...Array.from({ length: MAX_MERGE_ROWS + 1 }, (_, i) => `${10000 + i},X,${60000 + i},Y,001,01,Nhập toàn bộ`)].join('\n');
    expect(messages(parseMergeTable(many))).toEqual(['tệp có 50.001 dòng; tối đa 50.000']);
  });
});

// A stored world before the reform: province 01 → districts 001, 002 → communes 00001, 00004 (001), 00007 (002);
// a department of the city (its own level); province 02 → district 024 → commune 00688 (not in the new register).
const unit = (id: number, gsoCode: string, parentId: number | null, level: string, extra: Partial<StoredUnit> = {}): StoredUnit => ({
  id, gsoCode, name: `Đơn vị ${gsoCode}`, level, type: 'X', parentId, externalCodes: {}, validFrom: null, validTo: null, ...extra
});
const STORED: StoredUnit[] = [
  unit(1, '01', null, 'province', { name: 'Thành phố Hà Nội', type: 'Thành phố Trung ương' }),
  unit(2, '001', 1, 'district'), unit(3, '002', 1, 'district'),
  unit(4, '00001', 2, 'commune'), unit(5, '00004', 2, 'commune'), unit(6, '00007', 3, 'commune'),
  unit(7, 'SO-NV', 1, 'department'),
  unit(8, '02', null, 'province'), unit(9, '024', 8, 'district'), unit(10, '00688', 9, 'commune')
];
const REGISTER = [
  'gso_code,name,level,type,parent_gso_code',
  'VN,Việt Nam,country,Quốc gia,',
  '01,Thành phố Hà Nội,province,Thành phố Trung ương,VN',
  '00004,Phường Ba Đình,commune,Phường,01',
  '00008,Phường Mới,commune,Phường,01',
  '08,Tỉnh Tuyên Quang,province,Tỉnh,VN',
  '00691,Phường Hà Giang,commune,Phường,08'
].join('\n');
const MERGES = [
  HEADER,
  '00004,Phường Ba Đình,00004,Phường Trúc Bạch,001,01,Nhập toàn bộ',
  '00004,Phường Ba Đình,00001,Phường Phúc Xá,001,01,Nhập một phần',
  '00008,Phường Mới,00001,Phường Phúc Xá,001,01,Nhập một phần',
  '00008,Phường Mới,00007,Phường C,002,01,Nhập toàn bộ',
  '00691,Phường Hà Giang,00688,Phường Quang Trung,024,02,Nhập toàn bộ',
  '00691,Phường Hà Giang,00700,Xã Không Cài,024,02,Nhập toàn bộ' // not stored: skipped
].join('\n');
const plan = (register = REGISTER, merges = MERGES, stored = STORED, lang: 'vi' | 'en' = 'vi') => {
  const r = parseUnitsImport(register, { mode: 'register', file: 'vietnam-2025.csv' });
  const m = parseMergeTable(merges, FILE);
  expect([...r.problems, ...m.problems]).toEqual([]);
  return planReform(r.rows, m.rows, stored, { effectiveFrom: '2025-07-01', registerFile: 'vietnam-2025.csv', mergesFile: 'merge-2025.csv', lang });
};

describe('planReform: the register and its merge table against the stored units', () => {
  it('ends the named old units and the old map below the listed provinces on D−1, keeps the departments, and shares each old commune', () => {
    const { problems, plan: p } = plan();
    expect(problems).toEqual([]);
    expect(p.endedOn).toBe('2025-06-30');
    // The old communes and districts of 01; 02's commune (named), district (old_district_code) and province (old_province_code, gone from the register).
    expect(p.ending.map((u) => u.gsoCode).sort()).toEqual(['00001', '00004', '00007', '001', '002', '00688', '02', '024'].sort());
    const rows = Object.fromEntries(p.rows.map((r) => [r.gsoCode, { id: r.id, startsOn: r.startsOn, newVersion: r.newVersion, changed: r.changed }]));
    expect(rows).toEqual({
      VN: { id: null, startsOn: null, newVersion: false, changed: true }, // above the provinces: open
      '01': { id: 1, startsOn: null, newVersion: false, changed: true }, // continues, under VN now
      '00004': { id: null, startsOn: '2025-07-01', newVersion: true, changed: true }, // the code of an ended unit: a new row
      '00008': { id: null, startsOn: '2025-07-01', newVersion: false, changed: true },
      '08': { id: null, startsOn: null, newVersion: false, changed: true },
      '00691': { id: null, startsOn: '2025-07-01', newVersion: false, changed: true }
    });
    // Phúc Xá split in two (1/2 each, estimated); the others whole.
    expect(p.links.map((l) => [l.predecessorId, l.newCode, l.share, l.estimated])).toEqual([
      [5, '00004', 1, false], [4, '00004', 0.5, true], [4, '00008', 0.5, true], [6, '00008', 1, false], [10, '00691', 1, false]
    ]);
    expect(p.skipped).toEqual({ rows: 1, provinces: { '02': 1 }, notAUnit: [] });
  });

  it('plans nothing the second time: the old units already ended, the new ones continue', () => {
    // The world after the first import.
    const after: StoredUnit[] = [
      ...STORED.map((u) => (['00001', '00004', '00007', '001', '002', '00688', '02', '024'].includes(u.gsoCode) ? { ...u, validTo: '2025-06-30' } : u.gsoCode === '01' ? { ...u, parentId: 11 } : u)),
      unit(11, 'VN', null, 'country', { name: 'Việt Nam', type: 'Quốc gia' }),
      unit(12, '00004', 1, 'commune', { name: 'Phường Ba Đình', type: 'Phường', validFrom: '2025-07-01' }),
      unit(13, '00008', 1, 'commune', { name: 'Phường Mới', type: 'Phường', validFrom: '2025-07-01' }),
      unit(14, '08', 11, 'province', { name: 'Tỉnh Tuyên Quang', type: 'Tỉnh' }),
      unit(15, '00691', 14, 'commune', { name: 'Phường Hà Giang', type: 'Phường', validFrom: '2025-07-01' })
    ];
    const { problems, plan: p } = plan(REGISTER, MERGES, after);
    expect(problems).toEqual([]);
    expect(p.ending).toEqual([]);
    expect(p.rows.every((r) => r.id !== null && !r.changed)).toBe(true);
    expect(p.alreadyEnded).toBe(4);
    expect(p.links).toHaveLength(5);
  });

  it('names a new code that is neither in the register nor in force, an old unit under another province, and a unit left under an ended one', () => {
    const merges = MERGES.replace('00008,Phường Mới,00007,Phường C,002,01', '00009,Phường Khác,00007,Phường C,002,01') // line 5
      .replace('00691,Phường Hà Giang,00688,Phường Quang Trung,024,02', '00691,Phường Hà Giang,00688,Phường Quang Trung,024,04'); // line 6
    // 00007 is no longer named (line 5 is refused): it ends anyway, below 01 and not in the register. A department under a district would be left behind:
    const stored = [...STORED, unit(20, 'BQL', 2, 'department', { name: 'Ban quản lý' })];
    const { problems } = plan(REGISTER, merges, stored);
    expect(messages({ problems })).toEqual([
      // 00688 is not named (line 6 is refused), but its district and province end (line 7 names them).
      'vietnam-2025.csv: 00688 (Đơn vị 00688) vẫn hiệu lực nhưng đơn vị cấp trên 024 (Đơn vị 024) kết thúc ngày 30/06/2025: hãy ghi 00688 vào danh mục với đơn vị cấp trên mới, hoặc vào bảng sáp nhập',
      'vietnam-2025.csv: BQL (Ban quản lý) vẫn hiệu lực nhưng đơn vị cấp trên 001 (Đơn vị 001) kết thúc ngày 30/06/2025: hãy ghi BQL vào danh mục với đơn vị cấp trên mới, hoặc vào bảng sáp nhập',
      'merge-2025.csv dòng 5: new_gso_code 00009 (Phường Khác) không có trong danh mục vietnam-2025.csv và không phải đơn vị đang hiệu lực',
      'merge-2025.csv dòng 6: old_gso_code 00688 có trong dữ liệu nhưng không thuộc tỉnh 04 (old_province_code)'
    ]);
    expect(messages(plan(REGISTER, merges, stored, 'en'))[2]).toBe('merge-2025.csv line 5: new_gso_code 00009 (Phường Khác) is neither in the register vietnam-2025.csv nor a unit in force');
  });

  it('refuses an old unit that ended after D−1, and a register parent that ends', () => {
    const stored = STORED.map((u) => (u.gsoCode === '00007' ? { ...u, validTo: '2025-09-30' } : u));
    expect(messages(plan(REGISTER, MERGES, stored))).toEqual([
      'merge-2025.csv dòng 5: 00007 (Đơn vị 00007) đã kết thúc ngày 30/09/2025, sau ngày 30/06/2025: không thể cho nó kết thúc trước hiệu lực 01/07/2025'
    ]);
    const register = `${REGISTER}\n00010,Xã Dưới Huyện,commune,Xã,001`;
    expect(messages(plan(register))).toEqual([
      'vietnam-2025.csv dòng 8: parent_gso_code 001 (Đơn vị 001) kết thúc ngày 30/06/2025: hãy đặt đơn vị dưới một đơn vị của danh mục'
    ]);
  });

  it('names an island district without communes as the old unit, and an area of a district with communes as no unit', () => {
    const stored = [...STORED, unit(30, '318', 1, 'district', { name: 'Huyện Bạch Long Vĩ' })];
    const register = `${REGISTER}\n11948,Đặc khu Bạch Long Vĩ,commune,Đặc khu,01`;
    const merges = `${MERGES}\n11948,Đặc khu Bạch Long Vĩ,,,318,01,Sắp xếp toàn bộ huyện Bạch Long Vĩ thành đặc khu Bạch Long Vĩ\n00008,Phường Mới,,Khu vực bãi bồi,001,01,Nhập toàn bộ`;
    const { problems, plan: p } = plan(register, merges, stored);
    expect(problems).toEqual([]);
    expect(p.links.find((l) => l.predecessorId === 30)).toMatchObject({ newCode: '11948', share: 1, estimated: false });
    expect(p.skipped.notAUnit).toEqual([9]);
  });
});

describe('planReform: the same table with another day', () => {
  it('refuses to end the units this table made (imported before from 01/07/2025, now given 02/07/2025)', () => {
    const after: StoredUnit[] = [
      ...STORED.map((u) => (['00001', '00004', '00007', '001', '002'].includes(u.gsoCode) ? { ...u, validTo: '2025-06-30' } : u)),
      unit(12, '00004', 1, 'commune', { name: 'Phường Ba Đình', type: 'Phường', validFrom: '2025-07-01' })
    ];
    const r = parseUnitsImport(REGISTER, { mode: 'register', file: 'vietnam-2025.csv' });
    const m = parseMergeTable(MERGES, FILE);
    const { problems } = planReform(r.rows, m.rows, after, {
      effectiveFrom: '2025-07-02', registerFile: 'vietnam-2025.csv', mergesFile: 'merge-2025.csv',
      lineage: [{ predecessorId: 5, successorId: 12 }, { predecessorId: 4, successorId: 12 }]
    });
    expect(messages({ problems })[0]).toBe(
      'merge-2025.csv dòng 2: 00004 là Phường Ba Đình, đơn vị mới của chính bảng sáp nhập này (có hiệu lực từ 01/07/2025): bảng đã được nhập với ngày hiệu lực 01/07/2025, hãy dùng đúng ngày đó'
    );
  });
});
