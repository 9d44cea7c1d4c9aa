/**
 * A source's body → rows ready to store, and every rejected row with its reason. One path for
 * every kind of source (JSON + JSONata, CSV, uploaded sheet) and both things a source can yield
 * (counts, or a task list from which the task metrics are derived).
 */
import type { RejectedRow } from '#db/schema/sources';
import type { NumberLocale } from '#db/schema/sources';
import { SourceError } from '../types.ts';
import { requestBinding } from '../request.ts';
import { jsonMappingSchema, tableMappingSchema } from './config.ts';
import { jsonRecords, jsonTasks } from './json.ts';
import { parseCsv, tableRecords, tableTasks, type Cell } from './table.ts';
import { deriveTaskRows, validateTasks } from './tasks.ts';
import { validateRecords, type Lookups, type OutsideScope, type StoredRow, type Window } from './validate.ts';

export interface MappableSource {
  kind: string;
  produces: string;
  mapping: unknown;
  scopeUnitId: number | null;
  /** How the source writes numbers ($number, $num, and a table's cells); null / absent: not declared. */
  numberLocale?: NumberLocale | null;
  /** For `$request.period` (a monthly source's window inside one month is that month). */
  granularity?: string;
}

export interface UnitTree {
  /** Ids of the units a source with this scope reports on (the scope unit and its descendants, or every non-root unit). */
  unitIdsUnder(scopeUnitId: number | null): number[];
}

export type Body = { text: string } | { table: Cell[][] };

/** A period's value, ready to store (period_samples): a periodic source's row. */
export interface PeriodRow {
  unitId: number;
  metricId: number;
  periodKind: 'month' | 'quarter' | 'year';
  /** The period's first day. */
  periodStart: string;
  value: number;
}

export interface Mapped {
  /** A day's values (samples). */
  rows: StoredRow[];
  /** A periodic source's values, each of the period its piece asked for (period_samples); absent: none. */
  periodRows?: PeriodRow[];
  rejected: RejectedRow[];
  /** Source rows read (records or tasks), for the poll history. */
  read: number;
  /** Rows of known units outside a polled source's scope: skipped, not stored, not rejected (validate.ts). */
  skipped?: number;
}

function parseConfig<T>(schema: { safeParse(x: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, mapping: unknown): T {
  const parsed = schema.safeParse(mapping);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `mapping.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SourceError(`phép ánh xạ của nguồn không hợp lệ: ${why}`, 'config');
  }
  return parsed.data;
}

/**
 * `at.page`: the page this body is (pagination), for `$request.page`. A JSON mapping sees
 * `$request` = { from, to, period: { kind, start, end }, page } beside the body.
 */
export async function mapBody(source: MappableSource, body: Body, lookups: Lookups & UnitTree, window: Window, at: { page?: number } = {}): Promise<Mapped> {
  const scope = source.scopeUnitId === null ? undefined : new Set(lookups.unitIdsUnder(source.scopeUnitId));
  const outside = outsideScope(source);
  const bad = (list: { row: number; reason: string }[]): RejectedRow[] => list.map((b) => ({ index: b.row, reason: b.reason }));
  if (source.kind === 'json_http') {
    if (!('text' in body)) throw new SourceError('nguồn JSON cần dữ liệu dạng văn bản', 'config');
    const { expression, metrics, each } = parseConfig(jsonMappingSchema, source.mapping);
    const options = { each, request: requestBinding(window, source.granularity, at.page ?? 1), locale: source.numberLocale ?? null };
    if (source.produces === 'tasks') {
      if (window.period) throw new SourceError('nguồn danh sách nhiệm vụ không có kỳ công bố: bỏ trống ô «Kỳ công bố»', 'config');
      const { tasks, bad: unread } = await jsonTasks(body.text, expression, options);
      return finishTasks(tasks, bad(unread), source, lookups, window);
    }
    const { records, bad: unread } = await jsonRecords(body.text, expression, options);
    for (const r of records) for (const m of metrics) if (!(m in r.values)) r.values[m] = undefined;
    const v = validateRecords(records, lookups, window, scope, outside);
    return { ...split(v.rows, window), rejected: [...bad(unread), ...v.rejected].sort((a, b) => a.index - b.index), read: records.length + unread.length, skipped: v.skipped };
  }
  const mapping = parseConfig(tableMappingSchema, source.mapping);
  const table = 'table' in body ? body.table : parseCsv(body.text, mapping.delimiter);
  if (source.produces === 'tasks') {
    if (window.period) throw new SourceError('nguồn danh sách nhiệm vụ không có kỳ công bố: bỏ trống ô «Kỳ công bố»', 'config');
    return finishTasks(tableTasks(table, mapping), [], source, lookups, window);
  }
  const { records, bad: unread } = tableRecords(table, mapping, new Set(lookups.metrics.keys()), source.numberLocale ?? null);
  const v = validateRecords(records, lookups, window, scope, outside);
  return { ...split(v.rows, window), rejected: [...bad(unread), ...v.rejected].sort((a, b) => a.index - b.index), read: records.length + unread.length, skipped: v.skipped };
}

/** A periodic piece's checked rows are its period's values; any other window's are a day's. */
function split(rows: StoredRow[], window: Window): Pick<Mapped, 'rows' | 'periodRows'> {
  const period = window.period;
  if (!period) return { rows };
  return { rows: [], periodRows: rows.map((r) => ({ unitId: r.unitId, metricId: r.metricId, periodKind: period.kind, periodStart: period.start, value: r.value })) };
}

/** A polled system may answer for more units than the source takes: those rows are skipped. An upload's are refused (validate.ts). */
const outsideScope = (source: MappableSource): OutsideScope => (source.kind === 'upload' ? 'reject' : 'skip');

function finishTasks(
  raw: Parameters<typeof validateTasks>[0],
  unread: RejectedRow[],
  source: MappableSource,
  lookups: Lookups & UnitTree,
  window: Window
): Mapped {
  const scope = source.scopeUnitId === null ? undefined : new Set(lookups.unitIdsUnder(source.scopeUnitId));
  const { tasks, rejected, skipped } = validateTasks(raw, lookups, window, scope, outsideScope(source));
  const rows = deriveTaskRows(tasks, lookups.unitIdsUnder(source.scopeUnitId), lookups, window);
  return { rows, rejected: [...unread, ...rejected], read: raw.length + unread.length, skipped };
}

export type { Lookups, StoredRow, Window } from './validate.ts';
