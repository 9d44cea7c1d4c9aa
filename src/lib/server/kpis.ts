/**
 * The earlier periods behind the KPI tiles' trend: Σ per indicator over the scope's children, from
 * the stored boards of the operations scheme (every family's indicators; the 766 group's one indicator
 * is its dossier.on_time, so a 766 board's tile finds its trend here too).
 */
import type { Sql } from '#db/client';
import { DEFAULT_SCHEME_KEY, type BoardQuery } from '#contract/dto';
import type { KpiBase, PeriodTotals } from '#domain/kpis';
import { periodOf, previousPeriod, sameDaysLastYear, sameElapsedPart, today, type Period } from '#domain/periods';
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

/** What the KPI tiles compare with: the same days of the previous period (while this one runs) and the same days last year. */
export interface KpiComparisons {
  /** "Cùng kỳ": the same elapsed part of the previous period; null when this period is whole on `asOf`. */
  base: KpiBase | null;
  /** "Cùng kỳ năm trước": the same days a year back; null where nothing was reported then (no history). */
  lastYear: KpiBase | null;
}

/**
 * The scope's own totals per indicator over the days the KPI tiles compare with (src/lib/domain/periods.ts
 * `sameElapsedPart`, `sameDaysLastYear`), summed from the samples as the workers sum a board (flows
 * over the days, stocks on the last), in one read. Both null for a scheme with groups (its tiles are
 * the headline) or an unknown scope. `asOf` defaults to today: the tests drive it.
 */
export async function readKpiComparisons(sql: Sql, query: BoardQuery, asOf: string = today()): Promise<KpiComparisons> {
  const none = { base: null, lastYear: null };
  const period = periodOf(query.period, query.date);
  const same = sameElapsedPart(period, asOf);
  const year = sameDaysLastYear(period, asOf);
  const ranges = [same, year].filter((r): r is { start: string; end: string } => r !== null);
  if (!ranges.length) return none;
  const [scheme] = await loadActiveSchemes(sql, [query.scheme ?? DEFAULT_SCHEME_KEY]);
  if (!scheme || scheme.groups?.length) return none;
  // The scope as it stands at the period's end (a code may have served an earlier unit: 10114).
  const [scope] = await sql<{ id: number }[]>`
    select id from units where gso_code = ${query.scope}
      and (valid_from is null or valid_from <= ${period.end}::date) and (valid_to is null or valid_to >= ${period.end}::date)
    order by valid_from desc nulls last limit 1`;
  if (!scope) return none;
  const keys = [...new Set(scheme.indicators.flatMap((i) => [...i.numerator, ...i.denominator]))];
  const metrics = (await metricsByKey(sql, keys)).filter((m) => !m.periodic);
  const sums = metrics.length ? await metricSumsPerPeriod(sql, ranges, metrics, { units: [scope.id] }) : [];
  const over = (range: { start: string; end: string }): KpiBase => {
    const value = new Map(sums.filter((r) => r.start === range.start).map((r) => [r.metric, r.value]));
    const sum = (ks: readonly string[]) => (ks.some((k) => value.has(k)) ? ks.reduce((a, k) => a + (value.get(k) ?? 0), 0) : null);
    return { ...range, totals: Object.fromEntries(scheme.indicators.map((i) => [i.key, { numerator: sum(i.numerator), denominator: sum(i.denominator) }])) };
  };
  const lastYear = year ? over(year) : null;
  const reported = lastYear && Object.values(lastYear.totals).some((t) => t.denominator !== null && t.denominator > 0);
  return { base: same ? over(same) : null, lastYear: reported ? lastYear : null };
}
