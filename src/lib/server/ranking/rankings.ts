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
import {
  activeSchemeVersions, holdRecomputeLock, indicatorsOfSchemes, metricsByKey, metricSumsPerPeriod, refreshPreviousRanks,
  schemeKeysUsingMetrics, storedRanks, unitParents, upsertRankingRows, type RankingRowToStore
} from './queries.ts';
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
  const schemes = await activeSchemeVersions(sql, keys);
  if (!schemes.length) throw new Error(keys ? `no active indicator scheme ${keys.join(', ')}` : 'no active indicator scheme: run the seed');
  const rows = await indicatorsOfSchemes(sql, schemes.map((s) => s.id));
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
  const children = new Map<number, number[]>();
  for (const r of await unitParents(sql)) {
    if (r.parentId === null) continue;
    const list = children.get(r.parentId) ?? [];
    list.push(r.id);
    children.set(r.parentId, list);
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
  const rows = await metricSumsPerPeriod(sql, periods, await metricsByKey(sql, metricKeys));
  const byPeriod = new Map<string, Totals>();
  for (const r of rows) {
    let totals = byPeriod.get(r.start);
    if (!totals) byPeriod.set(r.start, (totals = new Map()));
    let unit = totals.get(r.unitId);
    if (!unit) totals.set(r.unitId, (unit = { values: new Map(), asOf: null }));
    unit.values.set(r.metric, r.value);
    if (r.asOf && (!unit.asOf || r.asOf > unit.asOf)) unit.asOf = r.asOf;
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

/** The active schemes with an indicator over any of these metrics (ids): the boards a change to them can move. */
export async function schemesUsing(sql: Sql, metricIds: Iterable<number>): Promise<string[]> {
  const ids = [...metricIds];
  if (ids.length === 0) return [];
  return (await schemeKeysUsingMetrics(sql, ids)).map((r) => r.key);
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
  await holdRecomputeLock(sql);
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
    for (const s of await storedRanks(sql, wanted, schemeKeys)) prevRank.set(`${s.scheme}|${s.kind}|${s.start}|${s.scope}|${s.unit}`, s.rank);
  }

  const BATCH = 62;
  for (let i = 0; i < sorted.length; i += BATCH) {
    const batch = sorted.slice(i, i + BATCH);
    const totalsByKind = new Map<string, Map<string, Totals>>();
    for (const kind of new Set(batch.map((p) => p.kind))) {
      const ofKind = batch.filter((p) => p.kind === kind);
      totalsByKind.set(kind, await periodTotals(sql, ofKind, metricKeys));
    }
    const out: RankingRowToStore[] = [];
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
    for (let j = 0; j < out.length; j += 10_000) await upsertRankingRows(sql, out.slice(j, j + 10_000));
  }
  // The period after each recomputed one compares with it: refresh its previous rank (same scheme).
  const following = sorted
    .map((p) => ({ from: p, next: periodOf(p.kind, addDays(p.end, 1)) }))
    .filter(({ next }) => !sorted.some((q) => q.kind === next.kind && q.start === next.start));
  if (following.length) await refreshPreviousRanks(sql, following, schemeKeys);
  return scopeIds;
}
