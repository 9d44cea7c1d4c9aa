/**
 * What it would take a unit to move up: the gap to the next rank and to the next rating band, in
 * points of the total and in concrete counts ("12 hồ sơ đúng hạn nữa"). Pure: the unit page calls it
 * on a board row, the unit tests check it by hand-worked cases.
 *
 * How a count becomes points mirrors the workers (workers/rankings.ts `scoreBoard`) exactly:
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
 * on it would change which indicators the total is scaled over.
 */
import type { Board, BoardRow, IndicatorMeta, IndicatorValue } from './board.ts';
import { bandOf } from './bands.ts';
import type { SentenceLocale } from './explain.ts';
import { points as pointsOf } from './ratio.ts';

/** Indicators whose numerator can only grow by new items, which join the denominator too. */
export const DENOMINATOR_GROWS: ReadonlySet<string> = new Set(['task.on_time']);

export interface GapOption {
  key: string;
  nameVi: string;
  numeratorNounVi: string;
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
  sentence: string;
}

export interface UnitGaps {
  unitCode: string;
  rank: Gap | null;
  band: Gap | null;
  /** Why there is no rank gap: leading, or not ranked. */
  rankNote: string | null;
  /** Why there is no band gap: already in the best band, or not ranked. */
  bandNote: string | null;
  /** Every line to show, rank first. */
  sentences: string[];
}

const pointsFmt = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const countFmt = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
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
  const schemeMax = board.indicators.reduce((s, i) => s + i.maxPoints, 0);
  const applicable = board.indicators.filter((i) => row.indicators[i.key]?.points !== null && row.indicators[i.key]?.points !== undefined);
  const applicableMax = applicable.reduce((s, i) => s + i.maxPoints, 0);
  const totalWith = (changed: ReadonlyMap<string, number>) => {
    let earned = 0;
    for (const i of applicable) earned += changed.get(i.key) ?? row.indicators[i.key]!.points!;
    return round2((earned * schemeMax) / applicableMax);
  };
  const levers = board.indicators.map((m) => (row.indicators[m.key] ? leverOf(m, row.indicators[m.key]!) : null)).filter((l): l is Lever => l !== null);
  return { levers, totalWith };
}

const option = (l: Lever, count: number, totalAfter: number): GapOption => ({
  key: l.meta.key, nameVi: l.meta.nameVi, numeratorNounVi: l.meta.numeratorNounVi, count, totalAfter
});

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
 * What one more unit of a built-in indicator's numerator is called in English (singular, plural):
 * the DTO carries the Vietnamese noun only. An indicator not listed here is named by its nameEn.
 */
const NUMERATOR_NOUNS_EN: Record<string, [string, string]> = {
  'dossier.on_time': ['dossier on time', 'dossiers on time'],
  'dossier.online': ['dossier submitted online', 'dossiers submitted online'],
  'dossier.digitized': ['digitised dossier', 'digitised dossiers'],
  'dossier.paid_online': ['dossier paid online', 'dossiers paid online'],
  'eid.activation': ['activated account', 'activated accounts'],
  'payment.cashless': ['recipient paid into an account', 'recipients paid into an account'],
  'task.completed': ['completed task', 'completed tasks'],
  'task.on_time': ['task completed on time', 'tasks completed on time']
};

/** What an indicator's numerator counts, in a language: "hồ sơ đúng hạn" / "dossiers on time" (null: English has no noun for it). */
export function numeratorNoun(meta: { key: string; numeratorNounVi: string }, locale: SentenceLocale, count = 2): string | null {
  if (locale === 'vi') return meta.numeratorNounVi;
  const en = Object.hasOwn(NUMERATOR_NOUNS_EN, meta.key) ? NUMERATOR_NOUNS_EN[meta.key]! : null;
  return en ? en[count === 1 ? 0 : 1] : null;
}

/** The words of the gap sentences, per language (numbers stay vi-VN in both: the issue asks for vi-VN formats). */
interface Words {
  /** "a", "a và b", "a, b và c" / "a", "a and b", "a, b and c". */
  list: (items: string[]) => string;
  /** "12 hồ sơ đúng hạn nữa" / "12 more dossiers on time". */
  more: (o: GapOption, nameEn: string) => string;
  alone: (options: string[]) => string;
  combination: (options: string[]) => string;
  closest: (option: string, totalAfter: string) => string;
  none: string;
  others: (first: string, count: number) => string;
  needs: (points: string, head: string, counts: string) => string;
  toRank: (rank: number, names: string) => string;
  toBand: (band: string) => string;
  unranked: (reason: string | null) => string;
  tiedFirst: string;
  leading: string;
  best: (band: string | null) => string;
}

const list = (and: string) => (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`);

const WORDS: Record<SentenceLocale, Words> = {
  vi: {
    list: list('và'),
    more: (o) => `${countFmt.format(o.count)} ${o.numeratorNounVi}`,
    alone: (options) => options.map((o) => `${o} nữa`).join(', hoặc '),
    combination: (options) => `không chỉ số nào đủ một mình; cần cả ${list('và')(options)} nữa`,
    closest: (option, totalAfter) => `chưa đủ kể cả khi mọi chỉ số đạt tối đa; gần nhất: ${option} nữa (tổng ${totalAfter})`,
    none: 'không chỉ số nào còn dư địa để tăng điểm trong kỳ này',
    others: (first, count) => `${first} và ${count} đơn vị khác`,
    needs: (points, head, counts) => `Cần thêm ${points} điểm để ${head}: ${counts}`,
    toRank: (rank, names) => `lên hạng ${rank} (${names})`,
    toBand: (band) => `đạt mức ${band}`,
    unranked: (reason) => `Chưa xếp hạng${reason ? ` (${reason})` : ''}: chưa tính được khoảng cách`,
    tiedFirst: 'Đang đồng hạng 1',
    leading: 'Đang dẫn đầu (hạng 1)',
    best: (band) => `Đã ở mức cao nhất${band ? ` (${band})` : ''}`
  },
  en: {
    list: list('and'),
    more: (o, nameEn) => {
      const noun = numeratorNoun({ key: o.key, numeratorNounVi: o.numeratorNounVi }, 'en', o.count);
      return noun ? `${countFmt.format(o.count)} more ${noun}` : `${countFmt.format(o.count)} more (${nameEn})`;
    },
    alone: (options) => options.join(', or '),
    combination: (options) => `no indicator is enough on its own; it takes ${list('and')(options)}`,
    closest: (option, totalAfter) => `not enough even with every indicator at its maximum; closest: ${option} (total ${totalAfter})`,
    none: 'no indicator has room left to earn points this period',
    others: (first, count) => `${first} and ${count} other ${count === 1 ? 'unit' : 'units'}`,
    needs: (points, head, counts) => `Needs ${points} more points to ${head}: ${counts}`,
    toRank: (rank, names) => `reach rank ${rank} (${names})`,
    toBand: (band) => `reach ${band}`,
    unranked: (reason) => `Not ranked${reason ? ` (${reason})` : ''}: no gap can be worked out yet`,
    tiedFirst: 'Tied for rank 1',
    leading: 'In the lead (rank 1)',
    best: (band) => `Already in the best band${band ? ` (${band})` : ''}`
  }
};

function countsSentence(c: Pick<Gap, 'alone' | 'closest' | 'combination'>, maxOptions: number, w: Words, nameEn: (key: string) => string): string {
  const more = (o: GapOption) => w.more(o, nameEn(o.key));
  if (c.alone.length) return w.alone(c.alone.slice(0, maxOptions).map(more));
  if (c.combination) return w.combination(c.combination.map(more));
  if (c.closest) return w.closest(more(c.closest), pointsFmt.format(c.closest.totalAfter));
  return w.none;
}

function namesOf(rows: BoardRow[], w: Words): string {
  const names = rows.map((r) => r.unitName);
  return names.length <= 2 ? names.join(', ') : w.others(names[0]!, names.length - 1);
}

/**
 * The gaps of one row of a board: to the next rank (the total of the nearest row ranked above it;
 * ties share a rank, so reaching that total shares it) and to the next better band (its minimum).
 * null when the unit is not on the board.
 */
export function unitGaps(
  board: Board,
  unitCode: string,
  options: { maxOptions?: number; locale?: SentenceLocale; bandName?: (name: string) => string } = {}
): UnitGaps | null {
  const row = board.rows.find((r) => r.unitCode === unitCode);
  if (!row) return null;
  const maxOptions = options.maxOptions ?? 3;
  // The sentences in a language (Vietnamese unless asked); band names as the screens show them.
  const w = WORDS[options.locale ?? 'vi'];
  const bandName = options.bandName ?? ((name: string) => name);
  const nameEn = (key: string) => board.indicators.find((i) => i.key === key)?.nameEn ?? key;
  if (row.rank === null || row.total === null) {
    const note = w.unranked(row.notRankedReason);
    return { unitCode, rank: null, band: null, rankNote: note, bandNote: note, sentences: [note] };
  }
  const scorer = scorerOf(board, row);
  const total = row.total;
  const gapTo = (kind: Gap['kind'], targetTotal: number, head: string, extra: Partial<Gap>): Gap => {
    const counts = countsTo(scorer, targetTotal);
    const pts = round2(targetTotal - total);
    return {
      kind, targetRank: null, targetUnits: [], targetBand: null, targetTotal, points: pts, ...counts, ...extra,
      sentence: w.needs(pointsFmt.format(pts), head, countsSentence(counts, maxOptions, w, nameEn))
    };
  };

  let rank: Gap | null = null;
  let rankNote: string | null = null;
  const above = board.rows.filter((r) => r.rank !== null && r.total !== null && r.rank < row.rank!);
  if (!above.length) {
    const tied = board.rows.filter((r) => r.rank === row.rank).length > 1;
    rankNote = tied ? w.tiedFirst : w.leading;
  } else {
    const nextRank = Math.max(...above.map((r) => r.rank!));
    const holders = above.filter((r) => r.rank === nextRank);
    const targetTotal = holders[0]!.total!;
    rank = gapTo('rank', targetTotal, w.toRank(nextRank, namesOf(holders, w)), {
      targetRank: nextRank,
      targetUnits: holders.map((r) => ({ code: r.unitCode, name: r.unitName }))
    });
  }

  let band: Gap | null = null;
  let bandNote: string | null = null;
  const bands = [...board.bands].sort((a, b) => b.min - a.min);
  const current = row.band ?? bandOf(total, bands);
  const index = bands.findIndex((b) => b.name === current);
  const better = index > 0 ? bands[index - 1]! : index === -1 ? ([...bands].reverse().find((b) => b.min > total) ?? null) : null;
  if (!better) bandNote = w.best(current ? bandName(current) : null);
  else band = gapTo('band', better.min, w.toBand(bandName(better.name)), { targetBand: better.name });

  const sentences = [rank?.sentence ?? rankNote!, band?.sentence ?? bandNote!];
  return { unitCode, rank, band, rankNote, bandNote, sentences };
}
