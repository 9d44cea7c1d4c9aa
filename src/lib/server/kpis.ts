/**
 * The earlier periods behind the KPI tiles' trend: Σ per indicator over the scope's children, from
 * the stored boards of the operations scheme (every family's indicators; the 766 group's one indicator
 * is its dossier.on_time, so a 766 board's tile finds its trend here too).
 */
import type { Sql } from '#db/client';
import { DEFAULT_SCHEME_KEY, type BoardQuery } from '#contract/dto';
import type { KpiBase, PeriodTotals } from '#domain/kpis';
import { periodOf, previousPeriod, sameElapsedPart, today, type Period } from '#domain/periods';
import { metricSumsPerPeriod, metricsByKey } from './ranking/queries.ts';
import { loadActiveSchemes } from './ranking/rankings.ts';
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

/**
 * What a period in progress on `asOf` is compared with ("cùng kỳ"): the same elapsed part of the
 * previous period (src/lib/domain/periods.ts `sameElapsedPart`) and the scope's own totals per indicator
 * over those days, summed from the samples as the workers sum a board (flows over the days, stocks on
 * the last). null when the period is whole on `asOf` (the tiles compare with the whole previous period),
 * for a scheme with groups (its tiles are the headline), or an unknown scope. `asOf` defaults to today:
 * the tests drive it.
 */
export async function readKpiBase(sql: Sql, query: BoardQuery, asOf: string = today()): Promise<KpiBase | null> {
  const range = sameElapsedPart(periodOf(query.period, query.date), asOf);
  if (!range) return null;
  const [scheme] = await loadActiveSchemes(sql, [query.scheme ?? DEFAULT_SCHEME_KEY]);
  if (!scheme || scheme.groups?.length) return null;
  const [scope] = await sql<{ id: number }[]>`select id from units where gso_code = ${query.scope}`;
  if (!scope) return null;
  const keys = [...new Set(scheme.indicators.flatMap((i) => [...i.numerator, ...i.denominator]))];
  const metrics = (await metricsByKey(sql, keys)).filter((m) => !m.periodic);
  const sums = metrics.length ? await metricSumsPerPeriod(sql, [range], metrics, { units: [scope.id] }) : [];
  const value = new Map(sums.map((r) => [r.metric, r.value]));
  const sum = (ks: readonly string[]) => (ks.some((k) => value.has(k)) ? ks.reduce((a, k) => a + (value.get(k) ?? 0), 0) : null);
  return { ...range, totals: Object.fromEntries(scheme.indicators.map((i) => [i.key, { numerator: sum(i.numerator), denominator: sum(i.denominator) }])) };
}
