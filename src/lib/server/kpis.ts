/**
 * The earlier periods behind the KPI tiles' trend: Σ per indicator over the scope's children, from
 * the stored boards of the operations scheme (every family's indicators; the 766 group's one indicator
 * is its dossier.on_time, so a 766 board's tile finds its trend here too).
 */
import type { Sql } from '#db/client';
import { DEFAULT_SCHEME_KEY, type BoardQuery } from '#contract/dto';
import type { PeriodTotals } from '#domain/kpis';
import { periodOf, previousPeriod, type Period } from '#domain/periods';
import { indicatorTotalsPerPeriod } from './read/rankings-queries.ts';

/** The `count` periods of the same kind before the query's, oldest first (a period with no stored board has empty totals). */
export async function readKpiHistory(sql: Sql, query: BoardQuery, count = 11): Promise<PeriodTotals[]> {
  const periods: Period[] = [];
  let p = periodOf(query.period, query.date);
  for (let i = 0; i < count; i++) periods.unshift((p = previousPeriod(p)));
  const rows = await indicatorTotalsPerPeriod(sql, {
    schemeKey: DEFAULT_SCHEME_KEY, scopeCode: query.scope, kind: query.period, starts: periods.map((x) => x.start)
  });
  return periods.map((period) => ({
    start: period.start,
    totals: Object.fromEntries(rows.filter((r) => r.start === period.start).map((r) => [r.key, { numerator: r.numerator, denominator: r.denominator }]))
  }));
}
