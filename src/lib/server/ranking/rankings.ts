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
import { VALUE_PERIOD_KINDS, type ValuePeriodKind } from '#db/schema/samples';
import {
  activeSchemeVersions, blankBoards, deleteRowsOutOfForce, periodValues, holdRecomputeLock, indicatorsOfSchemes, metricsByKey, metricSumsPerPeriod, refreshPreviousRanks,
  schemeKeysUsingMetrics, rollupLeaves, scopesReached, storedRanks, unitParents, upsertRankingRows, type BlankBoard, type RankingRowToStore
} from './queries.ts';
import { points, ratioOfSums } from '#domain/ratio';
import { competitionRanks, scaledTotal } from '#domain/ranking';
import { addDays, periodOf, previousPeriod, type Period, type PeriodKind } from '#domain/periods';
import type { NotRanked, ScopeScore } from '#domain/board';
import type { SchemeGroupDef, TotalRule, ZeroDenominatorRule } from '#domain/catalogue';
import type { StoredGroup } from '#db/schema/rankings';
import { round } from '#domain/ratio';

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
  /** The scheme group (null: none). */
  groupKey?: string | null;
  /** What a denominator of 0 earns (absent: none). */
  zeroDenominator?: ZeroDenominatorRule;
  /** Points = Σ the numerator metrics as published (absent: false). */
  published?: boolean;
}

export interface ActiveScheme {
  /** The version in force (indicator_schemes.id), stored with every row it ranks. */
  id: number;
  /** The scheme (operations, national_766, …): part of a board's key. */
  key: string;
  indicators: ActiveIndicator[];
  /** Its groups ([] or absent: none). */
  groups?: SchemeGroupDef[];
  /** How the total is made (absent: scaled). */
  totalRule?: TotalRule;
  /** The period kinds its boards exist for (null / absent: every kind). */
  periodKinds?: string[] | null;
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
    groups: s.groups,
    totalRule: s.totalRule,
    periodKinds: s.periodKinds,
    indicators: rows.filter((r) => r.schemeId === s.id).map(({ schemeId: _s, ...i }) => i)
  }));
}

interface UnitPlace {
  id: number;
  parentId: number;
  level: string;
  validFrom: string | null;
  validTo: string | null;
}

interface Hierarchy {
  /** scope unit id → every child it ever had, with its level and days in force */
  children: Map<number, UnitPlace[]>;
}

async function loadHierarchy(sql: Sql): Promise<Hierarchy> {
  const children = new Map<number, UnitPlace[]>();
  for (const r of await unitParents(sql)) {
    if (r.parentId === null) continue;
    const list = children.get(r.parentId) ?? [];
    list.push({ id: r.id, parentId: r.parentId, level: r.level, validFrom: r.validFrom, validTo: r.validTo });
    children.set(r.parentId, list);
  }
  return { children };
}

/**
 * The children a scope ranks for a period: those in force on its last day, grouped by level (a
 * city's communes and its departments are two groups, each ranked on its own). A period that crosses
 * a reform ranks the new units; their figures reach back through unit_rollup.
 */
export function childGroups(children: readonly UnitPlace[], periodEnd: string): number[][] {
  const groups = new Map<string, number[]>();
  for (const c of children) {
    if (c.validFrom !== null && c.validFrom > periodEnd) continue;
    if (c.validTo !== null && c.validTo < periodEnd) continue;
    const list = groups.get(c.level) ?? [];
    list.push(c.id);
    groups.set(c.level, list);
  }
  return [...groups.values()];
}

type Totals = Map<number, { values: Map<string, number>; asOf: string | null; estimated: boolean }>;

/**
 * Σ of each metric per unit (every level) per period. Flows add up over the days; stocks take each
 * leaf's last value at the end of the period, looking back to the start of the period or to the
 * start of the cadence unit (e.g. month) the period begins in, whichever is earlier: a monthly stock
 * counts for every day of its month, and for a reporting month (15th–14th) that begins in it;
 * both add up over descendants.
 */
async function periodTotals(
  sql: Sql,
  periods: Period[],
  metricKeys: string[],
  unitIds?: number[],
  sumScope?: { units: readonly number[]; leaves?: readonly number[] }
): Promise<Map<string, Totals>> {
  const known = await metricsByKey(sql, metricKeys);
  const daily = known.filter((m) => !m.periodic);
  const periodic = known.filter((m) => m.periodic);
  const rows = daily.length ? await metricSumsPerPeriod(sql, periods, daily, sumScope) : [];
  // A periodic metric counts only on boards of the kinds its values belong to (a month, a quarter, a year).
  const valuePeriods = periods.filter((p): p is Period & { kind: ValuePeriodKind } => (VALUE_PERIOD_KINDS as readonly string[]).includes(p.kind));
  if (periodic.length && valuePeriods.length) rows.push(...(await periodValues(sql, valuePeriods, periodic, unitIds)));
  const byPeriod = new Map<string, Totals>();
  for (const r of rows) {
    let totals = byPeriod.get(r.start);
    if (!totals) byPeriod.set(r.start, (totals = new Map()));
    let unit = totals.get(r.unitId);
    if (!unit) totals.set(r.unitId, (unit = { values: new Map(), asOf: null, estimated: false }));
    unit.values.set(r.metric, r.value);
    if (r.estimated) unit.estimated = true;
    if (r.asOf && (!unit.asOf || r.asOf > unit.asOf)) unit.asOf = r.asOf;
  }
  return byPeriod;
}

export interface BoardRowComputed {
  unitId: number;
  rank: number | null;
  /** What the board ranks on: the published total where the scheme has published scores, else ours. */
  total: number | null;
  /** Ours. */
  totalRecomputed: number | null;
  /** The publisher's (Σ its group scores); null when the scheme publishes nothing or a group is missing. */
  totalPublished: number | null;
  /** Why it has no rank, as a code (no_data with the indicators' keys, or nothing_to_score); null when ranked. */
  notRanked: NotRanked | null;
  indicators: Record<string, StoredIndicator>;
  /** Per scheme group; null for a scheme without groups. */
  groups: Record<string, StoredGroup> | null;
  asOf: string | null;
  /** Part of its figures is an estimate (a predecessor that went only in part into it reported in the period). */
  estimated: boolean;
}

type Scorable = Pick<ActiveScheme, 'indicators' | 'groups' | 'totalRule'>;

/** Whether a scheme ranks on published scores (a group names the metric of its published score). */
export const ranksOnPublished = (scheme: Pick<ActiveScheme, 'groups'>): boolean => (scheme.groups ?? []).some((g) => !!g.publishedMetric);

/**
 * One indicator of one unit: counts, ratio and points by the scheme's rules. A published indicator's
 * points are its numerator metrics as published; a denominator of 0 earns what the indicator's
 * zero-denominator rule says (none → no points, zero, full); nothing reported is no data.
 */
export function scoreIndicator(ind: ActiveIndicator, sum: (keys: string[]) => number | null): { value: StoredIndicator; missing: boolean } {
  if (ind.published) {
    const v = sum(ind.numerator);
    return { value: { numerator: v, denominator: null, ratio: null, points: v === null ? null : round(v, 2), rank: null }, missing: v === null };
  }
  const numerator = sum(ind.numerator);
  const denominator = sum(ind.denominator);
  if (numerator === null || denominator === null) return { value: { numerator, denominator, ratio: null, points: null, rank: null }, missing: true };
  const ratio = ratioOfSums(numerator, denominator);
  let pts = points(ratio, ind.maxPoints, ind.saturation);
  if (ratio === null) {
    const rule = ind.zeroDenominator ?? 'none';
    pts = rule === 'zero' ? 0 : rule === 'full' ? ind.maxPoints : null;
  }
  return { value: { numerator, denominator, ratio, points: pts, rank: null }, missing: false };
}

/** Σ of rounded parts, rounded (binary noise off): how the portal adds sub-indicators into a group and groups into a total. */
const sumRounded = (values: readonly number[]) => round(values.reduce((a, b) => a + b, 0), 2);

/**
 * Scores and ranks one group of a scope's children for one period (pure: the unit tests call it
 * directly). `notApplicable`: the indicators that do not apply to this group (see scoreGroups).
 * Ranks: the total's, each scheme group's and each indicator's on the rounded points as shown (two
 * units both shown 18,13 share a rank, as they do on the total).
 */
export function scoreBoard(childIds: number[], totals: Totals | undefined, scheme: Scorable, notApplicable: ReadonlySet<string> = new Set()): BoardRowComputed[] {
  const published = ranksOnPublished(scheme);
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
      if (notApplicable.has(ind.key)) {
        indicators[ind.key] = { numerator: null, denominator: null, ratio: null, points: null, rank: null };
        continue;
      }
      const scored = scoreIndicator(ind, sum);
      indicators[ind.key] = scored.value;
      if (scored.missing) missing.push(ind.key);
    }
    let totalRecomputed: number | null = null;
    if (!missing.length) {
      totalRecomputed =
        scheme.totalRule === 'sum'
          ? scheme.indicators.every((i) => indicators[i.key]!.points === null) ? null : sumRounded(scheme.indicators.map((i) => indicators[i.key]!.points ?? 0))
          : scaledTotal(scheme.indicators.map((i) => ({ maxPoints: i.maxPoints, points: indicators[i.key]!.points })));
    }
    let groups: Record<string, StoredGroup> | null = null;
    let totalPublished: number | null = null;
    if (scheme.groups?.length) {
      groups = {};
      const publishedScores: number[] = [];
      for (const g of scheme.groups) {
        const own = scheme.indicators.filter((i) => i.groupKey === g.key);
        const pub = g.publishedMetric ? (t?.values.get(g.publishedMetric) ?? null) : null;
        const pts = own.some((i) => missing.includes(i.key)) ? null : sumRounded(own.map((i) => indicators[i.key]!.points ?? 0));
        groups[g.key] = { points: pts, published: pub === null ? null : round(pub, 2), rank: null };
        if (pub !== null) publishedScores.push(pub);
      }
      if (published && publishedScores.length === scheme.groups.filter((g) => g.publishedMetric).length) totalPublished = sumRounded(publishedScores);
    }
    const total = published ? totalPublished : totalRecomputed;
    let notRanked: NotRanked | null = null;
    if (total === null) {
      if (published) {
        const unpublished = scheme.groups!.filter((g) => g.publishedMetric && groups![g.key]!.published === null).map((g) => g.key);
        const keys = scheme.indicators.filter((i) => unpublished.includes(i.groupKey ?? '')).map((i) => i.key);
        notRanked = { code: 'no_data', indicators: keys };
      } else notRanked = missing.length ? { code: 'no_data', indicators: missing } : { code: 'nothing_to_score', indicators: [] };
    }
    return { unitId, rank: null, total, totalRecomputed, totalPublished, notRanked, indicators, groups, asOf: t?.asOf ?? null, estimated: t?.estimated ?? false };
  });
  const totalRanks = competitionRanks(rows, (r) => r.total);
  for (const r of rows) r.rank = totalRanks.get(r) ?? null;
  for (const g of scheme.groups ?? []) {
    const ranks = competitionRanks(rows, (r) => (published ? r.groups![g.key]!.published : r.groups![g.key]!.points));
    for (const r of rows) r.groups![g.key]!.rank = ranks.get(r) ?? null;
  }
  for (const ind of scheme.indicators) {
    const ranks = competitionRanks(rows, (r) => r.indicators[ind.key]!.points, ind.direction);
    for (const r of rows) r.indicators[ind.key]!.rank = ranks.get(r) ?? null;
  }
  return rows;
}

/**
 * Scores each group of a scope's children on its own (ranks 1…n within the group). An indicator that
 * another group of the board reports but no unit of this group does, does not apply to this group (a
 * city's departments issue no e-ID and pay no welfare: they are ranked on dossiers and tasks), rather
 * than leaving the whole group unranked for want of data. An indicator no group reports stays "no data"
 * for everyone (a system down for the period is not a reason to rank without it). A board of one group
 * (a district's communes, the 2024 city's districts) is scored exactly as before.
 */
export function scoreGroups(groups: number[][], totals: Totals | undefined, scheme: Scorable): BoardRowComputed[] {
  const reports = (ids: number[], ind: ActiveIndicator) =>
    ids.some((id) => {
      const v = totals?.get(id)?.values;
      return !!v && ind.numerator.some((k) => v.has(k)) && (ind.published || ind.denominator.some((k) => v.has(k)));
    });
  return groups.flatMap((ids, g) => {
    const notApplicable = new Set(
      groups.length < 2
        ? []
        : scheme.indicators.filter((ind) => !reports(ids, ind) && groups.some((other, o) => o !== g && reports(other, ind))).map((i) => i.key)
    );
    return scoreBoard(ids, totals, scheme, notApplicable);
  });
}

/**
 * A scope's board scored over some days and not stored: the same elapsed part of the previous period
 * ("cùng kỳ"), which a board of a period in progress compares its ranks and points with (readBoard).
 * Scored exactly as the workers score a stored board (scoreGroups), over the children in force on the
 * last of those days, from the sums of the scope's own units and leaves. [] for a scheme with groups
 * (the 766 index publishes whole months only) or a scope without children.
 */
export async function scoreScopeOver(sql: Sql, schemeKey: string, scopeId: number, period: Period): Promise<BoardRowComputed[]> {
  const [scheme] = await loadActiveSchemes(sql, [schemeKey]);
  if (!scheme || scheme.groups?.length) return [];
  const children = (await unitParents(sql)).filter((r) => r.parentId === scopeId).map((r) => ({ id: r.id, parentId: scopeId, level: r.level, validFrom: r.validFrom, validTo: r.validTo }));
  const groups = childGroups(children, period.end);
  if (!groups.length) return [];
  const metricKeys = [...new Set(scheme.indicators.flatMap((i) => [...i.numerator, ...i.denominator]))];
  const units = [scopeId, ...groups.flat()];
  const leaves = await rollupLeaves(sql, units);
  const totals = await periodTotals(sql, [period], metricKeys, undefined, { units, leaves: leaves.length <= LEAF_FILTER_MAX ? leaves : undefined });
  return scoreGroups(groups, totals.get(period.start), scheme);
}

/** The active schemes with an indicator over any of these metrics (ids): the boards a change to them can move. */
export async function schemesUsing(sql: Sql, metricIds: Iterable<number>): Promise<string[]> {
  const ids = [...metricIds];
  if (ids.length === 0) return [];
  return (await schemeKeysUsingMetrics(sql, ids)).map((r) => r.key);
}

/** A scoped recompute reads only its boards' leaves up to this many (a province's: ~100–600 with lineage). */
const LEAF_FILTER_MAX = 1_000;

export interface RecomputeOptions {
  /** Only these schemes' boards (an admin's edit of one scheme); default: every active scheme. */
  schemes?: readonly string[];
  /**
   * Only the boards these units' values reach (a poll's changed units): those on which the units, or
   * any unit they roll up into, are ranked. Default: every scope's. A national poll of one province
   * then recomputes its boards and the country's, not the 33 other provinces'.
   */
  units?: Iterable<number>;
  /** Only these scopes' boards (a job recomputing the boards a poll left to it). */
  scopes?: readonly number[];
  /** Never these scopes' boards (a poll leaves the country's to a job: see BIG_BOARD_UNITS). */
  except?: ReadonlySet<number>;
}

/**
 * Recomputes and stores the boards of every active scheme and every scope for the given periods
 * (one kind or several), oldest first, so that each period's previous rank is the one just stored.
 * The metric sums are read once and scored by each scheme. A board with nothing to rank that is
 * already stored as such is left as it is (blankBoardsStored). Returns the ids of the scopes written.
 */
export async function recomputeRankings(sql: Sql, periods: Period[], options: RecomputeOptions = {}): Promise<number[]> {
  if (periods.length === 0) return [];
  if (!('savepoint' in sql)) return sql.begin((tx) => recomputeRankings(tx, periods, options)) as Promise<number[]>;
  // Inside the caller's transaction: held until it commits, so the next recompute sees its samples.
  await holdRecomputeLock(sql);
  const schemes = await loadActiveSchemes(sql, options.schemes);
  const schemeKeys = schemes.map((s) => s.key);
  const { children } = await loadHierarchy(sql);
  const metricKeys = [
    ...new Set(schemes.flatMap((s) => [...s.indicators.flatMap((i) => [...i.numerator, ...i.denominator]), ...(s.groups ?? []).flatMap((g) => (g.publishedMetric ? [g.publishedMetric] : []))]))
  ];
  const reached = options.units ? new Set(await scopesReached(sql, [...options.units])) : null;
  const named = options.scopes ? new Set(options.scopes) : null;
  const scopeIds = [...children.keys()].filter((id) => (!reached || reached.has(id)) && (!named || named.has(id)) && !options.except?.has(id));
  if (!scopeIds.length) return [];
  // Every scope's boards: the statements below need not name them.
  const restricted = Boolean(reached || named || options.except?.size);
  const only = restricted ? scopeIds : undefined;
  // Some boards only: the sums of their units alone, from their own leaves (a province's poll reads
  // the province's samples, not the country's). Not from a long list of leaves, though: the planner
  // then walks each leaf's whole history by the primary key (the country's live boards took 14.3 s
  // at 400 days instead of 4) — the (metric_id, day) index over every leaf is the faster read.
  let sumScope: { units: number[]; leaves?: number[] } | undefined;
  if (restricted) {
    const units = [...new Set([...scopeIds, ...scopeIds.flatMap((id) => children.get(id)!.map((c) => c.id))])];
    const leaves = await rollupLeaves(sql, units);
    sumScope = { units, leaves: leaves.length <= LEAF_FILTER_MAX ? leaves : undefined };
  }
  const sorted = [...periods].sort((a, b) => a.kind.localeCompare(b.kind) || a.start.localeCompare(b.start));

  // Previous ranks: from the batch itself where it holds the previous period, else from the table.
  const prevRank = new Map<string, number | null>(); // `${scheme}|${kind}|${start}|${scope}|${unit}`
  const wanted = sorted.map(previousPeriod).filter((p) => !sorted.some((q) => q.kind === p.kind && q.start === p.start));
  if (wanted.length) {
    for (const s of await storedRanks(sql, wanted, schemeKeys, only)) prevRank.set(`${s.scheme}|${s.kind}|${s.start}|${s.scope}|${s.unit}`, s.rank);
  }

  /** The scopes whose boards were written. */
  const written = new Set<number>();
  const BATCH = 62;
  for (let i = 0; i < sorted.length; i += BATCH) {
    const batch = sorted.slice(i, i + BATCH);
    const totalsByKind = new Map<string, Map<string, Totals>>();
    for (const kind of new Set(batch.map((p) => p.kind))) {
      const ofKind = batch.filter((p) => p.kind === kind);
      totalsByKind.set(kind, await periodTotals(sql, ofKind, metricKeys, undefined, sumScope));
    }
    // Rows of units no longer in force first: a board's stored rows are then exactly its children's.
    await deleteRowsOutOfForce(sql, batch, schemeKeys, only);
    const blank = await blankBoardsStored(sql, batch, schemes, scopeIds, children, totalsByKind, prevRank);
    const out: RankingRowToStore[] = [];
    for (const period of batch) {
      const totals = totalsByKind.get(period.kind)!.get(period.start);
      const prev = previousPeriod(period);
      for (const scheme of schemes) {
        if (scheme.periodKinds && !scheme.periodKinds.includes(period.kind)) continue;
        for (const scope of scopeIds) {
          const groups = childGroups(children.get(scope)!, period.end);
          if (groups.length === 0) continue; // no child in force in this period (an ended district after the reform)
          // Nothing to rank and already stored as such: not written again (ranks stay null, nothing to announce).
          if (blank.has(`${scheme.key}|${period.kind}|${period.start}|${scope}`)) continue;
          written.add(scope);
          for (const row of scoreGroups(groups, totals, scheme)) {
            const previous = prevRank.get(`${scheme.key}|${prev.kind}|${prev.start}|${scope}|${row.unitId}`) ?? null;
            prevRank.set(`${scheme.key}|${period.kind}|${period.start}|${scope}|${row.unitId}`, row.rank);
            out.push({
              scheme: scheme.key, schemeId: scheme.id, scope, kind: period.kind, start: period.start, end: period.end, unit: row.unitId,
              rank: row.rank, prev: previous, total: row.total, reason: row.notRanked?.code ?? null,
              missing: row.notRanked?.code === 'no_data' ? JSON.stringify(row.notRanked.indicators) : null, indicators: JSON.stringify(row.indicators), asOf: row.asOf,
              estimated: row.estimated, groups: row.groups ? JSON.stringify(row.groups) : null, totalRecomputed: row.totalRecomputed,
              totalPublished: row.totalPublished
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
  if (following.length) await refreshPreviousRanks(sql, following, schemeKeys, only);
  return scopeIds.filter((id) => written.has(id));
}

/**
 * The boards of this batch (`scheme|kind|start|scope`) that have nothing to rank and are stored as
 * such already, so need not be written again: no child of the scope has a value in the period, every
 * previous rank is null (the previous period had nothing to rank either), and the stored board holds
 * a row for each child, all unranked for want of data, with no value, under the scheme version in
 * force (the rows of such a board follow from that version alone). After the national register's
 * import, the provinces without a source (and their communes) are such boards: written once, then
 * skipped by every poll's recompute instead of rewriting some 3,300 rows per period and scheme.
 */
async function blankBoardsStored(
  sql: Sql,
  batch: readonly Period[],
  schemes: readonly ActiveScheme[],
  scopeIds: readonly number[],
  children: Map<number, UnitPlace[]>,
  totalsByKind: Map<string, Map<string, Totals>>,
  prevRank: Map<string, number | null>
): Promise<Set<string>> {
  const inBatch = new Set(batch.map((p) => `${p.kind}|${p.start}`));
  const hasValues = (period: Period, scope: number) => {
    const totals = totalsByKind.get(period.kind)?.get(period.start);
    return !!totals && childGroups(children.get(scope)!, period.end).some((ids) => ids.some((id) => totals.has(id)));
  };
  const candidates: BlankBoard[] = [];
  for (const period of batch) {
    const prev = previousPeriod(period);
    for (const scheme of schemes) {
      if (scheme.periodKinds && !scheme.periodKinds.includes(period.kind)) continue;
      for (const scope of scopeIds) {
        const groups = childGroups(children.get(scope)!, period.end);
        if (groups.length === 0 || hasValues(period, scope)) continue;
        // The previous ranks these rows would carry: all null (a previous period in the batch with nothing to rank, or stored ranks all null).
        const prevNull = inBatch.has(`${prev.kind}|${prev.start}`)
          ? !hasValues(prev, scope)
          : groups.every((ids) => ids.every((id) => (prevRank.get(`${scheme.key}|${prev.kind}|${prev.start}|${scope}|${id}`) ?? null) === null));
        if (prevNull) candidates.push({ scheme: scheme.key, schemeId: scheme.id, scope, kind: period.kind, start: period.start, children: groups.flat().length });
      }
    }
  }
  if (!candidates.length) return new Set();
  return new Set((await blankBoards(sql, candidates)).map((b) => `${b.scheme}|${b.kind}|${b.start}|${b.scope}`));
}

/**
 * A unit's own score on a scheme with groups for one period (the province's 766 headline: its own
 * row on the portal, not a sum of its children's scores), scored by the same rules as its children.
 * null when nothing of it is stored for the period, or the period is not one of the scheme's kinds.
 */
export async function readScopeScore(
  sql: Sql,
  scheme: Scorable & Pick<ActiveScheme, 'periodKinds'>,
  unitId: number,
  period: Period,
  basis: 'published' | 'recomputed' | null
): Promise<ScopeScore | null> {
  if (scheme.periodKinds && !scheme.periodKinds.includes(period.kind)) return null;
  const metricKeys = [
    ...new Set([...scheme.indicators.flatMap((i) => [...i.numerator, ...i.denominator]), ...(scheme.groups ?? []).flatMap((g) => (g.publishedMetric ? [g.publishedMetric] : []))])
  ];
  const totals = (await periodTotals(sql, [period], metricKeys, [unitId])).get(period.start);
  if (!totals?.get(unitId)) return null;
  const [row] = scoreBoard([unitId], totals, scheme);
  return {
    total: basis === 'recomputed' ? row!.totalRecomputed : row!.total,
    totalRecomputed: row!.totalRecomputed,
    totalPublished: row!.totalPublished,
    groups: Object.fromEntries(Object.entries(row!.groups ?? {}).map(([k, g]) => [k, { ...g, rank: null }])),
    indicators: row!.indicators
  };
}
