/**
 * Ratio and scoring rules from domain.md. Pure functions shared by the workers (which store
 * rankings) and the pages (which explain them).
 */

/** Σ numerator / Σ denominator. A denominator of 0 (or nothing at all) is "no data": null, never 0 % or 100 %. */
export function ratioOfSums(numerator: number, denominator: number): number | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator <= 0) return null;
  return numerator / denominator;
}

/** Round half away from zero to `digits` decimals, as the national portal publishes points. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  // toPrecision(15) drops binary noise first: 1.005 × 100 is 100.49999999999999 in floating point.
  return (Math.sign(value) * Math.round(Number((Math.abs(value) * factor).toPrecision(15)))) / factor;
}

/**
 * Points an indicator earns: `max × min(1, ratio / saturation)`, two decimals.
 * `saturation` is the ratio at which full points are reached (1 = 100 %, 0.5 for online submission).
 * A ratio of null (no data) earns null, so the unit is shown as not ranked instead of scoring 0.
 */
export function points(ratio: number | null, maxPoints: number, saturation = 1): number | null {
  if (ratio === null) return null;
  if (!(saturation > 0)) throw new Error(`saturation must be > 0, got ${saturation}`);
  return round(maxPoints * Math.min(1, Math.max(0, ratio) / saturation), 2);
}
