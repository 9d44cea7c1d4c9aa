import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEMO_SOURCES } from '#server/seed/demo-sources';
import { jsonRecords } from './json.ts';
import { mapBody } from './index.ts';
import { templateMapping } from './config.ts';
import { readXlsx, sniffUpload, templateCsv, templateXlsx } from './sheets.ts';
import { parseCsv, tableRecords } from './table.ts';
import { deriveTaskRows, validateTasks } from './tasks.ts';
import { validateRecords, type Lookups } from './validate.ts';

const METRICS = [
  ['dossier.received', 'count', null], ['dossier.received_online', 'count', 'dossier.received'], ['payment.welfare_amount', 'vnd', null],
  ['task.completed_on_time', 'count', null], ['task.completed_late', 'count', null], ['task.open_in_time', 'count', null], ['task.open_overdue', 'count', null]
] as const;
const lookups: Lookups & { unitIdsUnder(): number[] } = {
  unitIdByCode: new Map([['00001', 1], ['00004', 2], ['278', 3]]),
  codeSystem: 'gso',
  metrics: new Map(METRICS.map(([key, unit, partOf], i) => [key, { id: i + 1, unit, partOf }])),
  unitIdsUnder: () => [1, 2, 3]
};
const window = { from: '2026-11-18', to: '2026-11-20' };
const rec = (row: number, unitCode: unknown, date: unknown, values: Record<string, unknown>) => ({ row, unitCode, date, values });

describe('row checks', () => {
  it('keeps good rows and rejects each bad one with its reason in words', () => {
    const { rows, rejected } = validateRecords([
      rec(0, '00001', '2026-11-20', { 'dossier.received': 10, 'dossier.received_online': 8 }),
      rec(1, '99999', '2026-11-20', { 'dossier.received': 1 }),
      rec(2, '00004', '2026-11-20', { 'dossier.received': '12' }),
      rec(3, '00004', '2026-11-19', { 'dossier.received': -3 }),
      rec(4, '00004', '2026-11-18', { 'dossier.received': 5, 'dossier.received_online': 6 }),
      rec(5, '00004', '2026-11-10', { 'dossier.received': 5 }),
      rec(6, '00004', '2026-02-30', { 'dossier.received': 5 }),
      rec(7, '00004', '2026-11-19', { 'dossier.received': 2.5 }),
      rec(8, '00004', '2026-11-19', { 'dossier.nonsense': 2 }),
      rec(9, '00004', '2026-11-19', { 'dossier.received': null }),
      rec(10, 4, '2026-11-19', { 'dossier.received': 1 })
    ], lookups, window);
    expect(rows).toEqual([{ unitId: 1, metricId: 1, day: '2026-11-20', value: 10 }, { unitId: 1, metricId: 2, day: '2026-11-20', value: 8 }]);
    expect(rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'không có đơn vị mã 99999 trong hệ mã gso (đơn vị 99999, 2026-11-20)'],
      [2, 'dossier.received phải là một số, nhận được "12" (đơn vị 00004, 2026-11-20)'],
      [3, 'dossier.received không được âm (-3) (đơn vị 00004, 2026-11-19)'],
      [4, 'dossier.received_online (6) lớn hơn dossier.received (5) (đơn vị 00004, 2026-11-18)'],
      [5, 'ngày 2026-11-10 nằm ngoài khoảng đã yêu cầu 2026-11-18 – 2026-11-20 (đơn vị 00004, 2026-11-10)'],
      [6, 'ngày "2026-02-30" không phải là một ngày (đơn vị 00004, 2026-02-30)'],
      [7, 'dossier.received phải là số nguyên (2.5) (đơn vị 00004, 2026-11-19)'],
      [8, 'không có chỉ tiêu dossier.nonsense (kiểm tra phép ánh xạ của nguồn) (đơn vị 00004, 2026-11-19)'],
      [9, 'dossier.received: thiếu giá trị (đơn vị 00004, 2026-11-19)'],
      [10, 'mã đơn vị phải là chữ, nhận được 4']
    ]);
  });
  it('drops an identical duplicate and refuses both rows of a conflict', () => {
    const { rows, rejected } = validateRecords([
      rec(0, '00001', '2026-11-20', { 'dossier.received': 10 }),
      rec(1, '00001', '2026-11-20', { 'dossier.received': 10 }),
      rec(2, '00004', '2026-11-20', { 'dossier.received': 3 }),
      rec(3, '00004', '2026-11-20', { 'dossier.received': 4 })
    ], lookups, window);
    expect(rows).toEqual([{ unitId: 1, metricId: 1, day: '2026-11-20', value: 10 }]);
    expect(rejected.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(rejected[0]!.reason).toMatch(/^trùng với dòng 0, bỏ qua/);
    expect(rejected[2]!.reason).toMatch(/^mâu thuẫn với dòng 2/);
  });
  it("refuses a unit outside the source's scope (the scope is unit ids, whatever the source's codes)", () => {
    const { rejected } = validateRecords([rec(0, '00004', '2026-11-20', { 'dossier.received': 1 })], lookups, window, new Set([1]));
    expect(rejected[0]!.reason).toBe('đơn vị 00004 nằm ngoài phạm vi của nguồn này (đơn vị 00004, 2026-11-20)');
    // A polled system answering for more units than the source takes: those rows are skipped and counted, a bad row is still rejected.
    const polled = validateRecords(
      [rec(0, '00004', '2026-11-20', { 'dossier.received': 1 }), rec(1, '00001', '2026-11-20', { 'dossier.received': 2 }), rec(2, '00001', '2026-11-21', { 'dossier.received': -1 })],
      lookups, window, new Set([1]), 'skip'
    );
    expect(polled).toMatchObject({ skipped: 1, rows: [{ unitId: 1, value: 2 }] });
    expect(polled.rejected.map((r) => r.index)).toEqual([2]);
    const portal = { ...lookups, unitIdByCode: new Map([['H44.100', 1], ['H44.101', 2]]), codeSystem: 'portal' };
    const out = validateRecords(
      [rec(0, 'H44.100', '2026-11-20', { 'dossier.received': 1 }), rec(1, 'H44.101', '2026-11-20', { 'dossier.received': 2 }), rec(2, '00001', '2026-11-20', { 'dossier.received': 3 })],
      portal, window, new Set([1])
    );
    expect(out.rows).toEqual([{ unitId: 1, metricId: 1, day: '2026-11-20', value: 1 }]);
    expect(out.rejected.map((r) => r.reason)).toEqual([
      'đơn vị H44.101 nằm ngoài phạm vi của nguồn này (đơn vị H44.101, 2026-11-20)',
      'không có đơn vị mã 00001 trong hệ mã portal (đơn vị 00001, 2026-11-20)'
    ]);
  });
  it('allows money amounts that are not whole', () => {
    expect(validateRecords([rec(0, '00001', '2026-11-20', { 'payment.welfare_amount': 1500.5 })], lookups, window).rejected).toEqual([]);
  });
});

describe('a periodic source\'s rows', () => {
  // Two periodic metrics (a pair, the part of its whole), a published score, and a daily metric.
  const periodic: Lookups & { unitIdsUnder(): number[] } = {
    unitIdByCode: new Map([['H26', 10], ['H26.100', 11], ['H26.101', 12]]),
    codeSystem: 'portal',
    metrics: new Map([
      ['p766.progress.n', { id: 1, unit: 'count', partOf: 'p766.progress.d', periodic: true }],
      ['p766.progress.d', { id: 2, unit: 'count', partOf: null, periodic: true }],
      ['p766.score.progress', { id: 3, unit: 'points', partOf: null, periodic: true }],
      ['dossier.received', { id: 4, unit: 'count', partOf: null }]
    ]),
    unitIdsUnder: () => [10, 11, 12]
  };
  const month = { from: '2026-11-01', to: '2026-11-30', period: { kind: 'month' as const, start: '2026-11-01', end: '2026-11-30' } };

  it('stores each row as the period\'s value (no date needed), and rejects each bad one with its reason', () => {
    const { rows, rejected } = validateRecords([
      rec(0, 'H26.100', undefined, { 'p766.progress.n': 8, 'p766.progress.d': 10, 'p766.score.progress': 16 }),
      rec(1, 'H26.101', '2026-11-15', { 'p766.progress.n': 0, 'p766.progress.d': 0, 'p766.score.progress': 0 }),
      rec(2, 'H26', '2026-12-01', { 'p766.progress.n': 1, 'p766.progress.d': 1 }),
      rec(3, 'H26.999', undefined, { 'p766.progress.n': 1, 'p766.progress.d': 1 }),
      rec(4, 'H26', undefined, { 'p766.progress.n': 11, 'p766.progress.d': 10 }),
      rec(5, 'H26', undefined, { 'p766.progress.n': -1, 'p766.progress.d': 10 }),
      rec(6, 'H26', undefined, { 'p766.progress.n': 1.5, 'p766.progress.d': 10 }),
      rec(7, 'H26', undefined, { 'dossier.received': 3 }),
      rec(8, 'H26', 'hôm qua', { 'p766.progress.n': 1, 'p766.progress.d': 1 })
    ], periodic, month);
    expect(rows).toEqual([
      { unitId: 11, metricId: 1, day: '2026-11-01', value: 8 }, { unitId: 11, metricId: 2, day: '2026-11-01', value: 10 }, { unitId: 11, metricId: 3, day: '2026-11-01', value: 16 },
      { unitId: 12, metricId: 1, day: '2026-11-01', value: 0 }, { unitId: 12, metricId: 2, day: '2026-11-01', value: 0 }, { unitId: 12, metricId: 3, day: '2026-11-01', value: 0 }
    ]);
    expect(rejected.map((r) => [r.index, r.reason])).toEqual([
      [2, 'ngày 2026-12-01 nằm ngoài kỳ tháng 11/2026 (2026-11-01 – 2026-11-30) của yêu cầu (đơn vị H26)'],
      [3, 'không có đơn vị mã H26.999 trong hệ mã portal (đơn vị H26.999)'],
      [4, 'p766.progress.n (11) lớn hơn p766.progress.d (10) (đơn vị H26)'],
      [5, 'p766.progress.n không được âm (-1) (đơn vị H26)'],
      [6, 'p766.progress.n phải là số nguyên (1.5) (đơn vị H26)'],
      [7, 'chỉ tiêu dossier.received là số liệu theo ngày: nguồn công bố theo kỳ (tháng) không được gửi chỉ tiêu này (đơn vị H26)'],
      [8, 'ngày "hôm qua" không phải là một ngày (đơn vị H26)']
    ]);
  });

  it('accepts a score that is not a whole number (unit points)', () => {
    const { rows, rejected } = validateRecords([rec(0, 'H26', null, { 'p766.score.progress': 18.13 })], periodic, month);
    expect(rejected).toEqual([]);
    expect(rows).toEqual([{ unitId: 10, metricId: 3, day: '2026-11-01', value: 18.13 }]);
  });

  it('refuses a periodic metric from a source of daily values', () => {
    const { rows, rejected } = validateRecords([rec(0, 'H26', '2026-11-20', { 'p766.progress.d': 3 })], periodic, { from: '2026-11-18', to: '2026-11-20' });
    expect(rows).toEqual([]);
    expect(rejected[0]!.reason).toBe('chỉ tiêu p766.progress.d là số liệu theo kỳ (tháng, quý, năm): chỉ nhận từ nguồn có kỳ công bố, nguồn này lấy số liệu theo ngày (đơn vị H26, 2026-11-20)');
  });

  it('drops an identical repeat of a unit in the same period and refuses both rows of a conflict', () => {
    const { rows, rejected } = validateRecords([
      rec(0, 'H26.100', undefined, { 'p766.progress.d': 10 }),
      rec(1, 'H26.100', '2026-11-30', { 'p766.progress.d': 10 }),
      rec(2, 'H26.101', undefined, { 'p766.progress.d': 3 }),
      rec(3, 'H26.101', undefined, { 'p766.progress.d': 4 })
    ], periodic, month);
    expect(rows).toEqual([{ unitId: 11, metricId: 2, day: '2026-11-01', value: 10 }]);
    expect(rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'trùng với dòng 0, bỏ qua (đơn vị H26.100)'],
      [2, 'mâu thuẫn với một dòng sau cho cùng đơn vị và kỳ (đơn vị H26.101)'],
      [3, 'mâu thuẫn với dòng 2: hai dòng khác nhau cho cùng đơn vị và kỳ (đơn vị H26.101)']
    ]);
  });

  it('finds a unit by the period\'s last day: a year of the new map is the new unit\'s', () => {
    const since = { ...periodic, unitIdOn: (code: string, day: string) => (day >= '2025-07-01' ? periodic.unitIdByCode.get(code) : undefined) };
    const year = { from: '2025-01-01', to: '2025-12-31', period: { kind: 'year' as const, start: '2025-01-01', end: '2025-12-31' } };
    expect(validateRecords([rec(0, 'H26.100', undefined, { 'p766.progress.d': 5 })], since, year).rows).toEqual([{ unitId: 11, metricId: 2, day: '2025-01-01', value: 5 }]);
    const q1 = { from: '2025-01-01', to: '2025-03-31', period: { kind: 'quarter' as const, start: '2025-01-01', end: '2025-03-31' } };
    expect(validateRecords([rec(0, 'H26.100', undefined, { 'p766.progress.d': 5 })], since, q1).rejected[0]!.reason).toBe(
      'đơn vị mã H26.100 không có hiệu lực trong kỳ quý 1/2025 (hệ mã portal) (đơn vị H26.100)'
    );
  });

  it('maps a body into the period\'s values, with $request.period the piece\'s', async () => {
    const source = {
      kind: 'json_http', produces: 'samples', scopeUnitId: null,
      mapping: { expression: 'data.children.{ "unitCode": departmentCode, "date": $request.period.end, "values": { "p766.progress.d": totalReceived } }' }
    };
    const body = JSON.stringify({ data: { children: [{ departmentCode: 'H26.100', totalReceived: 7 }] } });
    const quarter = { from: '2026-10-01', to: '2026-12-31', period: { kind: 'quarter' as const, start: '2026-10-01', end: '2026-12-31' } };
    const mapped = await mapBody(source, { text: body }, periodic, quarter);
    expect(mapped.rejected).toEqual([]);
    expect(mapped.rows).toEqual([]);
    expect(mapped.periodRows).toEqual([{ unitId: 11, metricId: 2, periodKind: 'quarter', periodStart: '2026-10-01', value: 7 }]);
  });
});

describe('JSON sources mapped by JSONata', () => {
  const dossier = DEMO_SOURCES.find((s) => s.key === 'motcua')!;
  const row = { maDonVi: '00001', ngay: '2026-11-20', tiepNhan: 10, tiepNhanTrucTuyen: 8, daGiaiQuyet: 7, giaiQuyetDungHan: 6,
    dangGiaiQuyetTrongHan: 2, dangGiaiQuyetQuaHan: 1, soHoaThanhPhan: 5, coPhiLePhi: 4, thanhToanTrucTuyen: 2 };
  it('maps the demo one-stop-shop body with its seeded expression, row numbers included', async () => {
    const body = JSON.stringify({ duLieu: [row, { ...row, maDonVi: '00004' }] });
    const { records } = await jsonRecords(body, (dossier.mapping as { expression: string }).expression);
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({ row: 1, unitCode: '00004', date: '2026-11-20' });
    expect(records[0]!.values['dossier.paid_online']).toBe(2);
    expect(Object.keys(records[0]!.values)).toHaveLength(9);
  });
  it('accepts flat samples and groups them back into rows', async () => {
    const body = JSON.stringify([{ u: '00001', d: '2026-11-20', r: 10, o: 3 }]);
    const expr = '$.([{"unitCode": u, "date": d, "metric": "dossier.received", "value": r}, {"unitCode": u, "date": d, "metric": "dossier.received_online", "value": o}])';
    const { records } = await jsonRecords(body, expr);
    expect(records).toEqual([{ row: 0, unitCode: '00001', date: '2026-11-20', values: { 'dossier.received': 10, 'dossier.received_online': 3 } }]);
  });
  it('rejects a row whose field is missing (JSONata drops it) through the declared metrics', async () => {
    const src = { kind: 'json_http', produces: 'samples', scopeUnitId: null, mapping: { expression: 'rows.{"unitCode": c, "date": d, "values": {"dossier.received": r}}', metrics: ['dossier.received'] } };
    const out = await mapBody(src, { text: JSON.stringify({ rows: [{ c: '00001', d: '2026-11-20', r: 4 }, { c: '00004', d: '2026-11-20' }] }) }, lookups, window);
    expect(out.rows).toHaveLength(1);
    expect(out.rejected).toEqual([{ index: 1, reason: 'dossier.received: thiếu giá trị (đơn vị 00004, 2026-11-20)' }]);
  });
  it('fails the whole body, in words, when it is not JSON or the mapping is broken', async () => {
    const src = { kind: 'json_http', produces: 'samples', scopeUnitId: null, mapping: { expression: 'rows' } };
    await expect(mapBody(src, { text: '{"rows": [' }, lookups, window)).rejects.toMatchObject({ stage: 'parse', message: expect.stringMatching(/không phải JSON hợp lệ/) });
    await expect(mapBody({ ...src, mapping: { expression: 'rows.{' } }, { text: '{}' }, lookups, window)).rejects.toMatchObject({
      stage: 'config', message: expect.stringMatching(/^phép ánh xạ của nguồn không hợp lệ: mapping.expression: biểu thức ánh xạ không phải biểu thức JSONata hợp lệ/)
    });
  });
});

describe('CSV', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""",2\r\n\r\n3,4\n')).toEqual([['a', 'b'], ['x, "y"', '2'], ['3', '4']]);
  });
  it('fails on an unterminated quote', () => {
    expect(() => parseCsv('a,b\n"Xã Phúc,2\n')).toThrow(/thiếu dấu " đóng/);
  });
  it('maps columns by name, month dates to the month start, and rejects a short row alone', () => {
    const rows = parseCsv('ma_xa,ten_xa,thang,so_doi_tuong\n00001,"Phúc Xá",11/2026,120\n00004,Trúc Bạch\n');
    const { records, bad } = tableRecords(rows, { unitColumn: 'ma_xa', dateColumn: 'thang', dateFormat: 'MM/yyyy', delimiter: ',', columns: { so_doi_tuong: 'payment.welfare_recipients' } }, new Set());
    expect(records).toEqual([{ row: 1, unitCode: '00001', date: '2026-11-01', values: { 'payment.welfare_recipients': 120 } }]);
    expect(bad).toEqual([{ row: 2, reason: 'dòng có 2 ô, dòng tiêu đề có 4' }]);
  });
  it('names a missing column', () => {
    expect(() => tableRecords([['x']], { unitColumn: 'ma_xa', dateColumn: 'thang', dateFormat: 'MM/yyyy', delimiter: ',', columns: {} }, new Set())).toThrow(/không có cột "ma_xa"/);
  });
});

describe('task lists', () => {
  const t = (row: number, id: string, unitCode: string, assigned: string, deadline: string, completed: string | null) => ({ row, id, unitCode, assigned, deadline, completed });
  it('derives completions (flows) and open tasks at the end of each day (stocks)', () => {
    const { tasks, rejected } = validateTasks([
      t(0, 'a', '00001', '2026-11-01', '2026-11-19', '2026-11-19'), // on time, on the 19th
      t(1, 'b', '00001', '2026-11-01', '2026-11-18', '2026-11-20'), // late, on the 20th; overdue open on the 19th
      t(2, 'c', '00001', '2026-11-19', '2026-11-30', null), // open in time from the 19th
      t(3, 'd', '00001', '2026-11-19', '2026-11-10', null), // deadline before assignment
      t(4, 'a', '00001', '2026-11-01', '2026-11-19', '2026-11-19') // duplicate
    ], lookups, window);
    expect(rejected.map((r) => r.index)).toEqual([3, 4]);
    expect(rejected[0]!.reason).toMatch(/hạn 2026-11-10 trước ngày giao nhiệm vụ/);
    const rows = deriveTaskRows(tasks, [1, 2], lookups, window);
    const at = (unitId: number, day: string) => rows.filter((r) => r.unitId === unitId && r.day === day).map((r) => r.value);
    // [on time, late, open in time, open overdue]
    expect(at(1, '2026-11-18')).toEqual([0, 0, 2, 0]);
    expect(at(1, '2026-11-19')).toEqual([1, 0, 1, 1]);
    expect(at(1, '2026-11-20')).toEqual([0, 1, 1, 0]);
    expect(at(2, '2026-11-20')).toEqual([0, 0, 0, 0]); // a unit with no task has zeros, not nothing
  });
});

describe('upload templates', () => {
  const spec = { family: 'dossier', metrics: [{ key: 'dossier.received', nameVi: 'Hồ sơ tiếp nhận' }, { key: 'dossier.received_online', nameVi: 'Tiếp nhận trực tuyến' }], units: [{ code: '00001', name: 'Phường Phúc Xá' }, { code: '00004', name: 'Phường Trúc Bạch' }] };
  it('round-trips: download the .xlsx, fill it, read it back', async () => {
    const bytes = await templateXlsx(spec);
    expect(sniffUpload(bytes)).toBe('xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(4).value).toBe('Hồ sơ tiếp nhận [dossier.received]');
    sheet.getRow(2).getCell(3).value = '2026-11-20';
    sheet.getRow(2).getCell(4).value = 40;
    sheet.getRow(2).getCell(5).value = 30;
    sheet.getRow(3).getCell(3).value = new Date(Date.UTC(2026, 10, 19));
    sheet.getRow(3).getCell(4).value = 12;
    sheet.getRow(3).getCell(5).value = 15; // more online than received
    const filled = new Uint8Array(await book.xlsx.writeBuffer());
    const out = await mapBody({ kind: 'upload', produces: 'samples', scopeUnitId: null, mapping: templateMapping('dossier') }, { table: await readXlsx(filled) }, lookups, window);
    expect(out.rows).toEqual([{ unitId: 1, metricId: 1, day: '2026-11-20', value: 40 }, { unitId: 1, metricId: 2, day: '2026-11-20', value: 30 }]);
    expect(out.rejected).toEqual([{ index: 2, reason: 'dossier.received_online (15) lớn hơn dossier.received (12) (đơn vị 00004, 2026-11-19)' }]);
  });
  it('offers the same template as CSV, which maps the same way', async () => {
    const csv = templateCsv(spec).replace('00001,Phường Phúc Xá,,,', '00001,Phường Phúc Xá,2026-11-20,40,30');
    expect(sniffUpload(Buffer.from(csv))).toBe('csv');
    const out = await mapBody({ kind: 'upload', produces: 'samples', scopeUnitId: null, mapping: templateMapping('dossier') }, { text: csv }, lookups, window);
    expect(out.rows).toHaveLength(2);
    expect(out.rejected).toEqual([]); // the row left unfilled is skipped, not an error
  });
  it('refuses a file that is neither', () => {
    expect(() => sniffUpload(new Uint8Array([0, 1, 2, 0xff, 0xfe]))).toThrow(/không phải bảng tính .xlsx cũng không phải CSV UTF-8/);
  });
});
