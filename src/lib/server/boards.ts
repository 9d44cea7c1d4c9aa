/** Read models: stored rankings → the wire DTOs the pages, the API and the socket events share. */
import { and, desc, eq, exists, isNull, sql as fragment } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { orm, prepared, type Queryable, type Sql } from '#db/client';
import { readSourceHealth } from './sources.ts';
import { isoTimestamp } from '#db/client';
import { appMeta, indicators as indicatorsTable, indicatorSchemes, units } from '#db/schema/index';
import { boardUnitRows, storedBoardRows } from './read/rankings-queries.ts';
import { dailySums } from './read/samples-queries.ts';
import { workerLiveness } from './read/heartbeats-queries.ts';
import { DEFAULT_SCHEME_KEY, type Board, type BoardQuery, type BoardRow, type IndicatorMeta, type Series, type SeriesPoint } from '#contract/dto';
import { addDays, isProvisional, periodOf, previousPeriod, sameDaysLastYear, sameElapsedPart, today, type Period } from '#domain/periods';
import { crossings, explainChange } from '#domain/explain';
import type { BoardGroup, BoardTargets, NotRanked } from '#domain/board';
import { readTargets, targetsOf, withTarget } from './targets.ts';
import { changeSentence } from '../i18n/explain.ts';
import { notRankedReason } from '../i18n/reasons.ts';
import { ratioOfSums } from '#domain/ratio';
import { bandOf, DEFAULT_BANDS, type Band } from '#domain/bands';
import { rankOnRecomputed } from '#domain/basis';
import type { SchemeGroupDef, TotalRule } from '#domain/catalogue';
import { readScopeScore, scoreScopeOver, type ActiveIndicator, type BoardRowComputed } from './ranking/rankings.ts';

export class NotFoundError extends Error {}

export interface UnitInfo {
  id: number;
  code: string;
  name: string;
  level: string;
  type: string;
  parent: { code: string; name: string } | null;
  hasChildren: boolean;
  /** The days it is in force (YYYY-MM-DD, inclusive; null: open). */
  validFrom: string | null;
  validTo: string | null;
}

const parentUnit = alias(units, 'parent');
const childUnit = alias(units, 'child');

// Prepared: every board read and push starts here.
const unitByCode = prepared((db) =>
  db
    .select({
      id: units.id, code: units.gsoCode, name: units.name, level: units.level, type: units.type,
      parentCode: parentUnit.gsoCode, parentName: parentUnit.name,
      // Any child, in force or not (the drill-down's hasChildren counts only those in force).
      hasChildren: exists(db.select({ id: childUnit.id }).from(childUnit).where(eq(childUnit.parentId, units.id))).mapWith(Boolean),
      validFrom: units.validFrom, validTo: units.validTo
    })
    .from(units)
    .leftJoin(parentUnit, eq(parentUnit.id, units.parentId))
    .where(eq(units.gsoCode, fragment.placeholder('code')))
    // The version in force on the day first, then the newest (a code is reused: 10114 was Thị trấn Kim Bài until 30/06/2025).
    .orderBy(
      fragment`(coalesce(${units.validFrom} <= ${fragment.placeholder('day')}::date, true) and coalesce(${units.validTo} >= ${fragment.placeholder('day')}::date, true)) desc`,
      fragment`${units.validTo} desc nulls first`
    )
    .limit(1)
    .prepare('unit_by_code')
);

/**
 * The unit of this code in force on `day` (default today); a code no unit holds that day gives its
 * newest holder (an old district's page still opens, to say it ended). A code is reused across a
 * reform (a new commune keeps the code of one it absorbed), so a code alone names a unit only on a day.
 */
export async function readUnit(sql: Sql, code: string, day: string = today()): Promise<UnitInfo | null> {
  const [u] = await unitByCode(sql).execute({ code, day });
  if (!u) return null;
  return {
    id: u.id, code: u.code, name: u.name, level: u.level, type: u.type,
    parent: u.parentCode && u.parentName !== null ? { code: u.parentCode, name: u.parentName } : null,
    hasChildren: u.hasChildren, validFrom: u.validFrom, validTo: u.validTo
  };
}

/** The app_meta fact naming the unit the overview and the wall open on (set by the seed and the units import). */
export const HOME_UNIT_FACT = 'home_unit';

/**
 * The unit this installation serves, which the overview and the wall open on: the `home_unit` fact
 * when it names a unit in force (a city stays home when the national register puts Việt Nam above
 * it), else the first root in force.
 */
export async function rootUnitCode(sql: Sql): Promise<string> {
  const db = orm(sql);
  const [home] = await db
    .select({ code: units.gsoCode })
    .from(appMeta)
    .innerJoin(units, and(eq(units.gsoCode, appMeta.value), isNull(units.validTo)))
    .where(eq(appMeta.key, HOME_UNIT_FACT))
    .limit(1);
  if (home) return home.code;
  const [root] = await db.select({ code: units.gsoCode }).from(units).where(and(isNull(units.parentId), isNull(units.validTo))).orderBy(units.id).limit(1);
  if (!root) throw new Error('no units: run the seed');
  return root.code;
}

export interface ActiveSchemeInfo {
  id: number;
  key: string;
  nameVi: string;
  nameEn: string;
  bands: Band[];
  groups: SchemeGroupDef[];
  totalRule: TotalRule;
  periodKinds: string[] | null;
}

const schemeInfo = {
  id: indicatorSchemes.id, key: indicatorSchemes.key, nameVi: indicatorSchemes.nameVi, nameEn: indicatorSchemes.nameEn, bands: indicatorSchemes.bands,
  groups: indicatorSchemes.groups, totalRule: indicatorSchemes.totalRule, periodKinds: indicatorSchemes.periodKinds
};

/** The version in force of every scheme (one per key), the operations scheme first. */
export async function readActiveSchemes(sql: Queryable): Promise<ActiveSchemeInfo[]> {
  const rows = await orm(sql)
    .selectDistinctOn([indicatorSchemes.key], schemeInfo)
    .from(indicatorSchemes)
    .where(eq(indicatorSchemes.active, true))
    .orderBy(indicatorSchemes.key, desc(indicatorSchemes.id));
  return rows.sort((a, b) => Number(b.key === DEFAULT_SCHEME_KEY) - Number(a.key === DEFAULT_SCHEME_KEY) || a.key.localeCompare(b.key));
}

const activeSchemeByKey = prepared((db) =>
  db
    .select(schemeInfo)
    .from(indicatorSchemes)
    .where(and(eq(indicatorSchemes.active, true), eq(indicatorSchemes.key, fragment.placeholder('key'))))
    .orderBy(desc(indicatorSchemes.id))
    .limit(1)
    .prepare('active_scheme_by_key')
);

/** The version in force of one scheme; a key with none is a NotFoundError naming `scheme`. */
async function activeScheme(sql: Queryable, key: string): Promise<ActiveSchemeInfo> {
  const [row] = await activeSchemeByKey(sql).execute({ key });
  if (!row) {
    const known = (await readActiveSchemes(sql)).map((s) => s.key);
    throw new NotFoundError(`scheme: no active indicator scheme "${key}" (known: ${known.join(', ') || 'none'})`);
  }
  return { ...row, bands: row.bands ?? [...DEFAULT_BANDS] };
}

const indicatorsOfScheme = prepared((db) => {
  const i = indicatorsTable;
  return db
    .select({
      key: i.key, family: i.family, nameVi: i.nameVi, nameEn: i.nameEn, maxPoints: i.maxPoints, saturation: i.saturation,
      numeratorNounVi: i.numeratorNounVi, numerator: i.numerator, denominator: i.denominator,
      group: i.groupKey, published: i.published, zeroDenominator: i.zeroDenominator
    })
    .from(i)
    .where(eq(i.schemeId, fragment.placeholder('schemeId')))
    .orderBy(i.sortOrder, i.id)
    .prepare('indicators_of_scheme');
});

async function activeIndicators(sql: Queryable, schemeId: number): Promise<(IndicatorMeta & { numerator: string[]; denominator: string[] })[]> {
  return indicatorsOfScheme(sql).execute({ schemeId });
}

/** The indicators (with their metric keys) of the version in force of a scheme (default: operations). */
export async function readSchemeIndicators(sql: Queryable, schemeKey: string = DEFAULT_SCHEME_KEY) {
  return activeIndicators(sql, (await activeScheme(sql, schemeKey)).id);
}

/**
 * The boards of "cùng kỳ" (scoreScopeOver), kept a few minutes per process: they are of days already
 * past, read again by every push of the board they compare with. A correction of those past days
 * shows within SAME_ELAPSED_TTL_MS; the next day's is another key.
 */
const SAME_ELAPSED_TTL_MS = 5 * 60_000;
const SAME_ELAPSED_MAX = 500;
const sameElapsedCache = new Map<string, { at: number; rows: Promise<BoardRowComputed[]> }>();
function sameElapsedRows(sql: Sql, schemeKey: string, scopeId: number, days: Period): Promise<BoardRowComputed[]> {
  const key = `${schemeKey}|${scopeId}|${days.kind}|${days.start}|${days.end}`;
  const hit = sameElapsedCache.get(key);
  if (hit && Date.now() - hit.at < SAME_ELAPSED_TTL_MS) return hit.rows;
  const rows = scoreScopeOver(sql, schemeKey, scopeId, days);
  // A failed read is not kept.
  rows.catch(() => sameElapsedCache.delete(key));
  sameElapsedCache.delete(key);
  sameElapsedCache.set(key, { at: Date.now(), rows });
  if (sameElapsedCache.size > SAME_ELAPSED_MAX) sameElapsedCache.delete(sameElapsedCache.keys().next().value!);
  return rows;
}

/**
 * "Cùng kỳ năm trước" for one unit of a board: its rank and total among its siblings over the same
 * days one year back (the whole period a year earlier, or its days so far while it runs), scored as
 * the workers score a board and kept like the same elapsed part. Null where there is no such history
 * (the unit unranked then, or not yet in force), and for schemes with groups (published by months).
 */
export async function readLastYearStanding(
  sql: Sql, query: BoardQuery, unitCode: string, now = new Date()
): Promise<{ rank: number; total: number; start: string; end: string } | null> {
  const period = periodOf(query.period, query.date);
  const days = sameDaysLastYear(period, today(now));
  if (!days) return null;
  // The same unit and scope then as now: a code reused across the reform (10114 was Thị trấn Kim Bài) is another unit.
  const [scope, unit, scopeNow, unitNow] = await Promise.all([
    readUnit(sql, query.scope, days.end), readUnit(sql, unitCode, days.end), readUnit(sql, query.scope, period.end), readUnit(sql, unitCode, period.end)
  ]);
  if (!scope?.hasChildren || !unit || scope.id !== scopeNow?.id || unit.id !== unitNow?.id) return null;
  const scheme = await activeScheme(sql, query.scheme ?? DEFAULT_SCHEME_KEY);
  if (scheme.groups.length) return null;
  const row = (await sameElapsedRows(sql, scheme.key, scope.id, { kind: period.kind, ...days })).find((r) => r.unitId === unit.id);
  return row && row.rank !== null && row.total !== null ? { rank: row.rank, total: row.total, ...days } : null;
}

/** The board of `query.scheme` (default: operations); an unknown or inactive scheme is a NotFoundError naming `scheme`. */
export async function readBoard(sql: Sql, query: BoardQuery, now = new Date()): Promise<Board> {
  const period = periodOf(query.period, query.date);
  // The scope as it stood at the period's end (10114 is Thị trấn Kim Bài in 06/2025, Xã Thanh Oai since).
  const scope = await readUnit(sql, query.scope, period.end);
  if (!scope) throw new NotFoundError(`no unit with code ${query.scope}`);
  if (!scope.hasChildren) throw new NotFoundError(`${scope.name} has no child units to rank`);
  if (scope.validTo !== null && scope.validTo < period.end) {
    throw new NotFoundError(`${scope.name} (${scope.code}) ngừng hiệu lực từ ${viDate(addDays(scope.validTo, 1))}: chọn một kỳ trước ngày đó`);
  }
  if (scope.validFrom !== null && scope.validFrom > period.end) {
    throw new NotFoundError(`${scope.name} (${scope.code}) có hiệu lực từ ${viDate(scope.validFrom)}: chọn một kỳ từ ngày đó`);
  }
  const scheme = await activeScheme(sql, query.scheme ?? DEFAULT_SCHEME_KEY);
  const withMetrics = await activeIndicators(sql, scheme.id);
  const indicators = withMetrics.map(({ numerator: _n, denominator: _d, ...meta }) => meta);
  const rows = sortByGroup(await boardUnitRows(sql, { schemeKey: scheme.key, scopeId: scope.id, kind: period.kind, start: period.start, end: period.end }));
  // What each row's move is measured from: while the period is in progress, the same elapsed part of
  // the previous one ("cùng kỳ": the 1st–2nd of last month on the 2nd), scored as the workers score a
  // board; a whole period, against the whole previous one as stored. Schemes with groups (the 766
  // index, published by whole months) compare whole months.
  const same = scheme.groups.length ? null : sameElapsedPart(period, today(now));
  const prev = previousPeriod(period);
  const previousRows = same
    ? (await sameElapsedRows(sql, scheme.key, scope.id, { kind: period.kind, ...same })).map((r) => ({ id: r.unitId, rank: r.rank, total: r.total, indicators: r.indicators }))
    : await storedBoardRows(sql, { schemeKey: scheme.key, scopeId: scope.id, kind: prev.kind, start: prev.start });
  const previousById = new Map(previousRows.map((r) => [r.id, r]));
  // Relative moves: whom each row passed, and who passed it (three each at most, the biggest movers).
  const crossed = crossings(
    rows.map((r) => {
      const p = previousById.get(r.id);
      return { code: r.code, name: r.name, group: r.level, rank: r.rank, total: r.total, previousRank: p?.rank ?? null, previousTotal: p?.total ?? null };
    })
  );
  // Targets (docs/targets.md): the one that applies to each row and indicator, by precedence.
  const targetRules = await readTargets(sql, { scheme: scheme.key, period });
  const indicatorKeys = indicators.map((i) => i.key);
  let computedAt: string | null = null;
  let asOf: string | null = null;
  const boardRows: BoardRow[] = rows.map((r) => {
    const c = isoTimestamp(r.computed_at);
    const a = isoTimestamp(r.as_of);
    if (c && (!computedAt || c > computedAt)) computedAt = c;
    if (a && (!asOf || a > asOf)) asOf = a;
    const values: BoardRow['indicators'] = {};
    const rowTargets = targetRules.length ? targetsOf(targetRules, r.id, indicatorKeys, period) : {};
    for (const ind of indicators) {
      values[ind.key] = withTarget(r.indicators?.[ind.key] ?? { numerator: null, denominator: null, ratio: null, points: null, rank: null }, rowTargets[ind.key]);
    }
    // Why it has no rank, as a code; worded in Vietnamese beside it for the API and the exports.
    const notRanked: NotRanked | null = !r.indicators
      ? { code: 'not_computed', indicators: [] }
      : r.not_ranked_reason ? { code: r.not_ranked_reason, indicators: r.not_ranked_indicators ?? [] } : null;
    const own = explainChange({ rank: r.rank, total: r.total, indicators: values }, previousById.get(r.id) ?? null, indicators);
    const moves = crossed.get(r.code);
    const change = moves && (moves.passed.length || moves.passedBy.length) ? { ...own, passed: moves.passed.slice(0, 3), passedBy: moves.passedBy.slice(0, 3) } : own;
    return {
      unitCode: r.code, unitName: r.name, unitType: r.type, unitLevel: r.level, estimated: r.estimated ?? false, rank: r.rank, previousRank: same ? (previousById.get(r.id)?.rank ?? null) : r.previous_rank, total: r.total,
      // The band under the scheme version the row was computed with.
      band: r.rank === null ? null : bandOf(r.total, r.bands ?? DEFAULT_BANDS),
      notRanked,
      notRankedReason: notRanked && notRankedReason(notRanked, indicators, 'vi'),
      indicators: values,
      change: { ...change, sentence: changeSentence(change, indicators, 'vi', { ranked: r.rank !== null }) },
      tile: r.tile_col !== null && r.tile_row !== null ? { col: r.tile_col, row: r.tile_row } : null,
      groups: r.groups ?? {},
      totalRecomputed: r.total_recomputed ?? (r.groups ? null : r.total),
      totalPublished: r.total_published
    };
  });
  // The bands the rows were computed with; before anything is computed, the active scheme's.
  const bands = rows.find((r) => r.bands)?.bands ?? scheme.bands;
  const hasPublished = scheme.groups.some((g) => !!g.publishedMetric);
  const basis = hasPublished ? (query.basis ?? 'published') : null;
  let shownRows = boardRows;
  if (basis === 'recomputed') {
    const publishedOnly = new Set(indicators.filter((i) => i.published).map((i) => i.key));
    const order = new Map(boardGroups(rows).map((g, i) => [g.level, i]));
    shownRows = rankOnRecomputed(boardRows, publishedOnly)
      .map((r) => ({ ...r, band: r.rank === null ? null : bandOf(r.total, bands) }))
      .sort((a, b) => order.get(a.unitLevel)! - order.get(b.unitLevel)! || (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unitCode.localeCompare(b.unitCode));
  }
  const scopeScore = scheme.groups.length
    ? await readScopeScore(sql, { groups: scheme.groups, totalRule: scheme.totalRule, periodKinds: scheme.periodKinds, indicators: withMetrics.map(activeIndicator) }, scope.id, period, basis)
    : null;
  return {
    scheme: { key: scheme.key, nameVi: scheme.nameVi },
    scope: { code: scope.code, name: scope.name, level: scope.level },
    period: { kind: query.period, start: period.start, end: period.end, provisional: isProvisional(period, now) },
    comparedWith: same,
    indicators,
    totalRule: scheme.totalRule,
    schemeGroups: scheme.groups.map((g) => ({ key: g.key, nameVi: g.nameVi, nameEn: g.nameEn, maxPoints: g.maxPoints, publishedOnly: g.publishedOnly ?? false })),
    basis,
    scopeScore,
    bands: [...bands].sort((a, b) => b.min - a.min),
    groups: boardGroups(rows),
    rows: shownRows,
    ...(targetRules.length ? { targets: boardTargets(shownRows, targetsOf(targetRules, scope.id, indicatorKeys, period)) } : {}),
    computedAt,
    asOf
  };
}

/** The board's targets: the scope's own, and who is below theirs. */
function boardTargets(rows: readonly BoardRow[], scopeTargets: Record<string, number>): BoardTargets {
  const below: Record<string, number> = {};
  let unitsBelow = 0;
  for (const r of rows) {
    let any = false;
    for (const [key, v] of Object.entries(r.indicators)) {
      if (!v.belowTarget) continue;
      below[key] = (below[key] ?? 0) + 1;
      any = true;
    }
    if (any) unitsBelow += 1;
  }
  return { scope: scopeTargets, below, unitsBelow };
}

/** An indicator as the scoring rules take it (rankings.ts). */
const activeIndicator = (i: IndicatorMeta & { numerator: string[]; denominator: string[] }): ActiveIndicator => ({
  key: i.key, numerator: i.numerator, denominator: i.denominator, direction: 'higher_is_better', maxPoints: i.maxPoints, saturation: i.saturation,
  groupKey: i.group, zeroDenominator: i.zeroDenominator, published: i.published
});

const viDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** The children's groups by level, the largest first (a tie: by level name); types most frequent first. */
export function boardGroups(rows: readonly { level: string; type: string }[]): BoardGroup[] {
  const groups = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const types = groups.get(r.level) ?? new Map<string, number>();
    types.set(r.type, (types.get(r.type) ?? 0) + 1);
    groups.set(r.level, types);
  }
  return [...groups]
    .map(([level, types]) => ({
      level,
      types: [...types].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'vi')).map(([t]) => t),
      count: [...types.values()].reduce((s, n) => s + n, 0)
    }))
    .sort((a, b) => b.count - a.count || a.level.localeCompare(b.level));
}

/** Rows grouped as boardGroups orders the groups, each group in its stored order (rank, then the unranked). */
function sortByGroup<R extends { level: string; type: string }>(rows: readonly R[]): R[] {
  const order = new Map(boardGroups(rows).map((g, i) => [g.level, i]));
  return rows.map((r, i) => ({ r, i })).sort((a, b) => order.get(a.r.level)! - order.get(b.r.level)! || a.i - b.i).map(({ r }) => r);
}

/** Daily values of one indicator for one unit (Σ over its descendants), oldest first. */
export async function readSeries(sql: Sql, unitCode: string, indicatorKey: string, from: string, to: string): Promise<Series> {
  // The unit of the code on the series' last day (a code is reused across a reform: 10114 until 30/06/2025 is Thị trấn Kim Bài).
  const unit = await readUnit(sql, unitCode, to);
  if (!unit) throw new NotFoundError(`no unit with code ${unitCode}`);
  // The operations scheme's indicators (the 766 group's one indicator is its dossier.on_time).
  const indicator = (await activeIndicators(sql, (await activeScheme(sql, DEFAULT_SCHEME_KEY)).id)).find((i) => i.key === indicatorKey);
  if (!indicator) throw new NotFoundError(`no indicator ${indicatorKey} in the active scheme`);
  const rows = await dailySums(sql, unit.id, indicator, from, to);
  const points: SeriesPoint[] = rows.map((r) => ({ date: r.day, numerator: r.numerator, denominator: r.denominator, ratio: ratioOfSums(r.numerator, r.denominator) }));
  const { numerator: _n, denominator: _d, ...meta } = indicator;
  return { unit: { code: unit.code, name: unit.name }, indicator: meta, points };
}

export async function readHealth(sql: Sql) {
  const w = await workerLiveness(sql);
  return {
    workers: { ok: w.alive > 0, alive: w.alive, lastSeenAt: isoTimestamp(w.lastSeenAt) },
    sources: await readSourceHealth(sql)
  };
}

/** A scheme as GET /api/v1/schemes lists it: its version in force, groups and indicators. */
export interface SchemeListing {
  key: string;
  version: number;
  nameVi: string;
  nameEn: string;
  /** Σ of its indicators' maximum points (100 operations and 766, 20 the 766 progress group). */
  maxPoints: number;
  totalRule: TotalRule;
  /** The period kinds its boards exist for (null: every kind). */
  periodKinds: string[] | null;
  bands: Band[];
  groups: (SchemeGroupDef & { indicators: string[] })[];
  indicators: Omit<IndicatorMeta, never>[];
}

/** Every active scheme with its groups and indicators (the operations scheme first). */
export async function readSchemeListing(sql: Queryable): Promise<SchemeListing[]> {
  const out: SchemeListing[] = [];
  for (const s of await readActiveSchemes(sql)) {
    const [row] = await activeSchemeByKey(sql).execute({ key: s.key });
    const [version] = await orm(sql).select({ version: indicatorSchemes.version }).from(indicatorSchemes).where(eq(indicatorSchemes.id, row!.id));
    const indicators = (await activeIndicators(sql, row!.id)).map(({ numerator: _n, denominator: _d, ...meta }) => meta);
    out.push({
      key: s.key, version: version!.version, nameVi: s.nameVi, nameEn: s.nameEn,
      maxPoints: Math.round(indicators.reduce((t, i) => t + i.maxPoints, 0) * 100) / 100,
      totalRule: row!.totalRule, periodKinds: row!.periodKinds, bands: [...(row!.bands ?? DEFAULT_BANDS)].sort((a, b) => b.min - a.min),
      groups: row!.groups.map((g) => ({ ...g, indicators: indicators.filter((i) => i.group === g.key).map((i) => i.key) })),
      indicators
    });
  }
  return out;
}
