/**
 * Tables — a CSV body or an uploaded sheet — mapped by column names to records.
 * The CSV reader follows RFC 4180 (quoted fields, doubled quotes, CRLF or LF); a row whose field
 * count differs from the header's is rejected alone, an unterminated quote fails the body.
 */
import { DateTime } from 'luxon';
import { ZONE } from '#domain/periods';
import type { RawRecord, RawTask } from '../types.ts';
import { SourceError } from '../types.ts';
import type { TableMapping } from './config.ts';
import type { NumberLocale } from '#db/schema/sources';
import { helpers } from './helpers.ts';

export type Cell = string | number | boolean | Date | null;

/**
 * The one RFC 4180 reader (used for CSV sources and for the units import): records with the
 * physical line each starts on (quoted line breaks counted), blank lines included, and the line of
 * an unterminated quote, if any.
 */
export function readCsvRecords(text: string, delimiter = ','): { records: { line: number; cells: string[] }[]; unterminatedAt: number | null } {
  const records: { line: number; cells: string[] }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM, as spreadsheets write it
  let line = 1;
  let start = 1;
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let quoteLine = 0;
  let fieldStart = true;
  const endRecord = () => {
    cells.push(field);
    records.push({ line: start, cells });
    cells = [];
    field = '';
    fieldStart = true;
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
      }
    } else if (c === '"' && fieldStart) {
      quoted = true;
      quoteLine = line;
      fieldStart = false;
    } else if (c === delimiter) {
      cells.push(field);
      field = '';
      fieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else {
      field += c;
      fieldStart = false;
    }
  }
  if (quoted) return { records, unterminatedAt: quoteLine };
  if (field !== '' || cells.length) endRecord();
  return { records, unterminatedAt: null };
}

/** A CSV body as rows of cells, blank lines dropped; an unterminated quote fails the body. */
export function parseCsv(text: string, delimiter = ','): Cell[][] {
  const { records, unterminatedAt } = readCsvRecords(text, delimiter);
  if (unterminatedAt !== null) {
    throw new SourceError(`tệp CSV kết thúc giữa một ô trong ngoặc kép (thiếu dấu " đóng sau dòng ${records.length})`, 'parse');
  }
  return records.map((r) => r.cells).filter((r) => !(r.length === 1 && r[0] === ''));
}

/** "Hồ sơ tiếp nhận [dossier.received]" → "dossier.received"; anything else → itself, trimmed. */
export function columnKey(header: Cell): string {
  const text = String(header ?? '').trim();
  const m = /\[([^\]]+)\]\s*$/.exec(text);
  return m ? m[1]!.trim() : text;
}

function toDate(cell: Cell, format: string): unknown {
  if (cell instanceof Date) return DateTime.fromJSDate(cell, { zone: 'UTC' }).toISODate();
  if (typeof cell === 'number' && format.startsWith('yyyy-MM-dd')) return cell; // rejected as not a date
  const text = String(cell ?? '').trim();
  const dt = DateTime.fromFormat(text, format, { zone: ZONE });
  return dt.isValid ? dt.toISODate() : text;
}

/**
 * A cell as a number, by the same rules as the mapping's $number (helpers.ts): "1.234" is read by
 * the source's declared locale, ambiguous or unreadable text becomes the {$invalid} sentinel that
 * rejects the row with the value quoted.
 */
function toValue(cell: Cell, locale: NumberLocale | null): unknown {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'boolean' || cell instanceof Date) return cell;
  return helpers.readNumber(cell, locale);
}

interface Header {
  index: Map<string, number>;
  width: number;
}

function readHeader(rows: Cell[][]): Header {
  const header = rows[0];
  if (!header) throw new SourceError('bảng trống (không có dòng tiêu đề)', 'parse');
  const index = new Map<string, number>();
  header.forEach((h, i) => index.set(columnKey(h), i));
  return { index, width: header.length };
}

function need(header: Header, column: string): number {
  const i = header.index.get(column);
  if (i === undefined) throw new SourceError(`bảng không có cột "${column}" (các cột: ${[...header.index.keys()].join(', ')})`, 'parse');
  return i;
}

/** Rows → records. Row numbers are 1-based data rows (the header is row 0), as a spreadsheet shows them minus one. */
export function tableRecords(
  rows: Cell[][],
  mapping: TableMapping,
  knownMetrics: ReadonlySet<string>,
  numberLocale: NumberLocale | null = null
): { records: RawRecord[]; bad: { row: number; reason: string }[] } {
  const header = readHeader(rows);
  const unitAt = need(header, mapping.unitColumn);
  const dateAt = need(header, mapping.dateColumn);
  const valueColumns: [string, number][] = [];
  for (const [name, at] of header.index) {
    const metric = mapping.columns[name] ?? (knownMetrics.has(name) ? name : undefined);
    if (metric) valueColumns.push([metric, at]);
  }
  if (!valueColumns.length) throw new SourceError('không cột nào của bảng ứng với một chỉ tiêu', 'parse');
  const records: RawRecord[] = [];
  const bad: { row: number; reason: string }[] = [];
  rows.slice(1).forEach((cells, i) => {
    const row = i + 1;
    if (cells.every((c) => c === null || c === '')) return; // blank line
    if (cells.length !== header.width) return bad.push({ row, reason: `dòng có ${cells.length} ô, dòng tiêu đề có ${header.width}` });
    const values: Record<string, unknown> = {};
    for (const [metric, at] of valueColumns) values[metric] = toValue(cells[at] ?? null, numberLocale);
    // A template row the district left unfilled (unit only: no date, no value) is not an error.
    const empty = (c: Cell | undefined) => c === null || c === undefined || String(c).trim() === '';
    if (empty(cells[dateAt]) && valueColumns.every(([, at]) => empty(cells[at]))) return;
    const unit = cells[unitAt];
    records.push({ row, unitCode: typeof unit === 'number' ? String(unit) : unit, date: toDate(cells[dateAt] ?? null, mapping.dateFormat), values });
  });
  return { records, bad };
}

export function tableTasks(rows: Cell[][], mapping: TableMapping): RawTask[] {
  const header = readHeader(rows);
  const cols = mapping.taskColumns;
  if (!cols) throw new SourceError('nguồn này cho ra nhiệm vụ nhưng phép ánh xạ không có taskColumns', 'config');
  const at = { unit: need(header, mapping.unitColumn), id: need(header, cols.id), assigned: need(header, cols.assigned), deadline: need(header, cols.deadline), completed: need(header, cols.completed) };
  return rows.slice(1).map((cells, i) => ({
    row: i + 1,
    id: cells[at.id],
    unitCode: cells[at.unit],
    assigned: toDate(cells[at.assigned] ?? null, mapping.dateFormat),
    deadline: toDate(cells[at.deadline] ?? null, mapping.dateFormat),
    completed: cells[at.completed] === '' || cells[at.completed] === null ? null : toDate(cells[at.completed] ?? null, mapping.dateFormat)
  }));
}
