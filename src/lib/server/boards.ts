/** Read models: stored rankings → the wire DTOs the pages, the API and the socket events share. */
import type { Queryable, Sql } from '#db/client';
import { readSourceHealth } from './sources.ts';
import { WORKER_ALIVE_SECONDS } from './limits.ts';
import { isoTimestamp } from '#db/client';
import type { StoredIndicator } from '#db/schema/rankings';
import { DEFAULT_SCHEME_KEY, type Board, type BoardQuery, type BoardRow, type IndicatorMeta, type Series, type SeriesPoint } from '#contract/dto';
import { isProvisional, periodOf, previousPeriod } from '#domain/periods';
import { explainChange } from '#domain/explain';
import type { NotRanked, NotRankedCode } from '#domain/board';
import { changeSentence } from '../i18n/explain.ts';
import { notRankedReason } from '../i18n/reasons.ts';
import { ratioOfSums } from '#domain/ratio';
import { bandOf, DEFAULT_BANDS, type Band } from '#domain/bands';

export class NotFoundError extends Error {}

export interface UnitInfo {
  id: number;
  code: string;
  name: string;
  level: string;
  type: string;
  parent: { code: string; name: string } | null;
  hasChildren: boolean;
}

export async function readUnit(sql: Sql, code: string): Promise<UnitInfo | null> {
  const [u] = await sql<{ id: number; code: string; name: string; level: string; type: string; parent_code: string | null; parent_name: string | null; has_children: boolean }[]>`
    select u.id, u.gso_code as code, u.name, u.level, u.type, p.gso_code as parent_code, p.name as parent_name,
           exists (select 1 from units c where c.parent_id = u.id) as has_children
    from units u left join units p on p.id = u.parent_id where u.gso_code = ${code}`;
  if (!u) return null;
  return {
    id: u.id, code: u.code, name: u.name, level: u.level, type: u.type,
    parent: u.parent_code ? { code: u.parent_code, name: u.parent_name! } : null,
    hasChildren: u.has_children
  };
}

/** The root of the hierarchy: the city or province this installation serves. */
export async function rootUnitCode(sql: Sql): Promise<string> {
  const [root] = await sql<{ code: string }[]>`select gso_code as code from units where parent_id is null order by id limit 1`;
  if (!root) throw new Error('no units: run the seed');
  return root.code;
}

interface SchemeRow {
  key: string;
  family: string;
  name_vi: string;
  name_en: string;
  max_points: number;
  saturation: number;
  numerator: string[];
  denominator: string[];
  numerator_noun_vi: string;
}

export interface ActiveSchemeInfo {
  id: number;
  key: string;
  nameVi: string;
  nameEn: string;
  bands: Band[];
}

/** The version in force of every scheme (one per key), the operations scheme first. */
export async function readActiveSchemes(sql: Queryable): Promise<ActiveSchemeInfo[]> {
  const rows = await sql<{ id: number; key: string; name_vi: string; name_en: string; bands: Band[] }[]>`
    select distinct on (key) id, key, name_vi, name_en, bands from indicator_schemes where active order by key, id desc`;
  return rows
    .map((r) => ({ id: r.id, key: r.key, nameVi: r.name_vi, nameEn: r.name_en, bands: r.bands }))
    .sort((a, b) => Number(b.key === DEFAULT_SCHEME_KEY) - Number(a.key === DEFAULT_SCHEME_KEY) || a.key.localeCompare(b.key));
}

/** The version in force of one scheme; a key with none is a NotFoundError naming `scheme`. */
async function activeScheme(sql: Queryable, key: string): Promise<ActiveSchemeInfo> {
  const [row] = await sql<{ id: number; key: string; name_vi: string; name_en: string; bands: Band[] }[]>`
    select id, key, name_vi, name_en, bands from indicator_schemes where active and key = ${key} order by id desc limit 1`;
  if (!row) {
    const known = (await readActiveSchemes(sql)).map((s) => s.key);
    throw new NotFoundError(`scheme: no active indicator scheme "${key}" (known: ${known.join(', ') || 'none'})`);
  }
  return { id: row.id, key: row.key, nameVi: row.name_vi, nameEn: row.name_en, bands: row.bands ?? [...DEFAULT_BANDS] };
}

async function activeIndicators(sql: Queryable, schemeId: number): Promise<(IndicatorMeta & { numerator: string[]; denominator: string[] })[]> {
  const rows = await sql<SchemeRow[]>`
    select i.key, i.family, i.name_vi, i.name_en, i.max_points, i.saturation, i.numerator, i.denominator, i.numerator_noun_vi
    from indicators i where i.scheme_id = ${schemeId} order by i.sort_order, i.id`;
  return rows.map((r) => ({
    key: r.key, family: r.family, nameVi: r.name_vi, nameEn: r.name_en, maxPoints: r.max_points, saturation: r.saturation,
    numeratorNounVi: r.numerator_noun_vi, numerator: r.numerator, denominator: r.denominator
  }));
}

/** The indicators (with their metric keys) of the version in force of a scheme (default: operations). */
export async function readSchemeIndicators(sql: Queryable, schemeKey: string = DEFAULT_SCHEME_KEY) {
  return activeIndicators(sql, (await activeScheme(sql, schemeKey)).id);
}

/** The board of `query.scheme` (default: operations); an unknown or inactive scheme is a NotFoundError naming `scheme`. */
export async function readBoard(sql: Sql, query: BoardQuery, now = new Date()): Promise<Board> {
  const scope = await readUnit(sql, query.scope);
  if (!scope) throw new NotFoundError(`no unit with code ${query.scope}`);
  if (!scope.hasChildren) throw new NotFoundError(`${scope.name} has no child units to rank`);
  const scheme = await activeScheme(sql, query.scheme ?? DEFAULT_SCHEME_KEY);
  const period = periodOf(query.period, query.date);
  const indicators = (await activeIndicators(sql, scheme.id)).map(({ numerator: _n, denominator: _d, ...meta }) => meta);
  const rows = await sql<{
    code: string; name: string; type: string; rank: number | null; previous_rank: number | null; total: number | null;
    not_ranked_reason: NotRankedCode | null; not_ranked_indicators: string[] | null;
    indicators: Record<string, StoredIndicator> | null; computed_at: string | null; as_of: string | null;
    bands: Band[] | null; tile_col: number | null; tile_row: number | null;
  }[]>`
    select u.gso_code as code, u.name, u.type, r.rank, r.previous_rank, r.total, r.not_ranked_reason, r.not_ranked_indicators, r.indicators,
           r.computed_at, r.as_of, sch.bands, u.tile_col, u.tile_row
    from units u
    left join rankings r on r.unit_id = u.id and r.scope_unit_id = ${scope.id}
      and r.period_kind = ${period.kind} and r.period_start = ${period.start} and r.scheme_key = ${scheme.key}
    left join indicator_schemes sch on sch.id = r.scheme_id
    where u.parent_id = ${scope.id} and u.valid_to is null
    order by r.rank asc nulls last, r.total desc nulls last, u.gso_code`;
  // The previous period of the same kind, for each row's explanation of its move.
  const prev = previousPeriod(period);
  const previousRows = await sql<{ code: string; rank: number | null; total: number | null; indicators: Record<string, StoredIndicator> }[]>`
    select u.gso_code as code, r.rank, r.total, r.indicators
    from rankings r join units u on u.id = r.unit_id
    where r.scope_unit_id = ${scope.id} and r.period_kind = ${prev.kind} and r.period_start = ${prev.start}
      and r.scheme_key = ${scheme.key}`;
  const previousByCode = new Map(previousRows.map((r) => [r.code, r]));
  let computedAt: string | null = null;
  let asOf: string | null = null;
  const boardRows: BoardRow[] = rows.map((r) => {
    const c = isoTimestamp(r.computed_at);
    const a = isoTimestamp(r.as_of);
    if (c && (!computedAt || c > computedAt)) computedAt = c;
    if (a && (!asOf || a > asOf)) asOf = a;
    const values: BoardRow['indicators'] = {};
    for (const ind of indicators) {
      values[ind.key] = r.indicators?.[ind.key] ?? { numerator: null, denominator: null, ratio: null, points: null, rank: null };
    }
    // Why it has no rank, as a code; worded in Vietnamese beside it for the API and the exports.
    const notRanked: NotRanked | null = !r.indicators
      ? { code: 'not_computed', indicators: [] }
      : r.not_ranked_reason ? { code: r.not_ranked_reason, indicators: r.not_ranked_indicators ?? [] } : null;
    const change = explainChange({ rank: r.rank, total: r.total, indicators: values }, previousByCode.get(r.code) ?? null, indicators);
    return {
      unitCode: r.code, unitName: r.name, unitType: r.type, rank: r.rank, previousRank: r.previous_rank, total: r.total,
      // The band under the scheme version the row was computed with.
      band: r.rank === null ? null : bandOf(r.total, r.bands ?? DEFAULT_BANDS),
      notRanked,
      notRankedReason: notRanked && notRankedReason(notRanked, indicators, 'vi'),
      indicators: values,
      change: { ...change, sentence: changeSentence(change, indicators, 'vi', { ranked: r.rank !== null }) },
      tile: r.tile_col !== null && r.tile_row !== null ? { col: r.tile_col, row: r.tile_row } : null
    };
  });
  // The bands the rows were computed with; before anything is computed, the active scheme's.
  const bands = rows.find((r) => r.bands)?.bands ?? scheme.bands;
  return {
    scheme: { key: scheme.key, nameVi: scheme.nameVi },
    scope: { code: scope.code, name: scope.name, level: scope.level },
    period: { kind: query.period, start: period.start, end: period.end, provisional: isProvisional(period, now) },
    indicators,
    bands: [...bands].sort((a, b) => b.min - a.min),
    rows: boardRows,
    computedAt,
    asOf
  };
}

/** Daily values of one indicator for one unit (Σ over its descendants), oldest first. */
export async function readSeries(sql: Sql, unitCode: string, indicatorKey: string, from: string, to: string): Promise<Series> {
  const unit = await readUnit(sql, unitCode);
  if (!unit) throw new NotFoundError(`no unit with code ${unitCode}`);
  // The operations scheme's indicators (the 766 group's one indicator is its dossier.on_time).
  const indicator = (await activeIndicators(sql, (await activeScheme(sql, DEFAULT_SCHEME_KEY)).id)).find((i) => i.key === indicatorKey);
  if (!indicator) throw new NotFoundError(`no indicator ${indicatorKey} in the active scheme`);
  const rows = await sql<{ day: string; numerator: number; denominator: number }[]>`
    select d::date::text as day,
           coalesce(sum(s.value) filter (where m.key = any(${sql.array(indicator.numerator)}::text[])), 0)::float8 as numerator,
           coalesce(sum(s.value) filter (where m.key = any(${sql.array(indicator.denominator)}::text[])), 0)::float8 as denominator
    from generate_series(${from}::date, ${to}::date, interval '1 day') as d
    left join (samples s join unit_closure c on c.descendant_id = s.unit_id and c.ancestor_id = ${unit.id}
               join metrics m on m.id = s.metric_id)
      on s.day = d::date
    group by d order by d`;
  const points: SeriesPoint[] = rows.map((r) => ({ date: r.day, numerator: r.numerator, denominator: r.denominator, ratio: ratioOfSums(r.numerator, r.denominator) }));
  const { numerator: _n, denominator: _d, ...meta } = indicator;
  return { unit: { code: unit.code, name: unit.name }, indicator: meta, points };
}

export async function readHealth(sql: Sql) {
  const [w] = await sql<{ alive: number; last_seen: string | null }[]>`
    select count(*) filter (where last_seen_at > now() - make_interval(secs => ${WORKER_ALIVE_SECONDS}))::int as alive, max(last_seen_at) as last_seen
    from worker_heartbeats`;
  return {
    workers: { ok: (w?.alive ?? 0) > 0, alive: w?.alive ?? 0, lastSeenAt: isoTimestamp(w?.last_seen) },
    sources: await readSourceHealth(sql)
  };
}
