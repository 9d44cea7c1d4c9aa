import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Board } from '#contract/dto';
import { boardFileName, boardNotes, boardTable, toCsv, toXlsx } from './exports.ts';

const board: Board = {
  scheme: { key: 'operations', nameVi: 'Bộ chỉ số điều hành' },
  scope: { code: '01', name: 'Thành phố Hà Nội', level: 'province' },
  period: { kind: 'month', start: '2026-11-01', end: '2026-11-30', provisional: true },
  indicators: [{ key: 'dossier.on_time', family: 'dossier', nameVi: 'Hồ sơ đúng hạn', nameEn: 'On time', maxPoints: 20, saturation: 1, numeratorNounVi: 'hồ sơ đúng hạn', group: null, published: false, zeroDenominator: 'none' }],
  schemeGroups: [], basis: null, scopeScore: null,
  bands: [{ name: 'Tốt', min: 80 }, { name: 'Yếu', min: 0 }],
  groups: [{ level: 'district', types: ['Huyện', 'Quận'], count: 2 }],
  rows: [
    { unitCode: '278', unitName: 'Huyện Thanh Oai', unitType: 'Huyện', rank: 1, previousRank: 2, total: 88.5, band: 'Tốt', notRanked: null, notRankedReason: null,
      indicators: { 'dossier.on_time': { numerator: 90, denominator: 100, ratio: 0.9, points: 18, rank: 1 } },
      change: { places: 1, totalDelta: 2, parts: [], sentence: 'tăng 1 bậc (tổng +2,00)' }, tile: null, unitLevel: 'district', estimated: false, groups: {}, totalRecomputed: null, totalPublished: null },
    { unitCode: '001', unitName: 'Quận "Ba Đình", trung tâm', unitType: 'Quận', rank: null, previousRank: null, total: null, band: null,
      notRanked: { code: 'no_data', indicators: ['dossier.on_time'] }, notRankedReason: 'chưa có số liệu nào trong kỳ này', indicators: {},
      change: { places: null, totalDelta: null, parts: [], sentence: 'chưa xếp hạng kỳ này' }, tile: null, unitLevel: 'district', estimated: false, groups: {}, totalRecomputed: null, totalPublished: null }
  ],
  computedAt: null,
  asOf: null
};

describe('exports', () => {
  it('lay a board out as a table with the same numbers as the JSON', () => {
    const t = boardTable(board);
    expect(t[0]).toEqual(['Hạng', 'Hạng kỳ trước', 'Mã đơn vị', 'Đơn vị', 'Tổng điểm', 'Xếp loại', 'Lý do chưa xếp hạng', 'Mã lý do chưa xếp hạng', 'So với kỳ trước',
      'Hồ sơ đúng hạn — tỷ lệ', 'Hồ sơ đúng hạn — tử số', 'Hồ sơ đúng hạn — mẫu số', 'Hồ sơ đúng hạn — điểm', 'Loại đơn vị', 'Nhóm xếp hạng', 'Ước tính']);
    expect(t[1]).toEqual([1, 2, '278', 'Huyện Thanh Oai', 88.5, 'Tốt', null, null, 'tăng 1 bậc (tổng +2,00)', 0.9, 90, 100, 18, 'Huyện', 'huyện, quận', null]);
    // Why it is not ranked: in Vietnamese words and as its code, worded from the structure.
    expect(t[2]!.slice(0, 9)).toEqual([null, null, '001', 'Quận "Ba Đình", trung tâm', null, null, 'chưa có số liệu nào trong kỳ này', 'no_data', 'chưa xếp hạng kỳ này']);
  });
  it('say in the headings when a period in progress is compared with the same days of the previous one', () => {
    const t = boardTable({ ...board, comparedWith: { start: '2026-11-01', end: '2026-11-03' } });
    expect([t[0]![1], t[0]![8]]).toEqual(['Hạng cùng kỳ 01/11–03/11', 'So với cùng kỳ 01/11–03/11']);
  });

  it('name the file by scope and period, and by scheme for any scheme but the default', () => {
    expect(boardFileName(board)).toBe('xep-hang-01-month-2026-11-01');
    expect(boardFileName({ ...board, scheme: { key: 'national_766', nameVi: 'Chỉ số 766' } })).toBe('xep-hang-01-month-2026-11-01-national_766');
  });
  it('write CSV with a BOM, CRLF and quoting', () => {
    const csv = toCsv(boardTable(board));
    expect(csv.startsWith('\ufeffHạng,')).toBe(true);
    expect(csv).toContain('\r\n,,001,"Quận ""Ba Đình"", trung tâm",,,chưa có số liệu nào trong kỳ này,no_data,chưa xếp hạng kỳ này,,,,,Quận,"huyện, quận",\r\n');
  });
  it('name each row’s group (ranks are within it) and mark an estimate, explained in the .xlsx heading’s note', async () => {
    const today = {
      ...board,
      groups: [{ level: 'commune', types: ['Xã', 'Phường'], count: 1 }, { level: 'department', types: ['Sở'], count: 1 }],
      rows: [
        { ...board.rows[0]!, unitCode: '10114', unitName: 'Xã Thanh Oai', unitType: 'Xã', unitLevel: 'commune', estimated: true },
        { ...board.rows[0]!, unitCode: '01-S02', unitName: 'Sở Nội vụ', unitType: 'Sở', unitLevel: 'department', estimated: false }
      ]
    };
    const t = boardTable(today);
    expect(t.slice(1).map((r) => [r[0], r[3], ...r.slice(-3)])).toEqual([[1, 'Xã Thanh Oai', 'Xã', 'xã, phường', 'ước tính'], [1, 'Sở Nội vụ', 'Sở', 'sở', null]]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await toXlsx(t, 'xep-hang', boardNotes('2025-07-01'))) as never);
    const heading = book.worksheets[0]!.getRow(1).getCell(t[0]!.length);
    expect(heading.value).toBe('Ước tính');
    expect(JSON.stringify(heading.note)).toContain('một phần số liệu trước 01/07/2025');
    expect(book.worksheets[0]!.getRow(2).getCell(t[0]!.length).value).toBe('ước tính');
  });
  it('write an .xlsx that reads back the same', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await toXlsx(boardTable(board), 'xep-hang')) as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(4).value).toBe('Huyện Thanh Oai');
    expect(sheet.getRow(2).getCell(10).value).toBe(0.9);
    expect([sheet.getRow(3).getCell(7).value, sheet.getRow(3).getCell(8).value]).toEqual(['chưa có số liệu nào trong kỳ này', 'no_data']);
  });
});

describe('the export of a board with groups (the 766 index)', () => {
  it('adds each group, ours and the portal’s, then both totals, after the existing columns', () => {
    const groups = [{ key: 'payment', nameVi: 'Thanh toán trực tuyến', nameEn: 'Online payment', maxPoints: 10, publishedOnly: false }];
    const withGroups = {
      ...board, schemeGroups: groups, totalRule: 'sum' as const,
      rows: [{ ...board.rows[0]!, groups: { payment: { points: 6.65, published: 6.66, rank: 1 } }, totalRecomputed: 88.49, totalPublished: 88.5 }]
    };
    const [header, row] = boardTable(withGroups);
    expect(header!.slice(-4)).toEqual(['Thanh toán trực tuyến — điểm tính lại', 'Thanh toán trực tuyến — điểm Cổng công bố', 'Tổng điểm tính lại', 'Tổng điểm Cổng công bố']);
    expect(row!.slice(-4)).toEqual([6.65, 6.66, 88.49, 88.5]);
    expect(boardTable(board)[0]!.length).toBe(header!.length - 4);
  });
});
