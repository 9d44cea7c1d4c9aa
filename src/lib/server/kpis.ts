/**
 * The earlier periods behind the KPI tiles' trend: Σ per indicator over the scope's children, from
 * the stored boards of the operations scheme (every family's indicators; the 766 group's one indicator
 * is its dossier.on_time, so a 766 board's tile finds its trend here too).
 */
import type { Sql } from '#db/client';
import { DEFAULT_SCHEME_KEY, type BoardQuery } from '#contract/dto';
import type { PeriodTotals } from '#domain/kpis';
import { periodOf, previousPeriod, type Period } from '#domain/periods';

/** The `count` periods of the same kind before the query's, oldest first (a period with no stored board has empty totals). */
export async function readKpiHistory(sql: Sql, query: BoardQuery, count = 11): Promise<PeriodTotals[]> {
  const periods: Period[] = [];
  let p = periodOf(query.period, query.date);
  for (let i = 0; i < count; i++) periods.unshift((p = previousPeriod(p)));
  const rows = await sql<{ start: string; key: string; numerator: number | null; denominator: number | null }[]>`
    select r.period_start::text as start, i.key,
           sum((i.value->>'numerator')::float8) as numerator, sum((i.value->>'denominator')::float8) as denominator
    from rankings r
    join units s on s.id = r.scope_unit_id and s.gso_code = ${query.scope}
    cross join lateral jsonb_each(r.indicators) as i(key, value)
    where r.scheme_key = ${DEFAULT_SCHEME_KEY} and r.period_kind = ${query.period} and r.period_start = any(${sql.array(periods.map((x) => x.start))}::date[])
    group by 1, 2`;
  return periods.map((period) => ({
    start: period.start,
    totals: Object.fromEntries(rows.filter((r) => r.start === period.start).map((r) => [r.key, { numerator: r.numerator, denominator: r.denominator }]))
  }));
}
