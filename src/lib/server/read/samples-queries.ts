/**
 * Reads of the raw samples for the read models: a unit's daily sums (the series), the drill-down's
 * values per day and metric, the samples behind one day, and how many of them arrived late or were
 * corrected. Raw SQL (the stock rule needs lateral and distinct-on scans), rows parsed (db/rows.ts).
 *
 * "The samples behind" a value follow the stock rule of the boards: a flow's samples are those of
 * the day(s) themselves; a stock's are each unit's last value up to the day, looking back to the
 * start of the period or of the cadence unit it begins in.
 */
import { z } from 'zod';
import type { Queryable } from '#db/client';
import { int, isoDate, isoTime, parseRows } from '#db/rows';
import { ZONE } from '#domain/periods';

const dailySumRow = z.object({ day: isoDate, numerator: z.number(), denominator: z.number() });

/**
 * Every day from `from` to `to` (oldest first) with Σ of the numerator and denominator metrics over
 * what counts in the unit (unit_rollup: its descendants, and before a reform its predecessors times
 * their share) (0 when none).
 */
export async function dailySums(q: Queryable, unitId: number, metricKeys: { numerator: string[]; denominator: string[] }, from: string, to: string) {
  const rows = await q`
    select d::date::text as day,
           coalesce(sum(s.value * c.share) filter (where m.key = any(${q.array(metricKeys.numerator)}::text[])), 0)::float8 as numerator,
           coalesce(sum(s.value * c.share) filter (where m.key = any(${q.array(metricKeys.denominator)}::text[])), 0)::float8 as denominator
    from generate_series(${from}::date, ${to}::date, interval '1 day') as d
    left join (effective_samples s join unit_rollup c on c.descendant_id = s.unit_id and c.ancestor_id = ${unitId} and c.share > 0
               join metrics m on m.id = s.metric_id)
      on s.day = d::date
    group by d order by d`;
  return parseRows('dailySums', dailySumRow, rows);
}

const dayValueRow = z.object({ day: isoDate, key: z.string(), value: z.number() });

/**
 * Σ over what counts in the unit (unit_rollup, times the share) of each of these metrics on each day
 * from `start` to `lastDay` (flows: the day's samples; stocks: per the stock rule, of the units in
 * force on that day). A day and metric with no sample has no row.
 */
export async function dayValuesPerMetric(q: Queryable, unitId: number, metricKeys: string[], start: string, lastDay: string) {
  const rows = await q`
    with m as (
      select id, key, aggregation, cadence from metrics where key = any(${q.array(metricKeys)}::text[])
    ), u as (
      select r.descendant_id as unit_id, r.share, un.valid_from, un.valid_to
      from unit_rollup r join units un on un.id = r.descendant_id
      where r.ancestor_id = ${unitId} and r.share > 0
    ), days as (
      select d::date as day from generate_series(${start}::date, ${lastDay}::date, interval '1 day') as d
    ), v as (
      (select s.day, s.metric_id, sum(s.value * u.share) as value
       from effective_samples s join u on u.unit_id = s.unit_id
       where s.metric_id in (select id from m where aggregation = 'flow') and s.day between ${start}::date and ${lastDay}::date
       group by s.day, s.metric_id)
      union all
      (select x.day, x.metric_id, sum(x.value)
       from (
         select distinct on (days.day, s.unit_id, s.metric_id) days.day, s.metric_id, s.value
         from days join m on m.aggregation = 'stock'
         cross join lateral (
           select s.unit_id, s.metric_id, s.day as sample_day, s.value * u.share as value
           from effective_samples s join u on u.unit_id = s.unit_id
           where s.metric_id = m.id
             and s.day between least(days.day, date_trunc(m.cadence, days.day::timestamp)::date) and days.day
             and (u.valid_from is null or u.valid_from <= days.day) and (u.valid_to is null or u.valid_to >= days.day)
         ) s
         order by days.day, s.unit_id, s.metric_id, s.sample_day desc
       ) x
       group by x.day, x.metric_id)
    )
    select to_char(v.day, 'YYYY-MM-DD') as day, m.key, v.value::float8 as value from v join m on m.id = v.metric_id`;
  return parseRows('dayValuesPerMetric', dayValueRow, rows);
}

const sampleRow = z.object({
  unitCode: z.string(),
  unitName: z.string(),
  metricKey: z.string(),
  metricName: z.string(),
  day: isoDate,
  value: z.number(),
  sourceKey: z.string(),
  sourceName: z.string(),
  /** The source's priority now (higher wins). */
  priority: int,
  /** Whether this value counts: no source of a higher priority has one for its unit, metric and day. */
  counts: z.boolean(),
  observedAt: isoTime,
  firstSeenAt: isoTime.nullable(),
  ingestedAt: isoTime,
  pollRunId: int.nullable()
});

/**
 * Every sample behind these metrics of a unit (and its descendants) on one day, with its unit,
 * metric, source and provenance, and every other source's value for the same unit, metric and
 * day with whether it counts (samples_by_priority, migration 0014): a flow's samples are those of
 * the day; a stock's, those of the last day up to `day` with a value that counts. By unit code,
 * metric, then the value that counts first (highest priority), then source.
 */
export async function samplesBehindDay(q: Queryable, unitId: number, metricKeys: string[], day: string) {
  const rows = await q`
    with m as (
      select id, key, name_vi, aggregation, cadence from metrics where key = any(${q.array(metricKeys)}::text[])
    ), u as (
      select descendant_id as unit_id from unit_rollup where ancestor_id = ${unitId} and share > 0
    ), cells as (
      (select distinct s.unit_id, s.metric_id, s.day
       from samples s join u on u.unit_id = s.unit_id
       where s.metric_id in (select id from m where aggregation = 'flow') and s.day = ${day}::date)
      union all
      (select distinct on (s.unit_id, s.metric_id) s.unit_id, s.metric_id, s.day
       from m join effective_samples s on s.metric_id = m.id join u on u.unit_id = s.unit_id
       where m.aggregation = 'stock'
         and s.day between least(${day}::date, date_trunc(m.cadence, ${day}::date::timestamp)::date) and ${day}::date
       order by s.unit_id, s.metric_id, s.day desc)
    )
    select un.gso_code as "unitCode", un.name as "unitName", m.key as "metricKey", m.name_vi as "metricName",
           to_char(b.day, 'YYYY-MM-DD') as day, b.value, ds.key as "sourceKey", ds.name as "sourceName", ds.priority, b.counts,
           b.observed_at as "observedAt", b.first_seen_at as "firstSeenAt", b.ingested_at as "ingestedAt", b.poll_run_id as "pollRunId"
    from cells c
    join samples_by_priority b on b.unit_id = c.unit_id and b.metric_id = c.metric_id and b.day = c.day
    join m on m.id = b.metric_id join units un on un.id = b.unit_id join data_sources ds on ds.id = b.source_id
    order by un.gso_code, m.id, b.counts desc, ds.priority desc, ds.key`;
  return parseRows('samplesBehindDay', sampleRow, rows);
}

const latenessRow = z.object({ key: z.string(), samples: int, late: int, corrected: int });

/**
 * Per metric, the samples behind its value for the period (what counts in the unit: unit_rollup),
 * and how many of them arrived late (first stored after the end of the day after their day, ICT)
 * or were corrected (changed after they were first stored, once their day had ended). A metric
 * with no sample has no row.
 */
export async function latenessPerMetric(q: Queryable, unitId: number, metricKeys: string[], period: { start: string; end: string }) {
  const rows = await q`
    with m as (
      select id, key, aggregation, cadence from metrics where key = any(${q.array(metricKeys)}::text[])
    ), u as (
      select descendant_id as unit_id from unit_rollup where ancestor_id = ${unitId} and share > 0
    ), behind as (
      (select s.metric_id, s.day, s.first_seen_at, s.ingested_at
       from effective_samples s join u on u.unit_id = s.unit_id
       where s.metric_id in (select id from m where aggregation = 'flow') and s.day between ${period.start}::date and ${period.end}::date)
      union all
      (select distinct on (s.unit_id, s.metric_id) s.metric_id, s.day, s.first_seen_at, s.ingested_at
       from m join effective_samples s on s.metric_id = m.id join u on u.unit_id = s.unit_id
       where m.aggregation = 'stock'
         and s.day between least(${period.start}::date, date_trunc(m.cadence, ${period.start}::date::timestamp)::date) and ${period.end}::date
       order by s.unit_id, s.metric_id, s.day desc)
    )
    select m.key, count(*)::int as samples,
           count(*) filter (where b.first_seen_at >= ((b.day + 2)::timestamp at time zone ${ZONE}))::int as late,
           count(*) filter (where b.ingested_at > b.first_seen_at
                              and b.ingested_at >= ((b.day + 1)::timestamp at time zone ${ZONE}))::int as corrected
    from behind b join m on m.id = b.metric_id
    group by m.key`;
  return parseRows('latenessPerMetric', latenessRow, rows);
}
