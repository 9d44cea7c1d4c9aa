import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkColumns, column, int, isoDate, isoTime, num, parseRows, storedIndicators } from './rows.ts';

describe('row schemas of raw statements', () => {
  it('converts numeric and bigint strings to numbers, and keeps float8 numbers', () => {
    expect(num.parse('12345678901')).toBe(12345678901);
    expect(num.parse('-0.25')).toBe(-0.25);
    expect(num.parse(3.5)).toBe(3.5);
    expect(num.safeParse('12 units').success).toBe(false);
    expect(num.safeParse(null).success).toBe(false);
  });

  it('turns a timestamptz, as text or a Date, into ISO 8601 UTC, and rejects what is not one', () => {
    expect(isoTime.parse('2026-11-20 19:00:00.5+07')).toBe('2026-11-20T12:00:00.500Z');
    expect(isoTime.parse(new Date('2026-11-20T12:00:00Z'))).toBe('2026-11-20T12:00:00.000Z');
    expect(isoTime.safeParse('yesterday').success).toBe(false);
    expect(isoDate.safeParse('2026-11-20T00:00:00Z').success).toBe(false);
  });

  it('names the query, the row and the field of a row that is not what the code expects', () => {
    const row = z.object({ code: z.string(), rank: int.nullable(), indicators: storedIndicators });
    const good = { code: '278', rank: null, indicators: { 'dossier.on_time': { numerator: 3, denominator: 4, ratio: 0.75, points: 15, rank: 2 } } };
    expect(parseRows('boardRows', row, [good])).toEqual([good]);
    expect(() => parseRows('boardRows', row, [good, { ...good, rank: '2' }])).toThrow(/^boardRows: row 1, field rank: /);
    expect(() => parseRows('boardRows', row, [{ ...good, indicators: { x: { ...good.indicators['dossier.on_time'], ratio: 'high' } } }]))
      .toThrow('boardRows: row 0, field indicators.x.ratio: ');
  });

  it('checks a bulk result by the types PostgreSQL reports for its columns, and its nulls row by row', () => {
    const shape = { unitId: column.int4, value: column.float8, asOf: column.nullable(column.text) };
    const result = (rows: unknown[], types: [string, number][]) => Object.assign(rows, { columns: types.map(([name, type]) => ({ name, type })) });
    const rows = [{ unitId: 7, value: 1.5, asOf: null }];
    const good = result(rows, [['unitId', 23], ['value', 701], ['asOf', 25]]);
    expect(checkColumns('sums', shape, good)).toBe(good);
    // sum() without its ::float8 cast is numeric (1700): its values would be strings.
    expect(() => checkColumns('sums', shape, result(rows, [['unitId', 23], ['value', 1700], ['asOf', 25]])))
      .toThrow('sums: column value is of type 1700, expected float8 (701)');
    expect(() => checkColumns('sums', shape, result(rows, [['unit_id', 23], ['value', 701], ['asOf', 25]]))).toThrow('sums: no column unitId');
    expect(() => checkColumns('sums', shape, result([...rows, { unitId: 8, value: null, asOf: null }], [['unitId', 23], ['value', 701], ['asOf', 25]])))
      .toThrow('sums: row 1, field value: null where none is allowed');
  });
});
