/**
 * The one CSV writer (board and series exports, upload templates): csv-stringify, in the form
 * Excel opens right (UTF-8 with a BOM, CRLF between rows, a field quoted when it holds a comma, a
 * quote, CR or LF).
 *
 * Formula injection (OWASP "CSV Injection"): a text cell starting with `=`, `+`, `-`, `@`, a tab or
 * a carriage return (or their full-width forms) would be run as a formula by a spreadsheet — a
 * unit renamed `=HYPERLINK("http://evil.example","x")` becomes a live link in every leader's
 * export. Such a cell is written with a leading `'`, which spreadsheets show as text. Numbers stay
 * numbers: a negative number is written as it is (`-3.5`), only text is neutralised.
 */
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null;

/** A file for a spreadsheet: BOM, CRLF, formulas neutralised. */
export function toCsv(table: CsvCell[][]): string {
  // quote_record_delimiter: a lone CR or LF in a cell is quoted too (by default only a whole CRLF would be, with CRLF rows).
  return stringify(table, { bom: true, record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true });
}

/**
 * A table as plain CSV text for a person to read, not a spreadsheet (an uploaded sheet kept in its
 * poll run): no BOM, LF, cells as they are (dates in ISO 8601, booleans as true/false).
 */
export function plainCsv(table: (string | number | boolean | Date | null)[][]): string {
  return stringify(table, { quote_record_delimiter: true, cast: { date: (d) => d.toISOString(), boolean: (b) => String(b) } }).replace(/\n$/, '');
}
