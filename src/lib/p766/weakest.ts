/**
 * Where the province loses most on the 766 index (issue 13, item 6): the sub-indicators where the
 * province earns the smallest share of their maximum, each with the units that weigh most on it — the
 * largest shortfall in counts, the numerator still needed for full points (denominator − numerator
 * where full points come at 100 %; ⌈saturation × denominator⌉ − numerator where they come earlier).
 * Pure: the overview (and the wall, if it wants) calls it on a board.
 */
import type { Board, BoardRow, IndicatorMeta, IndicatorValue } from '#domain/board';

/**
 * More units of the numerator that would earn the indicator its full points (the denominator held),
 * 0 when it has them; null where counts cannot say (a published score, no data, no denominator).
 */
export function shortfallOf(meta: Pick<IndicatorMeta, 'published' | 'saturation' | 'maxPoints'>, value: IndicatorValue | undefined): number | null {
  if (meta.published || !value) return null;
  const { numerator: n, denominator: d } = value;
  if (n === null || d === null || !(d > 0)) return null;
  // 1e-9: 0.8 × 1000 is 800.0000000000001 in floating point, and needs 800, not 801.
  return Math.max(0, Math.ceil(meta.saturation * d - n - 1e-9));
}

export interface WeakUnit {
  code: string;
  name: string;
  level: string;
  shortfall: number;
  value: IndicatorValue;
}

export interface WeakIndicator {
  meta: IndicatorMeta;
  /** The province's own value (its row on the portal). */
  value: IndicatorValue;
  /** points / maxPoints, 0..1 */
  share: number;
  /** maxPoints − points */
  lost: number;
  /** The province's own shortfall in counts (null when its counts cannot say). */
  shortfall: number | null;
  /** The units with the largest shortfall, largest first. */
  units: WeakUnit[];
}

/**
 * The `count` (5) sub-indicators where the province's share of the maximum is smallest (below 100 %),
 * a tie broken by the points lost then the scheme's order; each with the `perIndicator` (3) units
 * of the board with the largest shortfall (ties by code). Published scores (online services,
 * certified copies) and sub-indicators that do not apply (no points) are left out: no count moves them.
 */
export function weakestIndicators(
  board: Pick<Board, 'indicators' | 'rows' | 'scopeScore'>,
  options: { count?: number; perIndicator?: number } = {}
): WeakIndicator[] {
  const scope = board.scopeScore;
  if (!scope) return [];
  const candidates = board.indicators
    .map((meta, order) => ({ meta, order, value: scope.indicators[meta.key] }))
    .filter((c): c is { meta: IndicatorMeta; order: number; value: IndicatorValue } =>
      !c.meta.published && c.meta.maxPoints > 0 && !!c.value && c.value.points !== null && (c.value.denominator ?? 0) > 0 && c.value.points < c.meta.maxPoints
    )
    .map((c) => ({ ...c, share: c.value.points! / c.meta.maxPoints, lost: Math.round((c.meta.maxPoints - c.value.points!) * 100) / 100 }));
  candidates.sort((a, b) => a.share - b.share || b.lost - a.lost || a.order - b.order);
  return candidates.slice(0, options.count ?? 5).map((c) => ({
    meta: c.meta,
    value: c.value,
    share: c.share,
    lost: c.lost,
    shortfall: shortfallOf(c.meta, c.value),
    units: heaviest(board.rows, c.meta, options.perIndicator ?? 3)
  }));
}

function heaviest(rows: readonly BoardRow[], meta: IndicatorMeta, count: number): WeakUnit[] {
  return rows
    .map((r) => ({ code: r.unitCode, name: r.unitName, level: r.unitLevel, value: r.indicators[meta.key]!, shortfall: shortfallOf(meta, r.indicators[meta.key]) }))
    .filter((u): u is WeakUnit => u.shortfall !== null && u.shortfall > 0)
    .sort((a, b) => b.shortfall - a.shortfall || a.code.localeCompare(b.code))
    .slice(0, count);
}
