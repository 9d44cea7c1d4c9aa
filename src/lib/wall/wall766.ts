/**
 * The wall's 766 scene ("Chỉ số 766") as structure: the province's total and six groups with the
 * month's change, the best and weakest units of each level, and the province's weakest
 * sub-indicators with the units weighing most on them. Pure, so it is unit-tested on hand-worked
 * boards; the scene (src/lib/components/wall/Wall766.svelte) words and lays it out.
 *
 * Choices written down here, once:
 * - A group's value is the board's basis: the portal's published score (the default), ours on the
 *   recomputed basis; a group the portal did not publish for the province falls back to ours. The
 *   online group is always the portal's ("theo công bố của Cổng DVCQG").
 * - "Weakest" sub-indicators are where the province loses the most points of the 100 (maximum −
 *   points), ties broken by the lower share of the maximum: what holds the total back most. Only
 *   those scored from counts qualify (a published score, such as the online group's, has no count a
 *   unit could add), and only those that apply (denominator above 0) and miss points.
 * - A unit weighs on a sub-indicator by its shortfall in counts: how many more of the numerator it
 *   needs for full points (the saturation ratio of its own denominator, rounded up), the same counts
 *   the unit page's gaps speak of; the units with the largest shortfall first.
 */
import type { Board, BoardRow, GroupValue, IndicatorMeta, IndicatorValue, ScopeScore } from '#domain/board';
import { bandIndex, bandOf } from '#domain/bands';
import { periodOf, previousPeriod } from '#domain/periods';

/** The scheme the scene shows. */
export const WALL_766_SCHEME = 'national_766';

const EPS = 1e-9;
const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Whether a 766 board holds what the portal published: the province's own total, or any unit's.
 * The month is "published" once the portal scores it (the current month has nothing until a few
 * days after it ends).
 */
export function hasPublished(board: Pick<Board, 'scopeScore' | 'rows'>): boolean {
  return board.scopeScore?.totalPublished != null || board.rows.some((r) => r.totalPublished !== null);
}

/** A group's value on the board's basis: ours on the recomputed basis; else the portal's (ours when it published none). */
export function groupValue(g: GroupValue | undefined, basis: Board['basis']): number | null {
  if (!g) return null;
  if (basis === 'recomputed') return g.points;
  return g.published ?? g.points;
}

export interface GroupBar {
  key: string;
  nameVi: string;
  maxPoints: number;
  publishedOnly: boolean;
  /** Points on the board's basis; null: nothing for the province in this group. */
  value: number | null;
  /** value / maxPoints, 0..1 (null with value). */
  share: number | null;
  /** Points since the previous month (two decimals); null when either month has no value. */
  change: number | null;
}

export interface Headline {
  total: number | null;
  maxPoints: number;
  band: string | null;
  /** The band's place, best first (0: the best), for its colour; null without a band. */
  bandTone: number | null;
  previousTotal: number | null;
  /** Points since the previous month; null without both totals. */
  change: number | null;
  groups: GroupBar[];
}

/** The province's headline: its total of 100 with its band, and its six groups, each against the previous month. */
export function headline766(board: Pick<Board, 'scopeScore' | 'schemeGroups' | 'basis' | 'bands' | 'indicators'>, previous: ScopeScore | null): Headline {
  const score = board.scopeScore;
  const total = score?.total ?? null;
  const previousTotal = previous?.total ?? null;
  const band = bandOf(total, board.bands);
  const maxPoints = board.schemeGroups.length ? board.schemeGroups.reduce((s, g) => s + g.maxPoints, 0) : board.indicators.reduce((s, i) => s + i.maxPoints, 0);
  const groups = board.schemeGroups.map((g): GroupBar => {
    const value = groupValue(score?.groups[g.key], board.basis);
    const before = previous ? groupValue(previous.groups[g.key], board.basis) : null;
    return {
      key: g.key, nameVi: g.nameVi, maxPoints: g.maxPoints, publishedOnly: g.publishedOnly, value,
      share: value === null || !(g.maxPoints > 0) ? null : Math.min(1, Math.max(0, value / g.maxPoints)),
      change: value === null || before === null ? null : round2(value - before)
    };
  });
  return {
    total, maxPoints, band, bandTone: bandIndex(band, board.bands), previousTotal,
    change: total === null || previousTotal === null ? null : round2(total - previousTotal), groups
  };
}

/**
 * The best and the weakest ranked units of one level, `n` of each, never the same unit twice (a
 * level of 7 ranked: 4 best, 3 weakest). The best by rank; the weakest from the last up.
 */
export function bestAndWeakest<R extends BoardRow>(board: { rows: readonly R[] }, level: string, n: number): { best: R[]; weakest: R[]; ranked: number; count: number } {
  const ofLevel = board.rows.filter((r) => r.unitLevel === level);
  const ranked = ofLevel.filter((r) => r.rank !== null && r.total !== null).sort((a, b) => a.rank! - b.rank! || a.unitCode.localeCompare(b.unitCode));
  const bestCount = Math.min(n, Math.ceil(ranked.length / 2));
  const best = ranked.slice(0, bestCount);
  const weakest = ranked.slice(bestCount).reverse().slice(0, n);
  return { best, weakest, ranked: ranked.length, count: ofLevel.length };
}

/**
 * How many more of the numerator a value needs for full points: ⌈saturation × denominator −
 * numerator⌉, at least 0; null when it cannot be said in counts (no data, nothing to count on:
 * denominator 0, or a published score).
 */
export function shortfall(meta: Pick<IndicatorMeta, 'saturation' | 'published'>, v: IndicatorValue | undefined): number | null {
  if (!v || meta.published) return null;
  const { numerator: n, denominator: d } = v;
  if (n === null || d === null || !(d > 0)) return null;
  return Math.max(0, Math.ceil(meta.saturation * d - n - EPS));
}

export interface WeakUnit {
  code: string;
  name: string;
  level: string;
  shortfall: number;
  points: number | null;
}

export interface WeakIndicator {
  meta: IndicatorMeta;
  points: number;
  /** Points missing to the maximum. */
  lost: number;
  /** The province's own shortfall in counts (its own row's counts); null when it cannot be said. */
  shortfall: number | null;
  /** The units with the largest shortfall, largest first. */
  units: WeakUnit[];
}

/** The province's `count` weakest sub-indicators (see the header), each with its `unitCount` units weighing most. */
export function weakestIndicators(board: Pick<Board, 'scopeScore' | 'indicators' | 'rows'>, count = 2, unitCount = 3): WeakIndicator[] {
  const own = board.scopeScore?.indicators;
  if (!own) return [];
  const candidates = board.indicators.flatMap((meta) => {
    const v = own[meta.key];
    if (meta.published || !v || v.points === null || v.denominator === null || !(v.denominator > 0)) return [];
    const lost = round2(meta.maxPoints - v.points);
    if (!(lost > EPS)) return [];
    return [{ meta, v, lost, share: meta.maxPoints > 0 ? v.points / meta.maxPoints : 1 }];
  });
  candidates.sort((a, b) => b.lost - a.lost || a.share - b.share || a.meta.key.localeCompare(b.meta.key));
  return candidates.slice(0, count).map(({ meta, v, lost }) => {
    const units = board.rows
      .flatMap((r): WeakUnit[] => {
        const gap = shortfall(meta, r.indicators[meta.key]);
        return gap && gap > 0 ? [{ code: r.unitCode, name: r.unitName, level: r.unitLevel, shortfall: gap, points: r.indicators[meta.key]?.points ?? null }] : [];
      })
      .sort((a, b) => b.shortfall - a.shortfall || a.code.localeCompare(b.code))
      .slice(0, unitCount);
    return { meta, points: v.points!, lost, shortfall: shortfall(meta, v), units };
  });
}

/**
 * The months of the scene: the one shown (the newest the portal published), the one before it (for
 * the change), and those after it up to today's, which the portal has not published yet (first
 * days of a month: the month just ended too). Month starts, YYYY-MM-DD.
 */
export function months766(shownStart: string | null, today: string): { shown: string | null; previous: string | null; pending: string[] } {
  const current = periodOf('month', today).start;
  if (shownStart === null) return { shown: null, previous: null, pending: [current] };
  const pending: string[] = [];
  for (let p = periodOf('month', current); p.start > shownStart && pending.length < 24; p = previousPeriod(p)) pending.unshift(p.start);
  return { shown: shownStart, previous: previousPeriod(periodOf('month', shownStart)).start, pending };
}
