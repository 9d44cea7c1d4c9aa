import { describe, expect, it } from 'vitest';
import { helpers, isInvalid } from './helpers.ts';
import { parseCsv, tableRecords } from './table.ts';
import { validateRecords, type Lookups } from './validate.ts';

const n = helpers.readNumber;
const reason = (x: unknown) => (isInvalid(x) ? x.$invalid : x);

describe('numbers', () => {
  it('reads plain numbers the same in every locale', () => {
    for (const locale of ['vi', 'en', null] as const) {
      expect(n('1234', locale)).toBe(1234);
      expect(n(' -12 ', locale)).toBe(-12);
      expect(n(12.5, locale)).toBe(12.5);
      expect(n('1 234 567', locale)).toBe(1234567);
    }
  });

  it('reads vi: "." groups thousands, "," is the decimal mark', () => {
    expect(n('1.000', 'vi')).toBe(1000);
    expect(n('1.234,5', 'vi')).toBe(1234.5);
    expect(n('1.234.567', 'vi')).toBe(1234567);
    expect(n('12,75', 'vi')).toBe(12.75);
    expect(reason(n('1.5', 'vi'))).toBe('số «1.5» không đọc được theo cách viết vi (vd. 1.234,5)');
    expect(reason(n('1,234.5', 'vi'))).toBe('số «1,234.5» không đọc được theo cách viết vi (vd. 1.234,5)');
  });

  it('reads en: "," groups thousands, "." is the decimal mark', () => {
    expect(n('1,234', 'en')).toBe(1234);
    expect(n('1,234.5', 'en')).toBe(1234.5);
    expect(n('1.000', 'en')).toBe(1);
    expect(reason(n('1.234,5', 'en'))).toBe('số «1.234,5» không đọc được theo cách viết en (vd. 1,234.5)');
  });

  it('with no locale declared, refuses what two locales read differently, quoting it', () => {
    expect(reason(n('1.000', null))).toBe('số «1.000» không rõ cách viết: 1000 (vi) hay 1 (en)? Hãy khai báo cách viết số của nguồn');
    expect(reason(n('1,234', null))).toBe('số «1,234» không rõ cách viết: 1.234 (vi) hay 1234 (en)? Hãy khai báo cách viết số của nguồn');
    // Read one way only: no doubt.
    expect(n('12.5', null)).toBe(12.5);
    expect(n('1.234,5', null)).toBe(1234.5);
    expect(n('1,234.5', null)).toBe(1234.5);
  });

  it('never throws: text that is not a number is a sentinel, nothing stays nothing', () => {
    expect(reason(n('abc', 'vi'))).toBe('giá trị «abc» không phải là số');
    expect(reason(n('12a', null))).toBe('giá trị «12a» không phải là số');
    expect(reason(n(true, null))).toBe('giá trị «true» không phải là số');
    expect(reason(n({ a: 1 }, null))).toBe('giá trị «{"a":1}» không phải là số');
    expect(n('', 'vi')).toBeUndefined();
    expect(n(null, 'vi')).toBeUndefined();
    expect(n(undefined, null)).toBeUndefined();
  });

  it('$num takes a locale of its own, else the source’s', () => {
    const bound = helpers.bind('vi');
    expect(bound.number!('1.000')).toBe(1000);
    expect(bound.num!('1.000')).toBe(1000);
    expect(bound.num!('1.000', 'en')).toBe(1);
    expect(reason(bound.num!('1', 'fr'))).toBe('cách viết số «fr» không có (dùng "vi" hoặc "en")');
  });
});

describe('dates', () => {
  it('reads a date in a Luxon format to yyyy-MM-dd', () => {
    expect(helpers.readDate('20/11/2026', 'dd/MM/yyyy')).toBe('2026-11-20');
    expect(helpers.readDate('20261120', 'yyyyMMdd')).toBe('2026-11-20');
    expect(helpers.readDate(20261120, 'yyyyMMdd')).toBe('2026-11-20');
    expect(helpers.readDate('2026-11-20')).toBe('2026-11-20');
    expect(reason(helpers.readDate('31/02/2026', 'dd/MM/yyyy'))).toBe('ngày «31/02/2026» không đúng dạng dd/MM/yyyy');
    expect(reason(helpers.readDate('2026-11-20', 'dd/MM/yyyy'))).toBe('ngày «2026-11-20» không đúng dạng dd/MM/yyyy');
    expect(helpers.readDate('', 'dd/MM/yyyy')).toBeUndefined();
  });

  it('reads a month to its first day', () => {
    expect(helpers.readMonth('11/2026', 'MM/yyyy')).toBe('2026-11-01');
    expect(helpers.readMonth('2026-11')).toBe('2026-11-01');
    expect(helpers.readMonth('20/11/2026', 'dd/MM/yyyy')).toBe('2026-11-01');
    expect(reason(helpers.readMonth('13/2026', 'MM/yyyy'))).toBe('tháng «13/2026» không đúng dạng MM/yyyy');
  });
});

describe('rows with a value a helper could not read', () => {
  const lookups: Lookups = { unitIdByCode: new Map([['00001', 1], ['00004', 2]]), metrics: new Map([['dossier.received', { id: 1, unit: 'count', partOf: null }]]) };
  const window = { from: '2026-11-18', to: '2026-11-20' };

  it('are rejected with the helper’s reason, the others kept', () => {
    const { rows, rejected } = validateRecords([
      { row: 0, unitCode: '00001', date: '2026-11-20', values: { 'dossier.received': 1000 } },
      { row: 1, unitCode: '00004', date: '2026-11-20', values: { 'dossier.received': n('1.000', null) } },
      { row: 2, unitCode: '00004', date: helpers.readDate('20/13/2026', 'dd/MM/yyyy'), values: { 'dossier.received': 3 } }
    ], lookups, window);
    expect(rows).toHaveLength(1);
    expect(rejected).toEqual([
      { index: 1, reason: 'dossier.received: số «1.000» không rõ cách viết: 1000 (vi) hay 1 (en)? Hãy khai báo cách viết số của nguồn (đơn vị 00004, 2026-11-20)' },
      { index: 2, reason: 'ngày «20/13/2026» không đúng dạng dd/MM/yyyy' }
    ]);
  });

  it('a CSV reads its numbers by the same rules and the declared locale', () => {
    const csv = 'unit_code,date,dossier.received\n00001,2026-11-20,1.000\n00004,2026-11-20,12\n';
    const mapping = { unitColumn: 'unit_code', dateColumn: 'date', dateFormat: 'yyyy-MM-dd', columns: {}, delimiter: ',' };
    const undeclared = tableRecords(parseCsv(csv), mapping, new Set(['dossier.received']));
    expect(validateRecords(undeclared.records, lookups, window).rejected[0]!.reason).toMatch(/^dossier.received: số «1.000» không rõ cách viết/);
    const vi = tableRecords(parseCsv(csv), mapping, new Set(['dossier.received']), 'vi');
    expect(vi.records.map((r) => r.values['dossier.received'])).toEqual([1000, 12]);
  });
});
