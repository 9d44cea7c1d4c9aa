import { describe, expect, it } from 'vitest';
import { parseCsv } from './pipeline/mapping/table.ts';
import { plainCsv, toCsv } from './csv.ts';

/** The cells of a one-row CSV, as written (BOM and the row's CRLF taken off). */
const written = (cells: (string | number | null)[]) => toCsv([cells]).slice(1).replace(/\r\n$/, '');

describe('toCsv', () => {
  it('writes a BOM, CRLF after every row, empty cells for null', () => {
    expect(toCsv([['a', 1], [null, 'b']])).toBe('\ufeffa,1\r\n,b\r\n');
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['\tX', "'\tX"],
    ['\rX', `"'\rX"`],
    ['＝1+1', "'＝1+1"]
  ])('neutralises the text cell %j as %j', (cell, expected) => {
    expect(written([cell])).toBe(expected);
  });

  it('leaves numbers as numbers, a negative one too', () => {
    expect(written([-3.5, 0, 85.34, -1])).toBe('-3.5,0,85.34,-1');
  });

  it('leaves ordinary text alone, and a formula character inside a cell', () => {
    expect(written(['Huyện Thanh Oai', 'a=b', '2026-11-01', 'giảm 3 bậc (tổng −3,20)'])).toBe('Huyện Thanh Oai,a=b,2026-11-01,"giảm 3 bậc (tổng −3,20)"');
  });

  it('quotes a cell that holds a carriage return, a line feed, a comma or a quote, and reads back the same', () => {
    const row = ['a\rb', 'c\nd', 'e,f', 'g"h'];
    expect(written(row)).toBe('"a\rb","c\nd","e,f","g""h"');
    expect(parseCsv(toCsv([row, ['x', 'y', 'z', 'w']]).slice(1))).toEqual([row, ['x', 'y', 'z', 'w']]);
  });
});

describe('plainCsv', () => {
  it('writes an uploaded sheet as readable CSV: quoted where needed, dates in ISO 8601, nothing neutralised', () => {
    const sheet = [['Mã đơn vị [unit_code]', 'Ngày [date]', 'Số [n]', 'Ghi chú'], ['00001', new Date('2026-11-20T00:00:00Z'), 40, 'a, "b"'], ['=1+1', null, -2, true]];
    expect(plainCsv(sheet)).toBe('Mã đơn vị [unit_code],Ngày [date],Số [n],Ghi chú\n00001,2026-11-20T00:00:00.000Z,40,"a, ""b"""\n=1+1,,-2,true');
  });
});
