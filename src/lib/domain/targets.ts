/**
 * Targets (chỉ tiêu): the least ratio an indicator should reach. Pure rules, no I/O (docs/targets.md).
 *
 * Precedence — the most specific target applies, in this order:
 *   1. the unit's own, for this very period;
 *   2. the unit's own, for every period;
 *   3. the installation's (the city's), for this very period;
 *   4. the installation's, for every period.
 * A unit's own target is a deliberate exception made for it, so it beats a city-wide one even when
 * that one names the period. A unit's target is its own only: it is not inherited by its children.
 */
import type { PeriodKind } from './periods.ts';

export interface TargetRule {
  indicatorKey: string;
  /** null: the whole installation. */
  unitId: number | null;
  /** null (with periodStart null): every period. */
  periodKind: PeriodKind | null;
  periodStart: string | null;
  /** 0..1 */
  minRatio: number;
}

/** How specific a rule is (higher wins), or -1 when it does not apply to the unit and period. */
export function specificity(rule: TargetRule, unitId: number, period: { kind: PeriodKind; start: string }): number {
  if (rule.unitId !== null && rule.unitId !== unitId) return -1;
  if (rule.periodKind !== null && (rule.periodKind !== period.kind || rule.periodStart !== period.start)) return -1;
  return (rule.unitId !== null ? 2 : 0) + (rule.periodKind !== null ? 1 : 0);
}

/** The rule that applies to (unit, indicator, period), or null when none does. */
export function resolveTarget<R extends TargetRule>(rules: readonly R[], unitId: number, indicatorKey: string, period: { kind: PeriodKind; start: string }): R | null {
  let best: R | null = null;
  let bestScore = -1;
  for (const r of rules) {
    if (r.indicatorKey !== indicatorKey) continue;
    const s = specificity(r, unitId, period);
    if (s > bestScore) {
      best = r;
      bestScore = s;
    }
  }
  return best;
}

/**
 * Below its target: a ratio strictly under the minimum. Compared on the shown precision (a tenth
 * of a percent) so that "95,0 %" is never called below "95 %". No ratio (no data): not below.
 */
export function isBelowTarget(ratio: number | null | undefined, target: number | null | undefined): boolean {
  if (ratio === null || ratio === undefined || target === null || target === undefined) return false;
  return Math.round(ratio * 1000) < Math.round(target * 1000);
}

/** A unit's indicator below the target that applies to it (the alerts' "below its target"). */
export interface Shortfall<R extends TargetRule = TargetRule> {
  unitId: number;
  indicatorKey: string;
  ratio: number;
  /** The rule that applied (resolveTarget's precedence). */
  rule: R;
}

/**
 * Every (unit, indicator) strictly below its applicable target in `period`: `indicatorKeys` null
 * means every indicator some target names. A unit without a ratio (no data) is never below.
 */
export function shortfalls<R extends TargetRule>(
  rows: readonly { unitId: number; indicators: Record<string, { ratio: number | null } | undefined> | null }[],
  rules: readonly R[],
  indicatorKeys: readonly string[] | null,
  period: { kind: PeriodKind; start: string }
): Shortfall<R>[] {
  const keys = indicatorKeys ?? [...new Set(rules.map((r) => r.indicatorKey))].sort();
  const out: Shortfall<R>[] = [];
  for (const row of rows) {
    for (const key of keys) {
      const ratio = row.indicators?.[key]?.ratio ?? null;
      if (ratio === null) continue;
      const rule = resolveTarget(rules, row.unitId, key, period);
      if (rule && isBelowTarget(ratio, rule.minRatio)) out.push({ unitId: row.unitId, indicatorKey: key, ratio, rule });
    }
  }
  return out;
}

/**
 * A percentage as typed: "95", "95,5", "95.5", "95 %" → 0.95, 0.955; null when it is not a number
 * above 0 and at most 100 (two decimals at most).
 */
export function parsePercent(text: string): number | null {
  const t = text.trim().replace(/\s*%$/, '').replace(/\s/g, '');
  if (!/^\d{1,3}([.,]\d{1,2})?$/.test(t)) return null;
  const n = Number(t.replace(',', '.'));
  if (!(n > 0) || n > 100) return null;
  return Math.round(n * 100) / 10000;
}

/** A board's scope against its own targets (the wall's line): per indicator with a scope target, the scope's ratio of sums and how many rows are below theirs. */
export interface ScopeTargetLine {
  key: string;
  nameVi: string;
  /** Σ numerators / Σ denominators over the board's rows; null when nothing was reported. */
  ratio: number | null;
  target: number;
  below: boolean;
  unitsBelow: number;
}

export function scopeTargetLines(board: {
  indicators: readonly { key: string; nameVi: string }[];
  rows: readonly { indicators: Record<string, { numerator: number | null; denominator: number | null } | undefined> }[];
  targets?: { scope: Record<string, number>; below: Record<string, number> };
}): ScopeTargetLine[] {
  const t = board.targets;
  if (!t) return [];
  return board.indicators.flatMap((ind) => {
    const target = t.scope[ind.key];
    if (target === undefined) return [];
    let num = 0;
    let den = 0;
    for (const r of board.rows) {
      const v = r.indicators[ind.key];
      if (v?.numerator == null || v.denominator == null) continue;
      num += v.numerator;
      den += v.denominator;
    }
    const ratio = den > 0 ? num / den : null;
    return [{ key: ind.key, nameVi: ind.nameVi, ratio, target, below: isBelowTarget(ratio, target), unitsBelow: t.below[ind.key] ?? 0 }];
  });
}
