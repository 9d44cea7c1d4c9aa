/**
 * Targets as the boards, unit pages, the wall and the briefing read them (docs/targets.md): the
 * rules that can apply to a period, and the one that applies to each (unit, indicator).
 */
import { and, eq, isNull, or } from 'drizzle-orm';
import { orm, type Queryable as Sql } from '#db/client';
import { targets } from '#db/schema/index';
import { isBelowTarget, resolveTarget, type TargetRule } from '#domain/targets';
import type { PeriodKind } from '#domain/periods';

export interface StoredTarget extends TargetRule {
  id: number;
  schemeKey: string;
}

/**
 * The targets of `scheme` that can apply in `period` (those for every period and those for this
 * very one); with `unitIds`, only the installation's and those units' own.
 */
export async function readTargets(sql: Sql, q: { scheme: string; period: { kind: PeriodKind; start: string }; unitIds?: readonly number[] }): Promise<StoredTarget[]> {
  const rows = await orm(sql)
    .select({ id: targets.id, schemeKey: targets.schemeKey, indicatorKey: targets.indicatorKey, unitId: targets.unitId, periodKind: targets.periodKind, periodStart: targets.periodStart, minRatio: targets.minRatio })
    .from(targets)
    .where(
      and(
        eq(targets.schemeKey, q.scheme),
        or(isNull(targets.periodKind), and(eq(targets.periodKind, q.period.kind), eq(targets.periodStart, q.period.start)))
      )
    );
  if (!q.unitIds) return rows;
  const wanted = new Set(q.unitIds);
  return rows.filter((r) => r.unitId === null || wanted.has(r.unitId));
}

/** The target of each indicator for one unit (only those that have one). */
export function targetsOf(rules: readonly TargetRule[], unitId: number, indicatorKeys: readonly string[], period: { kind: PeriodKind; start: string }): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of indicatorKeys) {
    const r = resolveTarget(rules, unitId, key, period);
    if (r) out[key] = r.minRatio;
  }
  return out;
}

/** An indicator value with its target and whether it is below it (unchanged when no target applies). */
export function withTarget<V extends { ratio: number | null }>(value: V, target: number | undefined): V & { target?: number; belowTarget?: boolean } {
  if (target === undefined) return value;
  return { ...value, target, belowTarget: isBelowTarget(value.ratio, target) };
}
