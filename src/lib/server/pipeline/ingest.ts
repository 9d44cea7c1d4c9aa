/**
 * Idempotent upsert of samples on (unit, metric, day, source). A row whose value did not change
 * is not touched, so the same poll twice changes nothing; the days that did change are returned
 * so that only their boards are recomputed.
 *
 * Provenance: every row written (inserted or changed) names the poll run that wrote it
 * (`poll_run_id`); `first_seen_at` is set when a row is inserted and never again, so a value
 * changed later keeps the moment it first arrived (`ingested_at` moves, `first_seen_at` stays).
 */
import { isNull } from 'drizzle-orm';
import { orm, type Queryable as Sql } from '#db/client';
import { metrics, units } from '#db/schema/index';
import type { Lookups, StoredRow } from './mapping/validate.ts';
import type { UnitTree } from './mapping/index.ts';
import { upsertSampleRows } from './samples-queries.ts';

export { reservePollRunId } from './samples-queries.ts';

export async function loadLookups(sql: Sql): Promise<Lookups & UnitTree> {
  const db = orm(sql);
  const [unitRows, metricRows] = await Promise.all([
    db.select({ id: units.id, gsoCode: units.gsoCode, parentId: units.parentId }).from(units).where(isNull(units.validTo)),
    db.select({ id: metrics.id, key: metrics.key, unit: metrics.unit, partOf: metrics.partOf }).from(metrics)
  ]);
  const children = new Map<number | null, number[]>();
  const codeOf = new Map<number, string>();
  for (const u of unitRows) {
    codeOf.set(u.id, u.gsoCode);
    const list = children.get(u.parentId) ?? [];
    list.push(u.id);
    children.set(u.parentId, list);
  }
  const roots = children.get(null) ?? [];
  return {
    unitIdByCode: new Map(unitRows.map((u) => [u.gsoCode, u.id])),
    metrics: new Map(metricRows.map((m) => [m.key, { id: m.id, unit: m.unit, partOf: m.partOf }])),
    codesUnder(scopeUnitId) {
      const out: string[] = [];
      const walk = (id: number) => {
        for (const c of children.get(id) ?? []) {
          out.push(codeOf.get(c)!);
          walk(c);
        }
      };
      if (scopeUnitId === null) for (const root of roots) walk(root);
      else {
        const code = codeOf.get(scopeUnitId);
        if (code) out.push(code); // the scope unit reports too (tasks assigned to a district itself)
        walk(scopeUnitId);
      }
      return out;
    }
  };
}

const CHUNK = 20_000;

export interface UpsertProvenance {
  /** The poll run (poll_runs.id) that writes these rows. */
  pollRunId: number;
  /**
   * When an inserted row counts as first seen: `now` for a poll or an upload; `on_time` for history
   * loaded by a backfill, whose real arrival is unknown: the end of its own day (or now, for today),
   * so it is never counted late, and a later change to it is still counted as a correction.
   */
  firstSeen: 'now' | 'on_time';
}

/** Returns how many samples were new or changed, on which days, and of which metrics (ids). */
export async function upsertSamples(
  sql: Sql,
  sourceId: number,
  rows: StoredRow[],
  observedAt: Date,
  provenance: UpsertProvenance
): Promise<{ changed: number; changedDays: Set<string>; changedMetricIds: Set<number> }> {
  const changedDays = new Set<string>();
  const changedMetricIds = new Set<number>();
  let changed = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const result = await upsertSampleRows(sql, chunk, { sourceId, observedAt, ...provenance });
    changed += result.length;
    for (const r of result) {
      changedDays.add(r.day);
      changedMetricIds.add(r.metricId);
    }
  }
  return { changed, changedDays, changedMetricIds };
}
