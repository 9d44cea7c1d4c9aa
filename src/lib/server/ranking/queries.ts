/**
 * Every statement of the ranking (rankings.ts): the schemes in force and the hierarchy through the
 * query builder; the metric sums per period, the stored previous ranks and the rankings upsert in
 * raw SQL (lateral index scans, unnest), each with its rows parsed, not asserted.
 */
import { z } from 'zod';
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { orm, type Queryable } from '#db/client';
import { indicators, indicatorSchemes, metrics, units } from '#db/schema/index';
import { checkColumns, column, int, isoDate, parseRows } from '#db/rows';

/** One recompute at a time across every worker process: two concurrent ones could each write totals without the other's samples. */
const RECOMPUTE_LOCK = 0x6369_7479; // "city"

/** Held until the caller's transaction ends, so the next recompute sees its samples. */
export async function holdRecomputeLock(tx: Queryable): Promise<void> {
  await tx`select pg_advisory_xact_lock(${RECOMPUTE_LOCK})`;
}

/** `and r.scope_unit_id = any(scopes)` (rankings as r), or nothing when every scope is meant. */
function inScopes(q: Queryable, scopes: readonly number[] | undefined) {
  return scopes ? q`and r.scope_unit_id = any(${q.array([...scopes])}::int[])` : q``;
}

/**
 * The scopes whose boards these units' values reach: the parents of every unit they roll up into
 * (themselves, their ancestors, and across a reform their successors and theirs: unit_rollup).
 */
export async function scopesReached(q: Queryable, unitIds: readonly number[]): Promise<number[]> {
  if (!unitIds.length) return [];
  const rows = await q`
    select distinct a.parent_id as scope from unit_rollup r join units a on a.id = r.ancestor_id
    where r.descendant_id = any(${q.array([...unitIds])}::int[]) and a.parent_id is not null`;
  return parseRows('scopesReached', z.object({ scope: int }), rows).map((r) => r.scope);
}

/** Every unit whose values roll up into one of `unitIds` (themselves included): the leaves their sums read. */
export async function rollupLeaves(q: Queryable, unitIds: readonly number[]): Promise<number[]> {
  if (!unitIds.length) return [];
  const rows = await q`select distinct descendant_id as id from unit_rollup where ancestor_id = any(${q.array([...unitIds])}::int[]) and share > 0`;
  return parseRows('rollupLeaves', z.object({ id: int }), rows).map((r) => r.id);
}

/** Scopes whose boards roll up more than `units` units: the country's, in a national installation. */
export async function scopesRollingUpMoreThan(q: Queryable, units: number): Promise<number[]> {
  const rows = await q`
    select u.parent_id as scope from unit_rollup r join units u on u.id = r.ancestor_id
    where u.parent_id is not null and r.share > 0 group by u.parent_id having count(distinct r.descendant_id) > ${units}`;
  return parseRows('scopesRollingUpMoreThan', z.object({ scope: int }), rows).map((r) => r.scope);
}

/** The newest active version of every scheme (or of the keys given), in key order. */
export function activeSchemeVersions(q: Queryable, keys?: readonly string[]) {
  return orm(q)
    .selectDistinctOn([indicatorSchemes.key], {
      id: indicatorSchemes.id, key: indicatorSchemes.key, groups: indicatorSchemes.groups, totalRule: indicatorSchemes.totalRule,
      periodKinds: indicatorSchemes.periodKinds
    })
    .from(indicatorSchemes)
    .where(and(eq(indicatorSchemes.active, true), keys ? inArray(indicatorSchemes.key, [...keys]) : undefined))
    .orderBy(indicatorSchemes.key, desc(indicatorSchemes.id));
}

/** The indicators of these scheme versions, in their display order. */
export function indicatorsOfSchemes(q: Queryable, schemeIds: number[]) {
  return orm(q)
    .select({
      schemeId: indicators.schemeId, key: indicators.key, numerator: indicators.numerator, denominator: indicators.denominator,
      direction: indicators.direction, maxPoints: indicators.maxPoints, saturation: indicators.saturation, groupKey: indicators.groupKey,
      zeroDenominator: indicators.zeroDenominator, published: indicators.published
    })
    .from(indicators)
    .where(inArray(indicators.schemeId, schemeIds))
    .orderBy(indicators.sortOrder, indicators.id);
}

/** Every unit with a parent, its level (the group it is ranked in) and its days in force. */
export function unitParents(q: Queryable) {
  return orm(q)
    .select({ id: units.id, parentId: units.parentId, level: units.level, validFrom: units.validFrom, validTo: units.validTo })
    .from(units)
    .where(isNotNull(units.parentId));
}

/** The metrics of these keys, with how they add up. */
export function metricsByKey(q: Queryable, keys: string[]) {
  return orm(q)
    .select({ id: metrics.id, key: metrics.key, aggregation: metrics.aggregation, cadence: metrics.cadence, unit: metrics.unit, periodic: metrics.periodic })
    .from(metrics)
    .where(inArray(metrics.key, keys));
}

/** The active schemes with an indicator over any of these metrics (ids), in key order. */
export function schemeKeysUsingMetrics(q: Queryable, metricIds: number[]) {
  return orm(q)
    .selectDistinct({ key: indicatorSchemes.key })
    .from(indicatorSchemes)
    .innerJoin(indicators, eq(indicators.schemeId, indicatorSchemes.id))
    // A metric counts in a scheme through an indicator, or as a group's published score.
    .innerJoin(
      metrics,
      sql`(${metrics.key} = any(${indicators.numerator} || ${indicators.denominator})
           or ${indicatorSchemes.groups} @> jsonb_build_array(jsonb_build_object('publishedMetric', ${metrics.key})))`
    )
    .where(and(eq(indicatorSchemes.active, true), inArray(metrics.id, metricIds)))
    .orderBy(indicatorSchemes.key);
}

const metricSumColumns = {
  /** YYYY-MM-DD */
  start: column.text,
  unitId: column.int4,
  metric: column.text,
  value: column.float8,
  /** ISO 8601 UTC */
  asOf: column.nullable(column.text),
  /** Part of the sum came from a predecessor that went only in part into the unit (unit_rollup.estimated). */
  estimated: column.bool
};

/**
 * Σ of each metric per unit (every level) per period, through unit_rollup: a unit's own descendants
 * whole and, across a reform, its predecessors times their lineage share (`estimated` when such a
 * share is a guess). Flows add up over the period's days; stocks are each leaf's last value up to the
 * period's end, looking back to the start of the period or of the cadence unit it begins in, whichever
 * is earlier — and only of the leaves in force on the period's last day (a stock is a level at the end:
 * an old commune's last count before the reform is already in its successor's). `asOf`: the newest
 * observation. Values are read from effective_samples: per (unit, metric, day) only the highest-priority
 * source's value counts, and only on the days its unit is in force (migrations 0014, 0016).
 */
export async function metricSumsPerPeriod(
  q: Queryable,
  periods: readonly { start: string; end: string }[],
  metricsToSum: readonly { id: number; aggregation: string }[],
  /**
   * Only the sums of these units (a scoped recompute's boards), read from these leaves when given
   * (their descendants). Default: every unit.
   */
  scope?: { units: readonly number[]; leaves?: readonly number[] }
) {
  const flowIds = metricsToSum.filter((m) => m.aggregation === 'flow').map((m) => m.id);
  const stockIds = metricsToSum.filter((m) => m.aggregation === 'stock').map((m) => m.id);
  // Literal bounds and ids (not subqueries), so the planner walks the (metric_id, day) index.
  const minDay = periods.reduce((min, p) => (p.start < min ? p.start : min), periods[0]!.start);
  const maxDay = periods.reduce((max, p) => (p.end > max ? p.end : max), periods[0]!.end);
  const leaves = scope?.leaves ? q`and s.unit_id = any(${q.array([...scope.leaves])}::int[])` : q``;
  const leavesPlain = scope?.leaves ? q`and unit_id = any(${q.array([...scope.leaves])}::int[])` : q``;
  const rows = await q`
    with p as (
      select * from unnest(${q.array(periods.map((p) => p.start))}::date[], ${q.array(periods.map((p) => p.end))}::date[]) as p(start, finish)
    ), dp as (
      -- day → period: an equality join the planner can hash
      select d::date as day, p.start from p, generate_series(p.start, p.finish, interval '1 day') as d
    ), m as (
      select id, key, cadence from metrics where id = any(${q.array(metricsToSum.map((m) => m.id))}::int[])
    ), leaf as (
      (select dp.start, s.unit_id, s.metric_id, sum(s.value) as value, max(s.observed_at) as as_of
       from effective_samples s join dp on dp.day = s.day
       where s.metric_id = any(${q.array(flowIds)}::int[]) and s.day between ${minDay}::date and ${maxDay}::date ${leaves}
       group by dp.start, s.unit_id, s.metric_id)
      union all
      (select distinct on (p.start, s.unit_id, s.metric_id) p.start, s.unit_id, s.metric_id, s.value, s.observed_at
       from p join m on m.id = any(${q.array(stockIds)}::int[])
       -- lateral: one index range scan per period and metric (a plain join here scanned every sample)
       cross join lateral (
         select unit_id, metric_id, day, value, observed_at from effective_samples
         where metric_id = m.id and day between least(p.start, date_trunc(m.cadence, p.start)::date) and p.finish ${leavesPlain}
         offset 0 -- keeps the planner from flattening this into a hash join over the whole table
       ) s
       join units u on u.id = s.unit_id
       where (u.valid_from is null or u.valid_from <= p.finish) and (u.valid_to is null or u.valid_to >= p.finish)
       order by p.start, s.unit_id, s.metric_id, s.day desc)
    )
    select to_char(leaf.start, 'YYYY-MM-DD') as start, r.ancestor_id as "unitId", m.key as metric,
           sum(leaf.value * r.share)::float8 as value,
           to_char(max(leaf.as_of) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "asOf",
           bool_or(r.estimated) as estimated
    from leaf join unit_rollup r on r.descendant_id = leaf.unit_id and r.share > 0 join m on m.id = leaf.metric_id
    ${scope ? q`where r.ancestor_id = any(${q.array([...scope.units])}::int[])` : q``}
    group by leaf.start, r.ancestor_id, m.key`;
  // A bulk result (300,000 rows for thirty day boards): checked by its columns, not row by row.
  return checkColumns('metricSumsPerPeriod', metricSumColumns, rows);
}

/**
 * The values of periodic metrics (period_samples) for boards of month, quarter and year, per unit,
 * its own (never rolled up: each level publishes its own). Per (unit, metric, period) the
 * highest-priority source counts. A period the publisher gave counts as given; a quarter it did not
 * give is its months summed, a year its quarters (given, or their months summed); a `points` value is
 * never derived (a sum of monthly scores means nothing). Rows in metricSumsPerPeriod's shape.
 */
export async function periodValues(
  q: Queryable,
  periods: readonly { kind: 'month' | 'quarter' | 'year'; start: string }[],
  metricsToRead: readonly { id: number; unit: string }[],
  /** Only these units (a scope's own score); absent: every unit. */
  unitIds?: readonly number[]
) {
  const derivable = metricsToRead.filter((m) => m.unit !== 'points').map((m) => m.id);
  const units = unitIds ? q`and v.unit_id = any(${q.array([...unitIds])}::int[])` : q``;
  // "Given, else derived" by one sort per level (distinct on, the given value first), never by a
  // join: a materialized CTE has no statistics, and on a freshly loaded period_samples (one row
  // estimated for 12,000) the planner chose a nested-loop anti-join that took 11–20 s for one month
  // board of the demo.
  const rows = await q`
    with p as (
      select * from unnest(${q.array(periods.map((p) => p.kind))}::text[], ${q.array(periods.map((p) => p.start))}::date[]) as p(kind, start)
    ), best as materialized (
      -- per (unit, metric, kind, start): the value of the highest-priority source (ties: the newest)
      select distinct on (v.unit_id, v.metric_id, v.period_kind, v.period_start)
             v.unit_id, v.metric_id, v.period_kind, v.period_start, v.value, v.observed_at
      from period_samples v join data_sources d on d.id = v.source_id
      where v.metric_id = any(${q.array(metricsToRead.map((m) => m.id))}::int[]) ${units}
        and v.period_start >= (select min(date_trunc('year', start))::date from p)
        and v.period_start <= (select max(start + interval '1 year')::date from p)
      order by v.unit_id, v.metric_id, v.period_kind, v.period_start, d.priority desc, v.observed_at desc
    ), quarters as materialized (
      -- a quarter as given, else its months summed (derivable metrics only)
      select distinct on (unit_id, metric_id, period_start) unit_id, metric_id, period_start, value, observed_at
      from (select unit_id, metric_id, period_start, value, observed_at, 0 as derived from best where period_kind = 'quarter'
            union all
            select unit_id, metric_id, date_trunc('quarter', period_start)::date, sum(value), max(observed_at), 1
            from best where period_kind = 'month' and metric_id = any(${q.array(derivable)}::int[])
            group by unit_id, metric_id, date_trunc('quarter', period_start)::date) x
      order by unit_id, metric_id, period_start, derived
    ), years as (
      -- a year as given, else its quarters (given, or their months summed) summed
      select distinct on (unit_id, metric_id, period_start) unit_id, metric_id, period_start, value, observed_at
      from (select unit_id, metric_id, period_start, value, observed_at, 0 as derived from best where period_kind = 'year'
            union all
            select unit_id, metric_id, date_trunc('year', period_start)::date, sum(value), max(observed_at), 1
            from quarters where metric_id = any(${q.array(derivable)}::int[])
            group by unit_id, metric_id, date_trunc('year', period_start)::date) x
      order by unit_id, metric_id, period_start, derived
    ), v as (
      select unit_id, metric_id, 'month'::text as period_kind, period_start, value, observed_at from best where period_kind = 'month'
      union all select unit_id, metric_id, 'quarter', period_start, value, observed_at from quarters
      union all select unit_id, metric_id, 'year', period_start, value, observed_at from years
    )
    select to_char(v.period_start, 'YYYY-MM-DD') as start, v.unit_id as "unitId", m.key as metric, v.value::float8 as value,
           to_char(v.observed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "asOf", false as estimated
    from v join p on p.kind = v.period_kind and p.start = v.period_start join metrics m on m.id = v.metric_id`;
  return checkColumns('periodValues', metricSumColumns, rows);
}

const storedRankRow = z.object({ scheme: z.string(), kind: z.string(), start: isoDate, scope: int, unit: int, rank: int.nullable() });

/** The stored ranks of these periods (kind and start) under these schemes (of these scopes only, when given). */
export async function storedRanks(q: Queryable, periods: readonly { kind: string; start: string }[], schemeKeys: readonly string[], scopes?: readonly number[]) {
  const rows = await q`
    select scheme_key as scheme, period_kind as kind, to_char(period_start, 'YYYY-MM-DD') as start, scope_unit_id as scope, unit_id as unit, rank
    from rankings r
    join unnest(${q.array(periods.map((p) => p.kind))}::text[], ${q.array(periods.map((p) => p.start))}::date[]) as w(kind, start)
      on r.period_kind = w.kind and r.period_start = w.start
    where r.scheme_key = any(${q.array([...schemeKeys])}::text[]) ${inScopes(q, scopes)}`;
  return parseRows('storedRanks', storedRankRow, rows);
}

/** One stored board row, as the upsert writes it. */
export interface RankingRowToStore {
  scheme: string;
  schemeId: number;
  scope: number;
  kind: string;
  start: string;
  end: string;
  unit: number;
  rank: number | null;
  prev: number | null;
  total: number | null;
  /** Why the unit has no rank: a NotRanked code (null when ranked) */
  reason: string | null;
  /** rankings.not_ranked_indicators (the keys with no data, for no_data), as JSON text */
  missing: string | null;
  /** rankings.indicators, as JSON text */
  indicators: string;
  asOf: string | null;
  estimated: boolean;
  /** rankings.groups as JSON text (null: a scheme without groups) */
  groups: string | null;
  totalRecomputed: number | null;
  totalPublished: number | null;
}

/** Inserts or replaces these board rows (one statement: unnest of one array per column); computed_at is the statement's time. */
export async function upsertRankingRows(q: Queryable, c: readonly RankingRowToStore[]): Promise<void> {
  await q`
    insert into rankings (scheme_key, scope_unit_id, period_kind, period_start, period_end, unit_id, rank, previous_rank, total,
                          not_ranked_reason, not_ranked_indicators, indicators, scheme_id, computed_at, as_of, estimated,
                          groups, total_recomputed, total_published)
    -- statement_timestamp(), not now(): taken under the recompute lock, so a board committed later always has the later computedAt
    select scheme, scope, kind, start, finish, unit, rank, prev, total, reason, missing, ind, scheme_id, statement_timestamp(), as_of, est,
           grp, total_re, total_pub
    from unnest(${q.array(c.map((r) => r.scheme))}::text[], ${q.array(c.map((r) => r.schemeId))}::int[],
                ${q.array(c.map((r) => r.scope))}::int[], ${q.array(c.map((r) => r.kind))}::text[],
                ${q.array(c.map((r) => r.start))}::date[], ${q.array(c.map((r) => r.end))}::date[],
                ${q.array(c.map((r) => r.unit))}::int[], ${q.array(c.map((r) => r.rank))}::int[],
                ${q.array(c.map((r) => r.prev))}::int[], ${q.array(c.map((r) => r.total))}::float8[],
                ${q.array(c.map((r) => r.reason))}::text[], ${q.array(c.map((r) => r.missing))}::jsonb[],
                ${q.array(c.map((r) => r.indicators))}::jsonb[],
                ${q.array(c.map((r) => r.asOf))}::timestamptz[], ${q.array(c.map((r) => r.estimated))}::bool[],
                ${q.array(c.map((r) => r.groups))}::jsonb[], ${q.array(c.map((r) => r.totalRecomputed))}::float8[],
                ${q.array(c.map((r) => r.totalPublished))}::float8[])
      as t(scheme, scheme_id, scope, kind, start, finish, unit, rank, prev, total, reason, missing, ind, as_of, est, grp, total_re, total_pub)
    on conflict (scope_unit_id, period_kind, period_start, scheme_key, unit_id) do update set
      period_end = excluded.period_end, rank = excluded.rank, previous_rank = excluded.previous_rank,
      total = excluded.total, not_ranked_reason = excluded.not_ranked_reason,
      not_ranked_indicators = excluded.not_ranked_indicators, indicators = excluded.indicators,
      scheme_id = excluded.scheme_id, computed_at = excluded.computed_at, as_of = excluded.as_of, estimated = excluded.estimated,
      groups = excluded.groups, total_recomputed = excluded.total_recomputed, total_published = excluded.total_published`;
}

/**
 * Deletes the stored rows of these periods (under these schemes; of these scopes, when given) whose unit is not a child in force
 * of the row's scope on the period's last day: after a reform or a units import, a board's rows are
 * exactly the children it ranks (the city's 30 districts leave its boards from 07/2025, and a KPI that
 * adds a board's rows never adds them twice).
 */
export async function deleteRowsOutOfForce(
  q: Queryable,
  periods: readonly { kind: string; start: string; end: string }[],
  schemeKeys: readonly string[],
  scopes?: readonly number[]
): Promise<void> {
  await q`
    delete from rankings r
    using unnest(${q.array(periods.map((p) => p.kind))}::text[], ${q.array(periods.map((p) => p.start))}::date[],
                 ${q.array(periods.map((p) => p.end))}::date[]) as w(kind, start, finish), units u
    where r.period_kind = w.kind and r.period_start = w.start and r.scheme_key = any(${q.array([...schemeKeys])}::text[]) ${inScopes(q, scopes)}
      and u.id = r.unit_id
      and (u.parent_id is distinct from r.scope_unit_id or u.valid_from > w.finish or u.valid_to < w.finish)`;
}

/** A board with nothing to rank: its scheme (key and version in force), scope, period, and how many children it ranks. */
export interface BlankBoard {
  scheme: string;
  schemeId: number;
  scope: number;
  kind: string;
  start: string;
  children: number;
}

const blankBoardRow = z.object({ scheme: z.string(), scope: int, kind: z.string(), start: isoDate });

/**
 * Those of these boards stored with exactly their children's rows (deleteRowsOutOfForce has removed
 * any other), every one unranked for want of data, without a value (as_of null: no value was
 * summed), no previous rank, under the scheme version given. One grouped read of the boards' rows.
 */
export async function blankBoards(q: Queryable, boards: readonly BlankBoard[]) {
  const rows = await q`
    select b.scheme, b.scope, b.kind, to_char(b.start, 'YYYY-MM-DD') as start
    from unnest(${q.array(boards.map((b) => b.scheme))}::text[], ${q.array(boards.map((b) => b.schemeId))}::int[],
                ${q.array(boards.map((b) => b.scope))}::int[], ${q.array(boards.map((b) => b.kind))}::text[],
                ${q.array(boards.map((b) => b.start))}::date[], ${q.array(boards.map((b) => b.children))}::int[])
      as b(scheme, scheme_id, scope, kind, start, children)
    join rankings r on r.scope_unit_id = b.scope and r.period_kind = b.kind and r.period_start = b.start and r.scheme_key = b.scheme
    group by b.scheme, b.scheme_id, b.scope, b.kind, b.start, b.children
    having count(*) = b.children
       and bool_and(r.scheme_id = b.scheme_id and r.rank is null and r.previous_rank is null and r.total is null
                    and r.not_ranked_reason = 'no_data' and r.as_of is null)`;
  return parseRows('blankBoards', blankBoardRow, rows);
}

/**
 * Sets the previous rank of each row of the `next` period to its unit's rank in the period `from`
 * (same scheme, scope and kind), where it differs; of these scopes only, when given.
 */
export async function refreshPreviousRanks(
  q: Queryable,
  following: readonly { from: { kind: string; start: string }; next: { start: string } }[],
  schemeKeys: readonly string[],
  scopes?: readonly number[]
): Promise<void> {
  // The next period's row of each row just stored, found by its whole primary key: joined on the
  // unnest directly, the planner left the period out of the key lookup and read every period of
  // the kind per unit (120 ms for a poll's four live boards of one scheme; 8 ms this way).
  await q`
    with p as materialized (
      select p.scope_unit_id, p.period_kind, w.next_start, p.scheme_key, p.unit_id, p.rank
      from unnest(${q.array(following.map((f) => f.from.kind))}::text[], ${q.array(following.map((f) => f.from.start))}::date[],
                  ${q.array(following.map((f) => f.next.start))}::date[]) as w(kind, start, next_start)
      join rankings p on p.period_kind = w.kind and p.period_start = w.start and p.scheme_key = any(${q.array([...schemeKeys])}::text[])
      ${scopes ? q`where p.scope_unit_id = any(${q.array([...scopes])}::int[])` : q``}
    )
    update rankings n set previous_rank = p.rank from p
    where n.scope_unit_id = p.scope_unit_id and n.period_kind = p.period_kind and n.period_start = p.next_start
      and n.scheme_key = p.scheme_key and n.unit_id = p.unit_id and n.previous_rank is distinct from p.rank`;
}
