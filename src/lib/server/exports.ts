/**
 * Every board and series as a file: CSV (UTF-8 with a BOM, so Excel opens it right) or .xlsx.
 * The same numbers as the JSON, one row per unit or day, headers in Vietnamese. Why a unit is not
 * ranked comes as its code and in Vietnamese words; why it moved in Vietnamese words (both worded from
 * the board's structure with the Vietnamese messages, as the API's notRankedReason and change.sentence).
 */
import ExcelJS from 'exceljs';
import { error } from '@sveltejs/kit';
import { DEFAULT_SCHEME_KEY, type Board, type Series } from '#contract/dto';
import { toCsv, type CsvCell } from './csv.ts';

export { toCsv };
import { changeSentence } from '../i18n/explain.ts';
import { estimatedTitle } from '../i18n/estimated.ts';
import { groupKind } from '../i18n/groups.ts';
import { notRankedReason } from '../i18n/reasons.ts';

export type Format = 'json' | 'csv' | 'xlsx';
type Cell = CsvCell;

export function formatOf(url: URL): Format {
  const f = url.searchParams.get('format') ?? 'json';
  if (f !== 'json' && f !== 'csv' && f !== 'xlsx') error(400, 'format: must be json, csv or xlsx');
  return f;
}

/** The columns after the indicators' (added by issue 14; the earlier columns keep their places for the scripts that read them). */
export const ESTIMATED_HEADER = 'Ước tính';

/**
 * A board as a table, one row per unit, in the board's order (each group by rank). Ranks are within
 * a group (a city's communes 1…126, its departments 1…n): "Nhóm xếp hạng" names the group in the
 * register's words, "Loại đơn vị" the unit's type; "Ước tính" says "ước tính" where part of the figures
 * before a reform are an estimate (the .xlsx explains it in the heading's note: `estimatedNote`).
 */
export function boardTable(board: Board): Cell[][] {
  // A period in progress compares with the same days of the previous one ("cùng kỳ"), and its headings say which.
  const c = board.comparedWith;
  const days = c ? ` ${c.start.slice(8, 10)}/${c.start.slice(5, 7)}–${c.end.slice(8, 10)}/${c.end.slice(5, 7)}` : '';
  const header: Cell[] = ['Hạng', c ? `Hạng cùng kỳ${days}` : 'Hạng kỳ trước', 'Mã đơn vị', 'Đơn vị', 'Tổng điểm', 'Xếp loại', 'Lý do chưa xếp hạng', 'Mã lý do chưa xếp hạng', c ? `So với cùng kỳ${days}` : 'So với kỳ trước'];
  for (const i of board.indicators) header.push(`${i.nameVi} — tỷ lệ`, `${i.nameVi} — tử số`, `${i.nameVi} — mẫu số`, `${i.nameVi} — điểm`);
  header.push('Loại đơn vị', 'Nhóm xếp hạng', ESTIMATED_HEADER);
  // A scheme with groups (the 766 index): each group's points, ours and the portal's, then both totals,
  // after the columns above so their positions hold for every scheme.
  for (const g of board.schemeGroups) header.push(`${g.nameVi} — điểm tính lại`, `${g.nameVi} — điểm Cổng công bố`);
  if (board.schemeGroups.length) header.push('Tổng điểm tính lại', 'Tổng điểm Cổng công bố');
  const groupWords = new Map(board.groups.map((g) => [g.level, groupKind(g, 'vi')]));
  const rows = board.rows.map((r) => {
    const reason = r.notRanked && notRankedReason(r.notRanked, board.indicators, 'vi');
    const change = changeSentence(r.change, board.indicators, 'vi', { ranked: r.rank !== null });
    const cells: Cell[] = [r.rank, r.previousRank, r.unitCode, r.unitName, r.total, r.band, reason, r.notRanked?.code ?? null, change];
    for (const i of board.indicators) {
      const v = r.indicators[i.key];
      cells.push(v?.ratio ?? null, v?.numerator ?? null, v?.denominator ?? null, v?.points ?? null);
    }
    cells.push(r.unitType, groupWords.get(r.unitLevel) ?? r.unitLevel, r.estimated ? 'ước tính' : null);
    for (const g of board.schemeGroups) cells.push(r.groups[g.key]?.points ?? null, r.groups[g.key]?.published ?? null);
    if (board.schemeGroups.length) cells.push(r.totalRecomputed, r.totalPublished);
    return cells;
  });
  return [header, ...rows];
}

/**
 * The file name of a board (without extension): scope, period and, for any scheme but the default,
 * the scheme, so a 766 export never overwrites the operations one in a Downloads folder.
 */
export function boardFileName(board: Pick<Board, 'scheme' | 'scope' | 'period'>): string {
  const scheme = board.scheme.key === DEFAULT_SCHEME_KEY ? '' : `-${board.scheme.key}`;
  return `xep-hang-${board.scope.code}-${board.period.kind}-${board.period.start}${scheme}`;
}

export function seriesTable(series: Series): Cell[][] {
  return [['Ngày', 'Tử số', 'Mẫu số', 'Tỷ lệ'], ...series.points.map((p) => [p.date, p.numerator, p.denominator, p.ratio])];
}

/** The heading notes of a board's .xlsx: what "ước tính" means (`before`: the day of the reform, src/lib/server/lineage.ts). */
export function boardNotes(before: string | null): Record<string, string> {
  return { [ESTIMATED_HEADER]: estimatedTitle(before, 'vi') };
}

/** `notes`: a note on a heading cell, by the heading's text (Excel shows it on hover). */
export async function toXlsx(table: Cell[][], sheetName: string, notes: Record<string, string> = {}): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.creator = 'City Ops';
  const sheet = book.addWorksheet(sheetName.slice(0, 31));
  for (const r of table) sheet.addRow(r);
  sheet.getRow(1).font = { bold: true };
  (table[0] ?? []).forEach((heading, i) => {
    if (typeof heading === 'string' && Object.hasOwn(notes, heading)) sheet.getRow(1).getCell(i + 1).note = notes[heading]!;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** The file response of a table, or null for JSON (the caller answers). */
export async function fileResponse(format: Format, table: Cell[][], name: string, notes: Record<string, string> = {}): Promise<Response | null> {
  if (format === 'json') return null;
  if (format === 'csv') {
    return new Response(toCsv(table), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` } });
  }
  return new Response((await toXlsx(table, name, notes)) as BodyInit, {
    headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'content-disposition': `attachment; filename="${name}.xlsx"` }
  });
}
