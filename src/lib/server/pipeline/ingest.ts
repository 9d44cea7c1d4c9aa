/**
 * Idempotent upsert of samples on (unit, metric, day, source). A row whose value did not change
 * is not touched, so the same poll twice changes nothing; the days that did change are returned
 * so that only their boards are recomputed.
 *
 * Provenance: every row written (inserted or changed) names the poll run that wrote it
 * (`poll_run_id`); `first_seen_at` is set when a row is inserted and never again, so a value
 * changed later keeps the moment it first arrived (`ingested_at` moves, `first_seen_at` stays).
 */
import { asc } from 'drizzle-orm';
import { today as todayIso } from '#domain/periods';
import type postgres from 'postgres';
import { orm, type Queryable as Sql } from '#db/client';
import { metrics, units } from '#db/schema/index';
import type { Lookups, StoredRow } from './mapping/validate.ts';
import type { PeriodRow, UnitTree } from './mapping/index.ts';
import type { ValuePeriodKind } from '#db/schema/samples';
import { copySampleRows, upsertPeriodSampleRows, upsertSampleRows } from './samples-queries.ts';

export { reservePollRunId } from './samples-queries.ts';

/**
 * What mapping a source's rows needs: its unit codes (in the code system the source speaks: 'gso',
 * the register's own codes, or a key of `units.external_codes` such as 'portal') → unit ids ON A DAY
 * (a code is reused across a reform: a row dated before 01/07/2025 with code 10114 is Thị trấn Kim
 * Bài's, after it Xã Thanh Oai's), the metrics, and the units under a source's scope (every unit
 * below it, in force or not: a row is matched to the unit of its day).
 */
export async function loadLookups(sql: Sql, codeSystem = 'gso', today: string = todayIso()): Promise<Lookups & UnitTree> {
  const db = orm(sql);
  const [unitRows, metricRows] = await Promise.all([
    db
      .select({
        id: units.id, gsoCode: units.gsoCode, externalCodes: units.externalCodes, parentId: units.parentId,
        validFrom: units.validFrom, validTo: units.validTo
      })
      .from(units)
      .orderBy(asc(units.id)),
    db.select({ id: metrics.id, key: metrics.key, unit: metrics.unit, partOf: metrics.partOf, periodic: metrics.periodic }).from(metrics)
  ]);
  const children = new Map<number | null, number[]>();
  for (const u of unitRows) {
    const list = children.get(u.parentId) ?? [];
    list.push(u.id);
    children.set(u.parentId, list);
  }
  const roots = children.get(null) ?? [];
  const holds = (u: { validFrom: string | null; validTo: string | null }, day: string) =>
    (u.validFrom === null || u.validFrom <= day) && (u.validTo === null || u.validTo >= day);
  const versions = new Map<string, (typeof unitRows)[number][]>();
  for (const u of unitRows) {
    const code = codeSystem === 'gso' ? u.gsoCode : u.externalCodes?.[codeSystem];
    if (typeof code !== 'string' || code === '') continue;
    const list = versions.get(code) ?? [];
    list.push(u);
    versions.set(code, list);
  }
  // The code's unit in force today, else its newest holder (the one that ended last).
  const unitIdByCode = new Map<string, number>();
  for (const [code, list] of versions) {
    const now = list.find((u) => holds(u, today)) ?? [...list].sort((a, b) => (b.validTo ?? '9999').localeCompare(a.validTo ?? '9999'))[0]!;
    unitIdByCode.set(code, now.id);
  }
  const validity = new Map(unitRows.map((u) => [u.id, u]));
  return {
    unitIdByCode,
    unitIdOn(code, day) {
      const list = versions.get(code);
      if (!list) return undefined;
      if (list.length === 1) return holds(list[0]!, day) ? list[0]!.id : undefined;
      return list.find((u) => holds(u, day))?.id;
    },
    inForce(unitId, day) {
      const u = validity.get(unitId);
      return !u || holds(u, day);
    },
    codeSystem,
    metrics: new Map(metricRows.map((m) => [m.key, { id: m.id, unit: m.unit, partOf: m.partOf, periodic: m.periodic }])),
    unitIdsUnder(scopeUnitId) {
      const out: number[] = [];
      const walk = (id: number) => {
        for (const c of children.get(id) ?? []) {
          out.push(c);
          walk(c);
        }
      };
      if (scopeUnitId === null) for (const root of roots) walk(root);
      else {
        if (unitRows.some((u) => u.id === scopeUnitId)) out.push(scopeUnitId); // the scope unit reports too (tasks assigned to a district itself)
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

/** What a write of samples changed: how many samples were new or changed, on which days, of which metrics and units (ids). */
export interface SamplesChanged {
  changed: number;
  changedDays: Set<string>;
  changedMetricIds: Set<number>;
  changedUnitIds: Set<number>;
}

export async function upsertSamples(sql: Sql, sourceId: number, rows: StoredRow[], observedAt: Date, provenance: UpsertProvenance): Promise<SamplesChanged> {
  const changedDays = new Set<string>();
  const changedMetricIds = new Set<number>();
  const changedUnitIds = new Set<number>();
  let changed = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const result = await upsertSampleRows(sql, chunk, { sourceId, observedAt, ...provenance });
    changed += result.length;
    for (const r of result) {
      changedDays.add(r.day);
      changedMetricIds.add(r.metricId);
      changedUnitIds.add(r.unitId);
    }
  }
  return { changed, changedDays, changedMetricIds, changedUnitIds };
}

/**
 * A backfill's samples, as upsertSamples stores them (same rules, same provenance, same answer),
 * through COPY into a staging table and one insert … select (copySampleRows): for the tens of
 * thousands of rows of a history piece. In the caller's transaction. Polls keep upsertSamples.
 */
export async function copySamples(
  tx: postgres.TransactionSql,
  sourceId: number,
  rows: StoredRow[],
  observedAt: Date,
  provenance: UpsertProvenance,
  options: { timeoutMs: number }
): Promise<SamplesChanged> {
  const changedDays = new Set<string>();
  const changedMetricIds = new Set<number>();
  const changedUnitIds = new Set<number>();
  let changed = 0;
  if (!rows.length) return { changed, changedDays, changedMetricIds, changedUnitIds };
  for (const r of await copySampleRows(tx, rows, { sourceId, observedAt, ...provenance }, options.timeoutMs)) {
    if (r.unitId !== null) changedUnitIds.add(r.unitId);
    else {
      changed += r.n;
      changedDays.add(r.day!);
      changedMetricIds.add(r.metricId!);
    }
  }
  return { changed, changedDays, changedMetricIds, changedUnitIds };
}

/**
 * A periodic source's values (period_samples), with the same provenance as upsertSamples. Returns
 * how many were new or changed, of which periods (kind and first day) and of which metrics (ids).
 */
export async function upsertPeriodSamples(
  sql: Sql,
  sourceId: number,
  rows: PeriodRow[],
  observedAt: Date,
  provenance: UpsertProvenance
): Promise<{ changed: number; changedPeriods: { kind: ValuePeriodKind; start: string }[]; changedMetricIds: Set<number> }> {
  const periods = new Map<string, { kind: ValuePeriodKind; start: string }>();
  const changedMetricIds = new Set<number>();
  let changed = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const result = await upsertPeriodSampleRows(sql, rows.slice(i, i + CHUNK), { sourceId, observedAt, ...provenance });
    changed += result.length;
    for (const r of result) {
      periods.set(`${r.kind}|${r.start}`, { kind: r.kind as ValuePeriodKind, start: r.start });
      changedMetricIds.add(r.metricId);
    }
  }
  return { changed, changedPeriods: [...periods.values()], changedMetricIds };
}
