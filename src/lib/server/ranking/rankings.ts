/**
 * Recomputes the stored boards (table `rankings`): for every active scheme (the operations scheme,
 * the national 766 progress group), every unit that has children (the city, each district, …) and
 * every period given, its children ranked on the scheme's total and on each indicator. A board is
 * keyed by (scheme, scope, period kind, period start). Sums come from PostgreSQL over the unit
 * closure (any depth), once for every scheme (the 766 group's three metrics are among the operations
 * scheme's); ratios, points and ranks from the pure rules in src/lib/domain, so what is stored is
 * what the unit tests check.
 */
import type { Queryable as Sql } from '#db/client';
import type { StoredIndicator } from '#db/schema/rankings';
import { points, ratioOfSums } from '#domain/ratio';
import { competitionRanks, scaledTotal } from '#domain/ranking';
import { addDays, periodOf, previousPeriod, type Period, type PeriodKind } from '#domain/periods';
import type { NotRanked } from '#domain/board';

/**
 * The boards a poll recomputes at once; the long ones (a quarter, a year: hundreds of days of
 * samples each) are left to the slow-boards job (slow-boards.ts).
 */
export const LIVE_PERIOD_KINDS = ['day', 'week', 'month', 'report_month'] as const satisfies readonly PeriodKind[];

export interface ActiveIndicator {
  key: string;
  numerator: string[];
  denominator: string[];
  direction: 'higher_is_better' | 'lower_is_better';
  maxPoints: number;
  saturation: number;
}

export interface ActiveScheme {
  /** The version in force (indicator_schemes.id), stored with every row it ranks. */
  id: number;
  /** The scheme (operations, national_766, …): part of a board's key. */
  key: string;
  indicators: ActiveIndicator[];
}

/**
 * The version in force of every scheme (or of the keys given), in key order. One active version per
 * key: an admin's edit deactivates the previous one in the same transaction; should two ever be
 * active, the newest wins.
 */
export async function loadActiveSchemes(sql: Sql, keys?: readonly string[]): Promise<ActiveScheme[]> {
  const schemes = await sql<{ id: number; key: string }[]>`
    select distinct on (key) id, key from indicator_schemes
    where active ${keys ? sql`and key = any(${sql.array([...keys])}::text[])` : sql``}
    order by key, id desc`;
  if (!schemes.length) throw new Error(keys ? `no active indicator scheme ${keys.join(', ')}` : 'no active indicator scheme: run the seed');
  const rows = await sql<(ActiveIndicator & { schemeId: number })[]>`
    select scheme_id as "schemeId", key, numerator, denominator, direction, max_points as "maxPoints", saturation
    from indicators where scheme_id = any(${sql.array(schemes.map((s) => s.id))}::int[]) order by sort_order, id`;
  return schemes.map((s) => ({
    id: s.id,
    key: s.key,
    indicators: rows.filter((r) => r.schemeId === s.id).map(({ schemeId: _s, ...i }) => i)
  }));
}

interface Hierarchy {
  /** scope unit id → its children's ids */
  children: Map<number, number[]>;
}

async function loadHierarchy(sql: Sql): Promise<Hierarchy> {
  const rows = await sql<{ id: number; parent_id: number | null }[]>`select id, parent_id from units where valid_to is null`;
  const children = new Map<number, number[]>();
  for (const r of rows) {
    if (r.parent_id === null) continue;
    const list = children.get(r.parent_id) ?? [];
    list.push(r.id);
    children.set(r.parent_id, list);
  }
  return { children };
}

type Totals = Map<number, { values: Map<string, number>; asOf: string | null }>;

/**
 * Σ of each metric per unit (every level) per period. Flows add up over the days; stocks take each
 * leaf's last value at the end of the period, looking back to the start of the period or to the
 * start of the cadence unit (e.g. month) the period begins in, whichever is earlier: a monthly stock
 * counts for every day of its month, and for a reporting month (15th–14th) that begins in it;
 * both add up over descendants.
 */
async function periodTotals(sql: Sql, periods: Period[], metricKeys: string[]): Promise<Map<string, Totals>> {
  const metrics = await sql<{ id: number; key: string; aggregation: string; cadence: string }[]>`
    select id, key, aggregation, cadence from metrics where key = any(${sql.array(metricKeys)}::text[])`;
  const flowIds = metrics.filter((m) => m.aggregation === 'flow').map((m) => m.id);
  const stockIds = metrics.filter((m) => m.aggregation === 'stock').map((m) => m.id);
  // Literal bounds and ids (not subqueries), so the planner walks the (metric_id, day) index.
  const minDay = periods.reduce((min, p) => (p.start < min ? p.start : min), periods[0]!.start);
  const maxDay = periods.reduce((max, p) => (p.end > max ? p.end : max), periods[0]!.end);
  const rows = await sql<{ start: string; unit_id: number; metric: string; value: number; as_of: string | null }[]>`
    with p as (
      select * from unnest(${sql.array(periods.map((p) => p.start))}::date[], ${sql.array(periods.map((p) => p.end))}::date[]) as p(start, finish)
    ), dp as (
      -- day → period: an equality join the planner can hash
      select d::date as day, p.start from p, generate_series(p.start, p.finish, interval '1 day') as d
    ), m as (
      select id, key, cadence from metrics where id = any(${sql.array(metrics.map((m) => m.id))}::int[])
    ), leaf as (
      (select dp.start, s.unit_id, s.metric_id, sum(s.value) as value, max(s.observed_at) as as_of
       from samples s join dp on dp.day = s.day
       where s.metric_id = any(${sql.array(flowIds)}::int[]) and s.day between ${minDay}::date and ${maxDay}::date
       group by dp.start, s.unit_id, s.metric_id)
      union all
      (select distinct on (p.start, s.unit_id, s.metric_id) p.start, s.unit_id, s.metric_id, s.value, s.observed_at
       from p join m on m.id = any(${sql.array(stockIds)}::int[])
       -- lateral: one index range scan per period and metric (a plain join here scanned every sample)
       cross join lateral (
         select unit_id, metric_id, day, value, observed_at from samples
         where metric_id = m.id and day between least(p.start, date_trunc(m.cadence, p.start)::date) and p.finish
         offset 0 -- keeps the planner from flattening this into a hash join over the whole table
       ) s
       order by p.start, s.unit_id, s.metric_id, s.day desc)
    )
    select to_char(leaf.start, 'YYYY-MM-DD') as start, c.ancestor_id as unit_id, m.key as metric,
           sum(leaf.value)::float8 as value,
           to_char(max(leaf.as_of) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as as_of
    from leaf join unit_closure c on c.descendant_id = leaf.unit_id join m on m.id = leaf.metric_id
    group by leaf.start, c.ancestor_id, m.key`;
  const byPeriod = new Map<string, Totals>();
  for (const r of rows) {
    let totals = byPeriod.get(r.start);
    if (!totals) byPeriod.set(r.start, (totals = new Map()));
    let unit = totals.get(r.unit_id);
    if (!unit) totals.set(r.unit_id, (unit = { values: new Map(), asOf: null }));
    unit.values.set(r.metric, r.value);
    if (r.as_of && (!unit.asOf || r.as_of > unit.asOf)) unit.asOf = r.as_of;
  }
  return byPeriod;
}

export interface BoardRowComputed {
  unitId: number;
  rank: number | null;
  total: number | null;
  /** Why it has no rank, as a code (no_data with the indicators' keys, or nothing_to_score); null when ranked. */
  notRanked: NotRanked | null;
  indicators: Record<string, StoredIndicator>;
  asOf: string | null;
}

/** Scores and ranks one scope's children for one period (pure: the unit tests call it directly). */
export function scoreBoard(
  childIds: number[],
  totals: Totals | undefined,
  scheme: Pick<ActiveScheme, 'indicators'>
): BoardRowComputed[] {
  const rows: BoardRowComputed[] = childIds.map((unitId) => {
    const t = totals?.get(unitId);
    const sum = (keys: string[]) => {
      if (!t) return null;
      let total = 0;
      let seen = false;
      for (const k of keys) {
        const v = t.values.get(k);
        if (v !== undefined) {
          total += v;
          seen = true;
        }
      }
      return seen ? total : null;
    };
    const indicators: Record<string, StoredIndicator> = {};
    const missing: string[] = [];
    for (const ind of scheme.indicators) {
      const numerator = sum(ind.numerator);
      const denominator = sum(ind.denominator);
      // Nothing reported → no data (the unit is not ranked). Reported, but a denominator of 0 (no task
      // due, no dossier received) → the indicator does not apply and the total is scaled to the others.
      const ratio = numerator === null || denominator === null ? null : ratioOfSums(numerator, denominator);
      const pts = points(ratio, ind.maxPoints, ind.saturation);
      if (numerator === null || denominator === null) missing.push(ind.key);
      indicators[ind.key] = { numerator, denominator, ratio, points: pts, rank: null };
    }
    // Out of the scheme's own full total (Σ max points: 100, or 20 for the 766 group), over what applies.
    const total = missing.length ? null : scaledTotal(scheme.indicators.map((i) => ({ maxPoints: i.maxPoints, points: indicators[i.key]!.points })));
    const notRanked: NotRanked | null = missing.length
      ? { code: 'no_data', indicators: missing }
      : total === null ? { code: 'nothing_to_score', indicators: [] } : null;
    return {
      unitId,
      rank: null,
      total,
      notRanked,
      indicators,
      asOf: t?.asOf ?? null
    };
  });
  const totalRanks = competitionRanks(rows, (r) => r.total);
  for (const r of rows) r.rank = totalRanks.get(r) ?? null;
  for (const ind of scheme.indicators) {
    const ranks = competitionRanks(rows, (r) => r.indicators[ind.key]!.ratio, ind.direction);
    for (const r of rows) r.indicators[ind.key]!.rank = ranks.get(r) ?? null;
  }
  return rows;
}

/** One recompute at a time across every worker process: two concurrent ones could each write totals without the other's samples. */
const RECOMPUTE_LOCK = 0x6369_7479; // "city"

/** The active schemes with an indicator over any of these metrics (ids): the boards a change to them can move. */
export async function schemesUsing(sql: Sql, metricIds: Iterable<number>): Promise<string[]> {
  const ids = [...metricIds];
  if (ids.length === 0) return [];
  const rows = await sql<{ key: string }[]>`
    select distinct s.key from indicator_schemes s join indicators i on i.scheme_id = s.id
    join metrics m on m.key = any(i.numerator || i.denominator)
    where s.active and m.id = any(${sql.array(ids)}::int[]) order by s.key`;
  return rows.map((r) => r.key);
}

export interface RecomputeOptions {
  /** Only these schemes' boards (an admin's edit of one scheme); default: every active scheme. */
  schemes?: readonly string[];
}

/**
 * Recomputes and stores the boards of every active scheme and every scope for the given periods
 * (one kind or several), oldest first, so that each period's previous rank is the one just stored.
 * The metric sums are read once and scored by each scheme. Returns the ids of the scopes written.
 */
export async function recomputeRankings(sql: Sql, periods: Period[], options: RecomputeOptions = {}): Promise<number[]> {
  if (periods.length === 0) return [];
  if (!('savepoint' in sql)) return sql.begin((tx) => recomputeRankings(tx, periods, options)) as Promise<number[]>;
  // Inside the caller's transaction: held until it commits, so the next recompute sees its samples.
  await sql`select pg_advisory_xact_lock(${RECOMPUTE_LOCK})`;
  const schemes = await loadActiveSchemes(sql, options.schemes);
  const schemeKeys = schemes.map((s) => s.key);
  const { children } = await loadHierarchy(sql);
  const metricKeys = [...new Set(schemes.flatMap((s) => s.indicators.flatMap((i) => [...i.numerator, ...i.denominator])))];
  const scopeIds = [...children.keys()];
  const sorted = [...periods].sort((a, b) => a.kind.localeCompare(b.kind) || a.start.localeCompare(b.start));

  // Previous ranks: from the batch itself where it holds the previous period, else from the table.
  const prevRank = new Map<string, number | null>(); // `${scheme}|${kind}|${start}|${scope}|${unit}`
  const wanted = sorted.map(previousPeriod).filter((p) => !sorted.some((q) => q.kind === p.kind && q.start === p.start));
  if (wanted.length) {
    const stored = await sql<{ scheme: string; kind: string; start: string; scope: number; unit: number; rank: number | null }[]>`
      select scheme_key as scheme, period_kind as kind, to_char(period_start, 'YYYY-MM-DD') as start, scope_unit_id as scope, unit_id as unit, rank
      from rankings r
      join unnest(${sql.array(wanted.map((p) => p.kind))}::text[], ${sql.array(wanted.map((p) => p.start))}::date[]) as w(kind, start)
        on r.period_kind = w.kind and r.period_start = w.start
      where r.scheme_key = any(${sql.array(schemeKeys)}::text[])`;
    for (const s of stored) prevRank.set(`${s.scheme}|${s.kind}|${s.start}|${s.scope}|${s.unit}`, s.rank);
  }

  const BATCH = 62;
  for (let i = 0; i < sorted.length; i += BATCH) {
    const batch = sorted.slice(i, i + BATCH);
    const totalsByKind = new Map<string, Map<string, Totals>>();
    for (const kind of new Set(batch.map((p) => p.kind))) {
      const ofKind = batch.filter((p) => p.kind === kind);
      totalsByKind.set(kind, await periodTotals(sql, ofKind, metricKeys));
    }
    const out: {
      scheme: string; schemeId: number; scope: number; kind: string; start: string; end: string; unit: number; rank: number | null;
      prev: number | null; total: number | null; reason: string | null; missing: string | null; indicators: string; asOf: string | null;
    }[] = [];
    for (const period of batch) {
      const totals = totalsByKind.get(period.kind)!.get(period.start);
      const prev = previousPeriod(period);
      for (const scheme of schemes) {
        for (const scope of scopeIds) {
          for (const row of scoreBoard(children.get(scope)!, totals, scheme)) {
            const previous = prevRank.get(`${scheme.key}|${prev.kind}|${prev.start}|${scope}|${row.unitId}`) ?? null;
            prevRank.set(`${scheme.key}|${period.kind}|${period.start}|${scope}|${row.unitId}`, row.rank);
            out.push({
              scheme: scheme.key, schemeId: scheme.id, scope, kind: period.kind, start: period.start, end: period.end, unit: row.unitId,
              rank: row.rank, prev: previous, total: row.total, reason: row.notRanked?.code ?? null,
              missing: row.notRanked?.code === 'no_data' ? JSON.stringify(row.notRanked.indicators) : null, indicators: JSON.stringify(row.indicators), asOf: row.asOf
            });
          }
        }
      }
    }
    for (let j = 0; j < out.length; j += 10_000) {
      const c = out.slice(j, j + 10_000);
      await sql`
        insert into rankings (scheme_key, scope_unit_id, period_kind, period_start, period_end, unit_id, rank, previous_rank, total,
                              not_ranked_reason, not_ranked_indicators, indicators, scheme_id, computed_at, as_of)
        -- statement_timestamp(), not now(): taken under the recompute lock, so a board committed later always has the later computedAt
        select scheme, scope, kind, start, finish, unit, rank, prev, total, reason, missing, ind, scheme_id, statement_timestamp(), as_of
        from unnest(${sql.array(c.map((r) => r.scheme))}::text[], ${sql.array(c.map((r) => r.schemeId))}::int[],
                    ${sql.array(c.map((r) => r.scope))}::int[], ${sql.array(c.map((r) => r.kind))}::text[],
                    ${sql.array(c.map((r) => r.start))}::date[], ${sql.array(c.map((r) => r.end))}::date[],
                    ${sql.array(c.map((r) => r.unit))}::int[], ${sql.array(c.map((r) => r.rank))}::int[],
                    ${sql.array(c.map((r) => r.prev))}::int[], ${sql.array(c.map((r) => r.total))}::float8[],
                    ${sql.array(c.map((r) => r.reason))}::text[], ${sql.array(c.map((r) => r.missing))}::jsonb[],
                    ${sql.array(c.map((r) => r.indicators))}::jsonb[],
                    ${sql.array(c.map((r) => r.asOf))}::timestamptz[])
          as t(scheme, scheme_id, scope, kind, start, finish, unit, rank, prev, total, reason, missing, ind, as_of)
        on conflict (scope_unit_id, period_kind, period_start, scheme_key, unit_id) do update set
          period_end = excluded.period_end, rank = excluded.rank, previous_rank = excluded.previous_rank,
          total = excluded.total, not_ranked_reason = excluded.not_ranked_reason,
          not_ranked_indicators = excluded.not_ranked_indicators, indicators = excluded.indicators,
          scheme_id = excluded.scheme_id, computed_at = excluded.computed_at, as_of = excluded.as_of`;
    }
  }
  // The period after each recomputed one compares with it: refresh its previous rank (same scheme).
  const following = sorted
    .map((p) => ({ from: p, next: periodOf(p.kind, addDays(p.end, 1)) }))
    .filter(({ next }) => !sorted.some((q) => q.kind === next.kind && q.start === next.start));
  if (following.length) {
    // The next period's row of each row just stored, found by its whole primary key: joined on the
    // unnest directly, the planner left the period out of the key lookup and read every period of
    // the kind per unit (120 ms for a poll's four live boards of one scheme; 8 ms this way).
    await sql`
      with p as materialized (
        select p.scope_unit_id, p.period_kind, w.next_start, p.scheme_key, p.unit_id, p.rank
        from unnest(${sql.array(following.map((f) => f.from.kind))}::text[], ${sql.array(following.map((f) => f.from.start))}::date[],
                    ${sql.array(following.map((f) => f.next.start))}::date[]) as w(kind, start, next_start)
        join rankings p on p.period_kind = w.kind and p.period_start = w.start and p.scheme_key = any(${sql.array(schemeKeys)}::text[])
      )
      update rankings n set previous_rank = p.rank from p
      where n.scope_unit_id = p.scope_unit_id and n.period_kind = p.period_kind and n.period_start = p.next_start
        and n.scheme_key = p.scheme_key and n.unit_id = p.unit_id and n.previous_rank is distinct from p.rank`;
  }
  return scopeIds;
}
