import type { IndicatorDirection } from './catalogue.ts';

/**
 * Competition ranking ("1224"): equal scores share a rank and the next rank skips.
 * Units without a score (null) get no rank: they are shown as "not ranked", never last by zero.
 */
export function competitionRanks<T>(
  items: readonly T[],
  score: (item: T) => number | null,
  direction: IndicatorDirection = 'higher_is_better'
): Map<T, number | null> {
  // Compare on the rounded score so that 0.1 + 0.2 and 0.3 tie, as a person reading the board expects.
  const key = (v: number) => Math.round(v * 1e9) / 1e9;
  const scored = items
    .map((item) => ({ item, value: score(item) }))
    .filter((e): e is { item: T; value: number } => e.value !== null && Number.isFinite(e.value));
  scored.sort((a, b) => (direction === 'higher_is_better' ? key(b.value) - key(a.value) : key(a.value) - key(b.value)));
  const ranks = new Map<T, number | null>();
  for (const item of items) ranks.set(item, null);
  let previous: number | undefined;
  let rank = 0;
  scored.forEach((e, index) => {
    if (previous === undefined || key(e.value) !== previous) rank = index + 1;
    previous = key(e.value);
    ranks.set(e.item, rank);
  });
  return ranks;
}

/** One indicator's part in a total: its maximum, and the points it earned (null: it does not apply). */
export interface TotalPart {
  maxPoints: number;
  points: number | null;
}

/**
 * A unit's total on a scheme: Σ points of the indicators that apply (denominator > 0), rescaled to
 * the scheme's full total — Σ max points of all its indicators (100 for the operations scheme, 20 for
 * the 766 progress group) — over the indicators that apply: round2(earned × schemeMax / applicableMax).
 * When every indicator applies the factor is 1 and the total is the plain sum (a 20-point scheme's
 * total stays out of 20, never rescaled to 100). null when nothing applies.
 */
export function scaledTotal(parts: readonly TotalPart[]): number | null {
  let earned = 0;
  let applicableMax = 0;
  let schemeMax = 0;
  for (const p of parts) {
    schemeMax += p.maxPoints;
    if (p.points === null) continue;
    earned += p.points;
    applicableMax += p.maxPoints;
  }
  if (applicableMax === 0) return null;
  return Math.round(((earned * schemeMax) / applicableMax) * 100) / 100;
}
