/**
 * Idempotent upsert of samples on (unit, metric, day, source). A row whose value did not change
 * is not touched, so the same poll twice changes nothing; the days that did change are returned
 * so that only their boards are recomputed.
 *
 * Provenance: every row written (inserted or changed) names the poll run that wrote it
 * (`poll_run_id`); `first_seen_at` is set when a row is inserted and never again, so a value
 * changed later keeps the moment it first arrived (`ingested_at` moves, `first_seen_at` stays).
 */
import type { Queryable as Sql } from '#db/client';
import type { Lookups, StoredRow } from './mapping/validate.ts';
import type { UnitTree } from './mapping/index.ts';

export async function loadLookups(sql: Sql): Promise<Lookups & UnitTree> {
  const unitRows = await sql<{ id: number; gso_code: string; parent_id: number | null }[]>`
    select id, gso_code, parent_id from units where valid_to is null`;
  const metricRows = await sql<{ id: number; key: string; unit: string; part_of: string | null }[]>`select id, key, unit, part_of from metrics`;
  const children = new Map<number | null, number[]>();
  const codeOf = new Map<number, string>();
  for (const u of unitRows) {
    codeOf.set(u.id, u.gso_code);
    const list = children.get(u.parent_id) ?? [];
    list.push(u.id);
    children.set(u.parent_id, list);
  }
  const roots = children.get(null) ?? [];
  return {
    unitIdByCode: new Map(unitRows.map((u) => [u.gso_code, u.id])),
    metrics: new Map(metricRows.map((m) => [m.key, { id: m.id, unit: m.unit, partOf: m.part_of }])),
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
    // Constants for the whole statement: no extra round trip and nothing per row on the client.
    // first_seen_at is absent from the update list on purpose: it is written on insert only. On insert,
    // ingested_at (when the value last changed) is the same moment, so only a later change is a correction.
    const result = await sql<{ day: string; metric_id: number }[]>`
      insert into samples (unit_id, metric_id, day, source_id, value, observed_at, poll_run_id, first_seen_at, ingested_at)
      select u, m, d, ${sourceId}, v, ${observedAt.toISOString()}, ${provenance.pollRunId}::int, seen, seen
      from (select u, m, d, v, case when ${provenance.firstSeen} = 'now' then now()
                                    else least(now(), (d + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') end as seen
            from unnest(${sql.array(chunk.map((r) => r.unitId))}::int[],
                  ${sql.array(chunk.map((r) => r.metricId))}::smallint[],
                  ${sql.array(chunk.map((r) => r.day))}::date[],
                  ${sql.array(chunk.map((r) => r.value))}::float8[]) as t(u, m, d, v)) as rows
      on conflict (unit_id, metric_id, day, source_id) do update
        set value = excluded.value, observed_at = excluded.observed_at, ingested_at = now(), poll_run_id = excluded.poll_run_id
        where samples.value is distinct from excluded.value
      returning to_char(day, 'YYYY-MM-DD') as day, metric_id`;
    changed += result.length;
    for (const r of result) {
      changedDays.add(r.day);
      changedMetricIds.add(r.metric_id);
    }
  }
  return { changed, changedDays, changedMetricIds };
}

/** Reserves the id of a poll run before its row is written, so the samples it stores can name it. */
export async function reservePollRunId(sql: Sql): Promise<number> {
  const [row] = await sql<{ id: number }[]>`select nextval(pg_get_serial_sequence('poll_runs', 'id'))::int as id`;
  return row!.id;
}
