/**
 * What it would take a unit to move up: the gap to the next rank and to the next rating band, in
 * points of the total and in concrete counts of each indicator's numerator. Pure and structure only:
 * the unit page calls it on a board row and words it with src/lib/i18n/gaps.ts ("Cần thêm 1,40 điểm
 * để lên hạng 2 (Huyện B): 6 hồ sơ đúng hạn nữa, …"); the unit tests check it by hand-worked cases.
 *
 * How a count becomes points mirrors the workers (src/lib/server/ranking/rankings.ts `scoreBoard`) exactly:
 * - each indicator earns `points(ratio, max, saturation)` = max × min(1, ratio / saturation), two decimals;
 * - the total is Σ points of the indicators that apply (denominator > 0) scaled to the scheme's
 *   maximum: round2(earned × schemeMax / applicableMax). So one more point earned on an indicator
 *   is worth schemeMax / applicableMax points of the total when some indicator does not apply;
 *   the counts below are found by recomputing the total, never by assuming 1 point = 1 point.
 *
 * What "one more unit of the numerator" means (the denominator is held fixed unless said otherwise):
 * - dossier.on_time: one more of the dossiers received this period resolved (or pending) on time;
 *   received stays the same. dossier.online / digitized / paid_online: one more of the same dossiers
 *   received online, digitised, paid online (the numerator is a part of an unchanged whole).
 * - eid.activation: one more of the level-2 accounts already collected is activated.
 * - payment.cashless: one more of the current recipients is paid into an account.
 * - task.completed = completed / (completed + open overdue): completing an open overdue task moves it
 *   from "open overdue" to "completed", so the denominator stays the same (and at most
 *   `denominator − numerator` such tasks exist).
 * - task.on_time = completed on time / completed: a late completion cannot become an on-time one, so
 *   one more on-time completion is a new completion: numerator and denominator both grow by one
 *   (DENOMINATOR_GROWS). Its ratio approaches 100 % but never exceeds it.
 * An indicator that does not apply (denominator 0) is left out: it earns nothing now, and counting
 * on it would change which indicators the total is scaled over. A published score (the 766 online
 * group) has no counts to add. A summed total (Board.totalRule 'sum', the 766 index) moves by the
 * points an indicator gains, one for one.
 */
import type { Board, BoardRow, IndicatorMeta, IndicatorValue, NotRanked } from './board.ts';
import { bandOf } from './bands.ts';
import { points as pointsOf } from './ratio.ts';

/** Indicators whose numerator can only grow by new items, which join the denominator too. */
export const DENOMINATOR_GROWS: ReadonlySet<string> = new Set(['task.on_time']);

export interface GapOption {
  /** The indicator (its key in the board's indicators). */
  key: string;
  /** More units of the indicator's numerator (whole units, rounded up). */
  count: number;
  /** The unit's total after them (the other indicators unchanged, or as the combination says). */
  totalAfter: number;
}

export interface Gap {
  kind: 'rank' | 'band';
  /** The rank to reach (rank gap only). */
  targetRank: number | null;
  /** The units holding that rank (several when tied). */
  targetUnits: { code: string; name: string }[];
  /** The band to reach (band gap only). */
  targetBand: string | null;
  /** The total to reach: the total of the next rank, or the band's minimum. */
  targetTotal: number;
  /** Points of the total still missing, two decimals. */
  points: number;
  /** Indicators that close the gap on their own, fewest units first. */
  alone: GapOption[];
  /** When none closes it alone: the one that comes closest, filled to its maximum. */
  closest: GapOption | null;
  /**
   * When none closes it alone: indicators filled one after another, the one with the most points
   * to gain first (so the fewest indicators are involved), the last only as far as needed.
   * null when even every indicator at its maximum falls short.
   */
  combination: GapOption[] | null;
}

export interface UnitGaps {
  unitCode: string;
  rank: Gap | null;
  band: Gap | null;
  /** Why there is no rank gap: in the lead alone, tied for rank 1, or not ranked. */
  rankNote: 'leading' | 'tied_first' | 'not_ranked' | null;
  /** Why there is no band gap: already in the best band, or not ranked. */
  bandNote: 'best' | 'not_ranked' | null;
  /** The band the unit is in (as the scheme names it); null when not ranked or below every band. */
  currentBand: string | null;
  /** Why it is not ranked (rankNote not_ranked). */
  notRanked: NotRanked | null;
}
const EPS = 1e-9;
const round2 = (v: number) => Math.round(v * 100) / 100;

/** One indicator a count could move: its value now and how its points respond to x more units. */
interface Lever {
  meta: IndicatorMeta;
  /** Points after x more units of the numerator. */
  pointsAfter: (x: number) => number;
  /** The largest x worth trying (beyond it the points cannot grow). */
  limit: number;
}

function leverOf(meta: IndicatorMeta, v: IndicatorValue): Lever | null {
  const { numerator: n, denominator: d, points: p } = v;
  // Not applicable (denominator 0) or no data: nothing a count could add (see the header).
  if (n === null || d === null || p === null || !(d > 0)) return null;
  if (p >= meta.maxPoints - EPS) return null; // already at its maximum
  const grows = DENOMINATOR_GROWS.has(meta.key);
  const pointsAfter = (x: number) => pointsOf(grows ? (n + x) / (d + x) : (n + x) / d, meta.maxPoints, meta.saturation)!;
  let limit: number;
  if (grows) {
    // (n + x) / (d + x) ≥ 1 − ε reaches the maximum after rounding to 0.01 points (ε = 0.004 / max).
    const eps = 0.004 / meta.maxPoints;
    limit = Math.ceil(Math.max(0, (1 - eps) * d - n) / eps) + 1;
  } else {
    // The whole is fixed: at most every remaining item of it can join the numerator.
    limit = Math.floor(d - n + EPS);
  }
  if (limit < 1 || pointsAfter(limit) <= p + EPS) return null;
  return { meta, pointsAfter, limit };
}

/** The smallest x in [1, hi] with ok(x), for ok monotone in x; null when ok(hi) is false. */
function smallest(hi: number, ok: (x: number) => boolean): number | null {
  if (!ok(hi)) return null;
  let lo = 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface Scorer {
  levers: Lever[];
  /** The total with some indicators' points replaced, computed as the workers compute it. */
  totalWith: (changed: ReadonlyMap<string, number>) => number;
}

function scorerOf(board: Board, row: BoardRow): Scorer {
  const levers = () => board.indicators.map((m) => (row.indicators[m.key] ? leverOf(m, row.indicators[m.key]!) : null)).filter((l): l is Lever => l !== null);
  if (board.totalRule === 'sum') {
    // A summed total (the 766 index): every point earned is a point of the total, whatever the basis
    // the board ranks on (the portal's total moves by what its formula gives, which ours mirrors).
    const totalWith = (changed: ReadonlyMap<string, number>) => {
      let delta = 0;
      for (const [key, pts] of changed) delta += pts - (row.indicators[key]?.points ?? 0);
      return round2(row.total! + delta);
    };
    return { levers: levers(), totalWith };
  }
  const schemeMax = board.indicators.reduce((s, i) => s + i.maxPoints, 0);
  const applicable = board.indicators.filter((i) => row.indicators[i.key]?.points !== null && row.indicators[i.key]?.points !== undefined);
  const applicableMax = applicable.reduce((s, i) => s + i.maxPoints, 0);
  const totalWith = (changed: ReadonlyMap<string, number>) => {
    let earned = 0;
    for (const i of applicable) earned += changed.get(i.key) ?? row.indicators[i.key]!.points!;
    return round2((earned * schemeMax) / applicableMax);
  };
  return { levers: levers(), totalWith };
}

const option = (l: Lever, count: number, totalAfter: number): GapOption => ({ key: l.meta.key, count, totalAfter });

/** The counts that would bring the total to `target`: alone, or else the closest and a combination. */
function countsTo(s: Scorer, target: number): Pick<Gap, 'alone' | 'closest' | 'combination'> {
  const reaches = (t: number) => t >= target - EPS;
  const alone: GapOption[] = [];
  const maxed: { lever: Lever; count: number; points: number; total: number }[] = [];
  for (const l of s.levers) {
    const totalAt = (x: number) => s.totalWith(new Map([[l.meta.key, l.pointsAfter(x)]]));
    const x = smallest(l.limit, (k) => reaches(totalAt(k)));
    if (x !== null) {
      alone.push(option(l, x, totalAt(x)));
      continue;
    }
    // Its maximum: the fewest units that earn the most this indicator can earn.
    const best = l.pointsAfter(l.limit);
    const count = smallest(l.limit, (k) => l.pointsAfter(k) >= best - EPS)!;
    maxed.push({ lever: l, count, points: best, total: totalAt(count) });
  }
  alone.sort((a, b) => a.count - b.count || a.key.localeCompare(b.key));
  if (alone.length) return { alone, closest: null, combination: null };
  if (!maxed.length) return { alone, closest: null, combination: null };

  // No single indicator is enough. Keep it simple: fill the indicators with the most to gain first
  // (so the fewest are involved), each to its maximum, and the last only as far as needed.
  maxed.sort((a, b) => b.total - a.total || a.lever.meta.key.localeCompare(b.lever.meta.key));
  const closest = option(maxed[0]!.lever, maxed[0]!.count, maxed[0]!.total);
  const fixed = new Map<string, number>();
  const combination: GapOption[] = [];
  for (const m of maxed) {
    const totalAt = (x: number) => s.totalWith(new Map([...fixed, [m.lever.meta.key, m.lever.pointsAfter(x)]]));
    const x = smallest(m.count, (k) => reaches(totalAt(k)));
    if (x !== null) {
      combination.push(option(m.lever, x, totalAt(x)));
      // Each option's totalAfter is the total with this and every earlier part of the combination.
      return { alone, closest, combination };
    }
    fixed.set(m.lever.meta.key, m.points);
    combination.push(option(m.lever, m.count, totalAt(m.count)));
  }
  return { alone, closest, combination: null };
}

/**
 * The gaps of one row of a board: to the next rank (the total of the nearest row of its group ranked
 * above it; ties share a rank, so reaching that total shares it) and to the next better band (its minimum).
 * null when the unit is not on the board.
 */
export function unitGaps(board: Board, unitCode: string): UnitGaps | null {
  const row = board.rows.find((r) => r.unitCode === unitCode);
  if (!row) return null;
  if (row.rank === null || row.total === null) {
    return { unitCode, rank: null, band: null, rankNote: 'not_ranked', bandNote: 'not_ranked', currentBand: null, notRanked: row.notRanked };
  }
  const scorer = scorerOf(board, row);
  const total = row.total;
  const gapTo = (kind: Gap['kind'], targetTotal: number, extra: Partial<Gap>): Gap => ({
    kind, targetRank: null, targetUnits: [], targetBand: null, targetTotal, points: round2(targetTotal - total), ...countsTo(scorer, targetTotal), ...extra
  });

  let rank: Gap | null = null;
  let rankNote: UnitGaps['rankNote'] = null;
  // Ranks are within the unit's group (a city's communes, its departments): the next rank is of its own group.
  const group = board.rows.filter((r) => r.unitLevel === row.unitLevel);
  const above = group.filter((r) => r.rank !== null && r.total !== null && r.rank < row.rank!);
  if (!above.length) {
    rankNote = group.filter((r) => r.rank === row.rank).length > 1 ? 'tied_first' : 'leading';
  } else {
    const nextRank = Math.max(...above.map((r) => r.rank!));
    const holders = above.filter((r) => r.rank === nextRank);
    rank = gapTo('rank', holders[0]!.total!, {
      targetRank: nextRank,
      targetUnits: holders.map((r) => ({ code: r.unitCode, name: r.unitName }))
    });
  }

  let band: Gap | null = null;
  let bandNote: UnitGaps['bandNote'] = null;
  const bands = [...board.bands].sort((a, b) => b.min - a.min);
  const current = row.band ?? bandOf(total, bands);
  const index = bands.findIndex((b) => b.name === current);
  const better = index > 0 ? bands[index - 1]! : index === -1 ? ([...bands].reverse().find((b) => b.min > total) ?? null) : null;
  if (!better) bandNote = 'best';
  else band = gapTo('band', better.min, { targetBand: better.name });

  return { unitCode, rank, band, rankNote, bandNote, currentBand: current ?? null, notRanked: null };
}

/**
 * What an officer should look at first (the top of the unit page): its weakest indicator against
 * its group, and the one indicator that would lift its total most.
 * - weakest: the indicator it ranks worst on among the ranked units of its group (ties: the one
 *   with the smaller share of its points earned; then the scheme's order). Only indicators it is
 *   ranked on count; null when it is ranked on none.
 * - lift: of the indicators a count can move (see the header), the one that adds most to the total
 *   when filled to its maximum, with the fewest units that do it, the total after them and the rank
 *   that total would hold in its group today (the others unchanged). null when nothing can move.
 * Both null when the unit is not ranked on the board.
 */
export interface UnitFocus {
  unitCode: string;
  weakest: { key: string; rank: number; ranked: number; points: number; maxPoints: number } | null;
  lift: { key: string; count: number; gain: number; totalAfter: number; rankAfter: number } | null;
}

export function unitFocus(board: Board, unitCode: string): UnitFocus | null {
  const row = board.rows.find((r) => r.unitCode === unitCode);
  if (!row) return null;
  if (row.rank === null || row.total === null) return { unitCode, weakest: null, lift: null };
  const group = board.rows.filter((r) => r.unitLevel === row.unitLevel);

  let weakest: UnitFocus['weakest'] = null;
  let weakestShare = Infinity;
  for (const meta of board.indicators) {
    const v = row.indicators[meta.key];
    if (!v || v.rank === null || v.points === null) continue;
    const ranked = group.filter((r) => r.indicators[meta.key]?.rank !== null && r.indicators[meta.key]?.rank !== undefined).length;
    const share = meta.maxPoints > 0 ? v.points / meta.maxPoints : 1;
    // Worst relative standing first: its rank as a share of the ranked (rank 5/5 is weaker than 5/126).
    const place = v.rank / Math.max(1, ranked);
    const worst = weakest ? weakest.rank / Math.max(1, weakest.ranked) : -1;
    if (place > worst + EPS || (Math.abs(place - worst) <= EPS && share < weakestShare - EPS)) {
      weakest = { key: meta.key, rank: v.rank, ranked, points: v.points, maxPoints: meta.maxPoints };
      weakestShare = share;
    }
  }

  const scorer = scorerOf(board, row);
  let lift: UnitFocus['lift'] = null;
  for (const l of scorer.levers) {
    const best = l.pointsAfter(l.limit);
    const count = smallest(l.limit, (k) => l.pointsAfter(k) >= best - EPS)!;
    const totalAfter = scorer.totalWith(new Map([[l.meta.key, l.pointsAfter(count)]]));
    const gain = round2(totalAfter - row.total);
    if (gain <= EPS) continue;
    if (!lift || gain > lift.gain + EPS || (Math.abs(gain - lift.gain) <= EPS && count < lift.count)) {
      const rankAfter = 1 + group.filter((r) => r.unitCode !== unitCode && r.rank !== null && r.total !== null && r.total > totalAfter + EPS).length;
      lift = { key: l.meta.key, count, gain, totalAfter, rankAfter };
    }
  }
  return { unitCode, weakest, lift };
}
