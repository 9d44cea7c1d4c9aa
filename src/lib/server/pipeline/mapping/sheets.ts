/**
 * Uploads for units with no API: a downloadable template per metric family (.xlsx or .csv) and
 * the reading of a filled one. The template's headers carry the metric key in square brackets, so
 * the upload maps itself (TEMPLATE_MAPPING) whatever the Vietnamese label says.
 */
import ExcelJS from 'exceljs';
import { SourceError } from '../types.ts';
import type { Cell } from './table.ts';
import { toCsv } from '../../csv.ts';

export interface TemplateSpec {
  family: string;
  /** Metric columns, in order. Empty for a task list. */
  metrics: { key: string; nameVi: string }[];
  /** The units a district fills rows for (one row each, date left blank). */
  units: { code: string; name: string }[];
}

const TASK_HEADERS = ['Mã nhiệm vụ [id]', 'Ngày giao [assigned]', 'Hạn xử lý [deadline]', 'Ngày hoàn thành [completed]'];

export function templateHeaders(spec: TemplateSpec): string[] {
  const base = ['Mã đơn vị [unit_code]', 'Tên đơn vị [unit_name]'];
  if (spec.family === 'task') return [base[0]!, base[1]!, ...TASK_HEADERS];
  return [...base, 'Ngày (YYYY-MM-DD) [date]', ...spec.metrics.map((m) => `${m.nameVi} [${m.key}]`)];
}

export async function templateXlsx(spec: TemplateSpec): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'City Ops';
  const sheet = book.addWorksheet('Số liệu');
  const headers = templateHeaders(spec);
  sheet.addRow(headers).font = { bold: true };
  sheet.columns.forEach((c, i) => (c.width = Math.max(14, Math.min(40, headers[i]!.length + 2))));
  for (const u of spec.units) sheet.addRow([u.code, u.name]);
  // Codes are text: keep Excel from eating their leading zeros.
  sheet.getColumn(1).numFmt = '@';
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}

export function templateCsv(spec: TemplateSpec): string {
  const headers = templateHeaders(spec);
  return toCsv([headers, ...spec.units.map((u) => [u.code, u.name, ...headers.slice(2).map(() => '')])]);
}

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'object' && 'result' in v) return cellValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if (typeof v === 'object' && 'richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join('');
  if (typeof v === 'object' && 'text' in v) return String((v as ExcelJS.CellHyperlinkValue).text);
  return String(v);
}

/** The first sheet of an .xlsx as rows of cells, each row padded to the header's width. */
export async function readXlsx(bytes: Uint8Array): Promise<Cell[][]> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as never);
  } catch (e) {
    throw new SourceError(`tệp không phải một bảng tính .xlsx đọc được (${(e as Error).message})`, 'parse');
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw new SourceError('the workbook has no sheet', 'parse');
  const width = sheet.getRow(1).cellCount;
  const rows: Cell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: Cell[] = [];
    for (let i = 1; i <= width; i++) cells.push(cellValue(row.getCell(i).value));
    rows.push(cells);
  });
  return rows;
}

/** Tells an .xlsx (a zip) from a CSV by its first bytes, not by the name it came with. */
export function sniffUpload(bytes: Uint8Array): 'xlsx' | 'csv' {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8');
  if (head.includes('\u0000') || head.includes('\ufffd')) throw new SourceError('tệp không phải bảng tính .xlsx cũng không phải CSV UTF-8', 'parse');
  return 'csv';
}
