/**
 * Idempotent upsert of samples on (unit, metric, day, source). A row whose value did not change
 * is not touched, so the same poll twice changes nothing; the days that did change are returned
 * so that only their boards are recomputed.
 */
import type { Queryable as Sql } from '#db/client';
import type { RejectedRow } from '#db/schema/sources';
import { DateTime } from 'luxon';
import type { CanonicalSample } from './sources/types.ts';

export interface Lookups {
  unitIdByCode: Map<string, number>;
  metricIdByKey: Map<string, number>;
}

export async function loadLookups(sql: Sql): Promise<Lookups> {
  const unitRows = await sql<{ id: number; gso_code: string }[]>`select id, gso_code from units`;
  const metricRows = await sql<{ id: number; key: string }[]>`select id, key from metrics`;
  return {
    unitIdByCode: new Map(unitRows.map((u) => [u.gso_code, u.id])),
    metricIdByKey: new Map(metricRows.map((m) => [m.key, m.id]))
  };
}

export interface ResolvedSamples {
  rows: { unitId: number; metricId: number; day: string; value: number }[];
  rejected: RejectedRow[];
}

/** Unknown units or metrics, and dates outside the poll's window, are rejected with words. */
export function resolveSamples(
  samples: CanonicalSample[],
  lookups: Lookups,
  window: { from: string; to: string }
): ResolvedSamples {
  const rows: ResolvedSamples['rows'] = [];
  const rejected: RejectedRow[] = [];
  const reported = new Set<string>();
  samples.forEach((s, index) => {
    const unitId = lookups.unitIdByCode.get(s.unitCode);
    const metricId = lookups.metricIdByKey.get(s.metric);
    let reason: string | null = null;
    if (unitId === undefined) reason = `unknown unit code ${s.unitCode}`;
    else if (metricId === undefined) reason = `unknown metric ${s.metric}`;
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(s.date) || !DateTime.fromISO(s.date).isValid) reason = `date ${s.date} does not exist`;
    else if (s.date < window.from || s.date > window.to) reason = `date ${s.date} is outside the requested ${window.from} – ${window.to}`;
    if (reason) {
      // One reason per unit and date, not one per metric.
      const key = `${s.unitCode}|${s.date}|${reason}`;
      if (!reported.has(key)) rejected.push({ index, reason });
      reported.add(key);
      return;
    }
    rows.push({ unitId: unitId!, metricId: metricId!, day: s.date, value: s.value });
  });
  return { rows, rejected };
}

const CHUNK = 20_000;

/** Returns how many samples were new or changed, and on which days. */
export async function upsertSamples(
  sql: Sql,
  sourceId: number,
  rows: ResolvedSamples['rows'],
  observedAt: Date
): Promise<{ changed: number; changedDays: Set<string> }> {
  const changedDays = new Set<string>();
  let changed = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const result = await sql<{ day: string }[]>`
      insert into samples (unit_id, metric_id, day, source_id, value, observed_at)
      select u, m, d, ${sourceId}, v, ${observedAt.toISOString()}
      from unnest(${sql.array(chunk.map((r) => r.unitId))}::int[],
                  ${sql.array(chunk.map((r) => r.metricId))}::smallint[],
                  ${sql.array(chunk.map((r) => r.day))}::date[],
                  ${sql.array(chunk.map((r) => r.value))}::float8[]) as t(u, m, d, v)
      on conflict (unit_id, metric_id, day, source_id) do update
        set value = excluded.value, observed_at = excluded.observed_at, ingested_at = now()
        where samples.value is distinct from excluded.value
      returning to_char(day, 'YYYY-MM-DD') as day`;
    changed += result.length;
    for (const r of result) changedDays.add(r.day);
  }
  return { changed, changedDays };
}
