/**
 * What a briefing says, read through the same read models as the overview and the unit page (no
 * query of its own): the scope's board (operations scheme), the earlier periods behind its KPI
 * tiles, its own place among its siblings, the sources behind its figures that are late or stale,
 * the period's figures that came in late or were corrected, and the weakest units with what they
 * lack in counts (src/lib/domain/gaps.ts). The print page words it; a mail job could summarise it.
 */
import type { Sql } from '#db/client';
import { DEFAULT_SCHEME_KEY, type Board, type BoardRow, type SourceHealth } from '#contract/dto';
import { biggestMovers, type KpiBase, type Movers, type PeriodTotals } from '#domain/kpis';
import { unitGaps, type UnitGaps } from '#domain/gaps';
import { periodOf, today } from '#domain/periods';
import { NotFoundError, readBoard, readUnit, rootUnitCode, type UnitInfo } from '../boards.ts';
import type { Principal } from '../auth/principal.ts';
import { readKpiComparisons, readKpiHistory } from '../kpis.ts';
import { readSourceHealthForUnit } from '../sources.ts';
import { readLateAndCorrected, type IndicatorLateness } from '../drilldown.ts';
import { BRIEFING_DEFAULT_PERIOD, type BriefingQuery } from './query.ts';
import { m } from '../../paraglide/messages.js';
import type { Locale } from '../../paraglide/runtime.js';

/** The weakest units of each group shown with their gaps. */
export const WEAKEST_PER_GROUP = 3;
/** Movers each way: the largest group, then the others. */
export const MOVERS_MAIN = 5;
export const MOVERS_OTHER = 3;

export interface BriefingGroup {
  level: string;
  /** Up and down, biggest first (the overview's Movers). */
  movers: Movers;
  /** The lowest ranked, lowest first, each with its gap to the next rank and band. */
  weakest: { row: BoardRow; gaps: UnitGaps }[];
}

export interface Briefing {
  query: BriefingQuery;
  scope: UnitInfo;
  board: Board;
  /** The earlier periods of the same kind (for the KPI tiles' change and trend: kpisOf). */
  history: PeriodTotals[];
  /** While the period is in progress: the same days of the previous one, what the change compares with (kpisOf). */
  kpiBase: KpiBase | null;
  /** The same days last year, where history exists (kpisOf). */
  kpiLastYear: KpiBase | null;
  /** The scope's own row on its parent's board (its rank among its siblings); null at the top or without a board. */
  own: { row: BoardRow; parentName: string; ranked: number } | null;
  groups: BriefingGroup[];
  /** The sources behind the scope that are not fine now: stale, failing, paused, partial, never polled, or past their daily deadline. */
  lateSources: SourceHealth[];
  /** How many sources feed the scope in all. */
  sourceCount: number;
  /** Per indicator, the period's figures that arrived late or were corrected afterwards (only those with some). */
  lateFigures: IndicatorLateness[];
  /**
   * Targets (chỉ tiêu, docs/targets.md): the board's units below the target of at least one indicator,
   * each with those indicators' actual and target, the furthest below first; null when no target applies to the board.
   */
  belowTarget: BelowTargetUnit[] | null;
  /** The same read per indicator, for the print page: the summary and at most BELOW_TARGET_ROWS rows each (belowTargetByIndicator). */
  belowTargetByIndicator: BelowTargetIndicator[] | null;
}

/** Per indicator, the rows listed at most (the furthest below; the others counted: "và 135 đơn vị khác"). */
export const BELOW_TARGET_ROWS = 10;

/**
 * One indicator's line of the summary: its target, how many units are below theirs, and the furthest
 * below (at most BELOW_TARGET_ROWS, furthest first); `more` are the others below, counted not listed.
 */
export interface BelowTargetIndicator {
  key: string;
  /** The scope's own target (the city's for the city's board); null when only units' own targets apply. */
  target: number | null;
  /** How many units have a target of their own other than the scope's (the figure then compares with theirs). */
  ownTargets: number;
  /** The board's rows with a target for this indicator (those a figure is compared for). */
  withTarget: number;
  /** How many of them are below (the board's `targets.below`). */
  below: number;
  units: { unitCode: string; unitName: string; ratio: number; target: number }[];
  more: number;
}

export interface BelowTargetUnit {
  unitCode: string;
  unitName: string;
  indicators: { key: string; ratio: number | null; target: number }[];
}

/** The board's rows below a target, with which indicators and by how much. */
export function belowTargetOf(board: Pick<Board, 'rows' | 'indicators' | 'targets'>): BelowTargetUnit[] | null {
  if (!board.targets) return null;
  return board.rows
    .map((r) => ({
      unitCode: r.unitCode, unitName: r.unitName,
      indicators: board.indicators.flatMap((i) => {
        const v = r.indicators[i.key];
        return v?.belowTarget && v.target !== undefined ? [{ key: i.key, ratio: v.ratio, target: v.target }] : [];
      })
    }))
    .filter((u) => u.indicators.length > 0)
    // The furthest below first: the meeting reads the worst shortfalls before the near misses.
    .map((u) => ({ u, gap: Math.max(...u.indicators.map((x) => x.target - (x.ratio ?? 0))) }))
    .sort((a, b) => b.gap - a.gap || a.u.unitCode.localeCompare(b.u.unitCode))
    .map(({ u }) => u);
}

/**
 * The summary a meeting reads first (with the demo's data every unit of the city is under 95 % on
 * time: a list of 145 rows reads badly): per indicator with a target, the target, how many are
 * below, then the `limit` furthest below and how many more.
 */
export function belowTargetByIndicator(board: Pick<Board, 'rows' | 'indicators' | 'targets'>, limit = BELOW_TARGET_ROWS): BelowTargetIndicator[] | null {
  const t = board.targets;
  if (!t) return null;
  return board.indicators.flatMap((ind) => {
    const rows = board.rows.flatMap((r) => {
      const v = r.indicators[ind.key];
      return v?.target !== undefined ? [{ r, v }] : [];
    });
    if (!rows.length) return [];
    const target = t.scope[ind.key] ?? null;
    const below = rows
      .filter(({ v }) => v.belowTarget && v.ratio !== null)
      .map(({ r, v }) => ({ unitCode: r.unitCode, unitName: r.unitName, ratio: v.ratio!, target: v.target! }))
      .sort((a, b) => b.target - b.ratio - (a.target - a.ratio) || a.unitCode.localeCompare(b.unitCode));
    return [{
      key: ind.key, target, ownTargets: rows.filter(({ v }) => v.target !== target).length, withTarget: rows.length,
      below: below.length, units: below.slice(0, limit), more: Math.max(0, below.length - limit)
    }];
  });
}

export { NotFoundError };

/** Without parameters: an officer's own unit (else the home unit), the reporting month holding today. */
export async function briefingDefaults(sql: Sql, principal: Principal): Promise<BriefingQuery> {
  const own = principal.kind === 'user' && principal.user.role === 'officer' ? principal.user.unitCode : null;
  return { scope: own ?? (await rootUnitCode(sql)), period: BRIEFING_DEFAULT_PERIOD, date: today() };
}

/**
 * The unit a briefing is of, as it stood at the period's end; refused in words (404) when the code is
 * unknown or the unit has no units under it to rank then (a commune of the two-tier map).
 */
export async function briefingScope(sql: Sql, query: BriefingQuery, locale: Locale): Promise<{ ok: true; unit: UnitInfo } | { ok: false; status: 404; message: string }> {
  const unit = await readUnit(sql, query.scope, periodOf(query.period, query.date).end);
  if (!unit) return { ok: false, status: 404, message: m.brief_unknown_scope({ scope: query.scope }, { locale }) };
  if (!unit.hasChildren) return { ok: false, status: 404, message: m.brief_no_children({ scope: unit.name }, { locale }) };
  return { ok: true, unit };
}

/** The briefing of a query; NotFoundError when the scope is unknown or has no children to rank then. */
export async function readBriefing(sql: Sql, query: BriefingQuery, now = new Date()): Promise<Briefing> {
  const period = periodOf(query.period, query.date);
  const scope = await readUnit(sql, query.scope, period.end);
  if (!scope) throw new NotFoundError(`no unit with code ${query.scope}`);
  const boardQuery = { ...query, scheme: DEFAULT_SCHEME_KEY };
  const [board, history, comparisons, sources, lateness, parentBoard] = await Promise.all([
    readBoard(sql, boardQuery, now),
    readKpiHistory(sql, boardQuery),
    readKpiComparisons(sql, boardQuery, today(now)),
    readSourceHealthForUnit(sql, scope.code, now),
    readLateAndCorrected(sql, scope.code, period),
    scope.parent ? readBoard(sql, { ...boardQuery, scope: scope.parent.code }, now).catch((e) => (e instanceof NotFoundError ? null : Promise.reject(e))) : null
  ]);
  const ownRow = parentBoard?.rows.find((r) => r.unitCode === scope.code) ?? null;
  const own = ownRow && scope.parent
    ? { row: ownRow, parentName: scope.parent.name, ranked: parentBoard!.rows.filter((r) => r.unitLevel === ownRow.unitLevel && r.rank !== null).length }
    : null;
  const groups = board.groups.map((g, i): BriefingGroup => {
    const rows = board.rows.filter((r) => r.unitLevel === g.level);
    const ranked = rows.filter((r) => r.rank !== null).sort((a, b) => b.rank! - a.rank! || a.unitCode.localeCompare(b.unitCode));
    return {
      level: g.level,
      movers: biggestMovers(rows, i === 0 ? MOVERS_MAIN : MOVERS_OTHER),
      weakest: ranked.slice(0, WEAKEST_PER_GROUP).map((row) => ({ row, gaps: unitGaps(board, row.unitCode)! }))
    };
  });
  return {
    query, scope, board, history, kpiBase: comparisons.base, kpiLastYear: comparisons.lastYear, own, groups,
    lateSources: sources.filter((s) => s.status !== 'ok' || s.stale || s.missedDeadline),
    sourceCount: sources.length,
    lateFigures: Object.values(lateness).filter((a) => a.late + a.corrected > 0),
    belowTarget: belowTargetOf(board),
    belowTargetByIndicator: belowTargetByIndicator(board)
  };
}
