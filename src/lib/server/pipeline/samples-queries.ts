/**
 * The ingest's raw statements (ingest.ts): the samples upsert and the period values' upsert (one
 * unnest per chunk), a backfill's samples through COPY, and the reservation of a poll run's id, with
 * their rows parsed, not asserted.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type postgres from 'postgres';
import type { Queryable } from '#db/client';
import { checkColumns, column, int, parseRows } from '#db/rows';
import type { StoredRow } from './mapping/validate.ts';
import type { PeriodRow } from './mapping/index.ts';

/** day: YYYY-MM-DD */
const changedColumns = { day: column.text, metricId: column.int2, unitId: column.int4 };

/**
 * Inserts the rows, or changes the stored value where it differs; a row whose value did not change
 * is not touched. Returns the (day, metric, unit) of every row inserted or changed.
 *
 * `firstSeen` says what first_seen_at (and ingested_at) an inserted row gets: `now`, or `on_time`:
 * the end of its own day in the city (or now, for today). first_seen_at is absent from the update
 * list on purpose: it is written on insert only. On insert, ingested_at (when the value last
 * changed) is the same moment, so only a later change is a correction.
 */
export async function upsertSampleRows(
  q: Queryable,
  rows: readonly StoredRow[],
  stamp: { sourceId: number; observedAt: Date; pollRunId: number; firstSeen: 'now' | 'on_time' }
) {
  // Constants for the whole statement: no extra round trip and nothing per row on the client.
  const result = await q`
    insert into samples (unit_id, metric_id, day, source_id, value, observed_at, poll_run_id, first_seen_at, ingested_at)
    select u, m, d, ${stamp.sourceId}, v, ${stamp.observedAt.toISOString()}, ${stamp.pollRunId}::int, seen, seen
    from (select u, m, d, v, case when ${stamp.firstSeen} = 'now' then now()
                                  else least(now(), (d + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') end as seen
          from unnest(${q.array(rows.map((r) => r.unitId))}::int[],
                ${q.array(rows.map((r) => r.metricId))}::smallint[],
                ${q.array(rows.map((r) => r.day))}::date[],
                ${q.array(rows.map((r) => r.value))}::float8[]) as t(u, m, d, v)) as rows
    on conflict (unit_id, metric_id, day, source_id) do update
      set value = excluded.value, observed_at = excluded.observed_at, ingested_at = now(), poll_run_id = excluded.poll_run_id
      where samples.value is distinct from excluded.value
    returning to_char(day, 'YYYY-MM-DD') as day, metric_id as "metricId", unit_id as "unitId"`;
  // As many rows as samples changed (a backfill: every one): checked by its columns, not row by row.
  return checkColumns('upsertSampleRows', changedColumns, result);
}

/**
 * Two kinds of row: (day YYYY-MM-DD, metric, n) — n samples of that day and metric inserted or
 * changed — with unit null, and (unit, n) with day and metric null.
 */
const changedCountColumns = { day: column.nullable(column.text), metricId: column.nullable(column.int2), unitId: column.nullable(column.int4), n: column.int4 };

/**
 * A backfill's rows (tens of thousands a piece), with exactly upsertSampleRows's rules and stamp,
 * through COPY: streamed as text into a temporary staging table of the session (emptied at each
 * commit), then one insert … select … on conflict … do update … where the value is distinct into
 * samples. Returns the (day, metric) of the rows inserted or changed, each with how many, and their
 * units: grouped in the statement, not one row back per sample. Must run in a transaction (the staging table's rows
 * are the transaction's).
 *
 * The staging columns are text, cast in the insert: a bad value fails that statement, in words,
 * never the COPY itself. (postgres.js 3.4.9 never settles a COPY the server refused, and leaves its
 * transaction open: porsager/postgres#1173. As a last guard against that, or a connection lost
 * mid-COPY, a COPY not finished within `timeoutMs` fails the transaction.)
 */
export async function copySampleRows(
  tx: postgres.TransactionSql,
  rows: readonly StoredRow[],
  stamp: { sourceId: number; observedAt: Date; pollRunId: number; firstSeen: 'now' | 'on_time' },
  timeoutMs: number
) {
  await tx`create temporary table if not exists sample_stage (unit_id text, metric_id text, day text, value text) on commit delete rows`;
  await tx`truncate sample_stage`; // a second call in the same transaction starts empty too
  const writable = await tx`copy sample_stage (unit_id, metric_id, day, value) from stdin`.writable();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pipeline(Readable.from(copyLines(rows)), writable),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`COPY of ${rows.length} samples not finished after ${timeoutMs} ms`)), timeoutMs);
      })
    ]);
  } finally {
    clearTimeout(timer);
  }
  const result = await tx`
    with written as (
      insert into samples (unit_id, metric_id, day, source_id, value, observed_at, poll_run_id, first_seen_at, ingested_at)
      select u, m, d, ${stamp.sourceId}, v, ${stamp.observedAt.toISOString()}, ${stamp.pollRunId}::int, seen, seen
      from (select u, m, d, v, case when ${stamp.firstSeen} = 'now' then now()
                                    else least(now(), (d + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') end as seen
            from (select unit_id::int as u, metric_id::smallint as m, day::date as d, value::float8 as v from sample_stage) as t) as rows
      on conflict (unit_id, metric_id, day, source_id) do update
        set value = excluded.value, observed_at = excluded.observed_at, ingested_at = now(), poll_run_id = excluded.poll_run_id
        where samples.value is distinct from excluded.value
      returning day, metric_id, unit_id
    )
    select to_char(day, 'YYYY-MM-DD') as day, metric_id as "metricId", unit_id as "unitId", count(*)::int as n
    from written group by grouping sets ((day, metric_id), (unit_id))`;
  return checkColumns('copySampleRows', changedCountColumns, result);
}

/** The rows as COPY text lines (tab-separated), in chunks of a few thousand. Numbers and ISO days hold no tab, newline or backslash. */
function* copyLines(rows: readonly StoredRow[]): Generator<string> {
  const CHUNK = 4096;
  for (let i = 0; i < rows.length; i += CHUNK) {
    let text = '';
    for (const r of rows.slice(i, i + CHUNK)) text += `${r.unitId}\t${r.metricId}\t${r.day}\t${r.value}\n`;
    yield text;
  }
}

/** kind: month | quarter | year; start: YYYY-MM-DD */
const changedPeriodColumns = { kind: column.text, start: column.text, metricId: column.int2 };

/**
 * A periodic source's values (period_samples), as upsertSampleRows stores a day's: inserted, or the
 * stored value changed where it differs; an unchanged value is not touched (its poll_run_id,
 * ingested_at and first_seen_at stay). Returns the (kind, start, metric) of every row inserted or
 * changed. `on_time` (a backfill): an inserted value counts as first seen at the end of its period
 * (or now, for a period not over yet).
 */
export async function upsertPeriodSampleRows(
  q: Queryable,
  rows: readonly PeriodRow[],
  stamp: { sourceId: number; observedAt: Date; pollRunId: number; firstSeen: 'now' | 'on_time' }
) {
  const result = await q`
    insert into period_samples (unit_id, metric_id, period_kind, period_start, source_id, value, observed_at, poll_run_id, first_seen_at, ingested_at)
    select u, m, k, s, ${stamp.sourceId}, v, ${stamp.observedAt.toISOString()}, ${stamp.pollRunId}::int, seen, seen
    from (select u, m, k, s, v, case when ${stamp.firstSeen} = 'now' then now()
                                     else least(now(), (s + case k when 'month' then interval '1 month' when 'quarter' then interval '3 months'
                                                                  else interval '1 year' end)::timestamp at time zone 'Asia/Ho_Chi_Minh') end as seen
          from unnest(${q.array(rows.map((r) => r.unitId))}::int[],
                ${q.array(rows.map((r) => r.metricId))}::smallint[],
                ${q.array(rows.map((r) => r.periodKind))}::text[],
                ${q.array(rows.map((r) => r.periodStart))}::date[],
                ${q.array(rows.map((r) => r.value))}::float8[]) as t(u, m, k, s, v)) as rows
    on conflict (unit_id, metric_id, period_kind, period_start, source_id) do update
      set value = excluded.value, observed_at = excluded.observed_at, ingested_at = now(), poll_run_id = excluded.poll_run_id
      where period_samples.value is distinct from excluded.value
    returning period_kind as kind, to_char(period_start, 'YYYY-MM-DD') as start, metric_id as "metricId"`;
  return checkColumns('upsertPeriodSampleRows', changedPeriodColumns, result);
}

/** Reserves the id of a poll run before its row is written, so the samples it stores can name it. */
export async function reservePollRunId(q: Queryable): Promise<number> {
  const rows = await q`select nextval(pg_get_serial_sequence('poll_runs', 'id'))::int as id`;
  return parseRows('reservePollRunId', z.object({ id: int }), rows)[0]!.id;
}
