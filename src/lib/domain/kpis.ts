/**
 * The scope's own figures, from its children's board: KPI tiles per family (the headline
 * indicator's ratio of sums, its change against the previous period and its trend over the last
 * periods), and the biggest movers. Pure: the wall, the overview and the unit tests share it.
 */
import type { Board, BoardRow, IndicatorMeta } from './board.ts';
import { ratioOfSums } from './ratio.ts';

export interface Totals {
  numerator: number | null;
  denominator: number | null;
  ratio: number | null;
}

/** One past period of the same kind: Σ numerator and Σ denominator per indicator over the children. */
export interface PeriodTotals {
  start: string;
  totals: Record<string, { numerator: number | null; denominator: number | null }>;
}

export interface Kpi {
  family: string;
  /** The family's first indicator in the scheme: its headline. */
  indicator: IndicatorMeta;
  value: Totals;
  /**
   * The same ratio in what it is compared with: the same elapsed part of the previous period while
   * this one is in progress (`comparedWith`, "cùng kỳ"), else the whole previous period.
   */
  previous: number | null;
  /** The days compared with when they are not the whole previous period (a period in progress); null otherwise. */
  comparedWith: { start: string; end: string } | null;
  /** Against the same days last year ("cùng kỳ năm trước"), in percentage points; null without both. */
  lastYear: { start: string; end: string; deltaPoints: number } | null;
  /** value − previous, in percentage points (ratio × 100); null without both. */
  deltaPoints: number | null;
  /** The headline ratio over the last periods, oldest first, ending with this one (null: no data). */
  trend: (number | null)[];
  /** The family's other indicators. */
  others: { indicator: IndicatorMeta; value: Totals }[];
}

/** Σ over the children, per indicator: ratios of sums, never averages of ratios. */
export function scopeTotals(board: Pick<Board, 'indicators' | 'rows'>): Record<string, Totals> {
  const out: Record<string, Totals> = {};
  for (const ind of board.indicators) {
    let numerator: number | null = null;
    let denominator: number | null = null;
    for (const row of board.rows) {
      const v = row.indicators[ind.key];
      if (v?.numerator !== null && v?.numerator !== undefined) numerator = (numerator ?? 0) + v.numerator;
      if (v?.denominator !== null && v?.denominator !== undefined) denominator = (denominator ?? 0) + v.denominator;
    }
    out[ind.key] = { numerator, denominator, ratio: numerator === null || denominator === null ? null : ratioOfSums(numerator, denominator) };
  }
  return out;
}

function ratioOf(t: { numerator: number | null; denominator: number | null } | undefined): number | null {
  return t && t.numerator !== null && t.denominator !== null ? ratioOfSums(t.numerator, t.denominator) : null;
}

/**
 * The same elapsed part of the previous period ("cùng kỳ"), for a period in progress: its days and the
 * scope's totals over them (src/lib/server/kpis.ts `readKpiComparisons`).
 */
export interface KpiBase {
  start: string;
  end: string;
  totals: PeriodTotals['totals'];
}

/**
 * One tile per family, in the scheme's order. `history` holds the earlier periods, oldest first. A
 * period in progress is compared with `base` (the same elapsed part of the previous period) when given,
 * never with the whole previous period: on the 2nd, two days against a whole month is no comparison.
 * `lastYear`: the same days a year back, a second comparison where history exists.
 */
export function kpisOf(board: Pick<Board, 'indicators' | 'rows'>, history: readonly PeriodTotals[], base: KpiBase | null = null, lastYear: KpiBase | null = null): Kpi[] {
  const now = scopeTotals(board);
  const kpis: Kpi[] = [];
  for (const ind of board.indicators) {
    const tile = kpis.find((k) => k.family === ind.family);
    if (tile) {
      tile.others.push({ indicator: ind, value: now[ind.key]! });
      continue;
    }
    const value = now[ind.key]!;
    const previous = ratioOf((base ? base.totals : history.at(-1)?.totals)?.[ind.key]);
    kpis.push({
      family: ind.family,
      indicator: ind,
      value,
      previous,
      comparedWith: base ? { start: base.start, end: base.end } : null,
      lastYear: lastYearOf(value.ratio, lastYear, ind.key),
      deltaPoints: value.ratio !== null && previous !== null ? Math.round((value.ratio - previous) * 1000) / 10 : null,
      trend: [...history.map((p) => ratioOf(p.totals[ind.key])), value.ratio],
      others: []
    });
  }
  return kpis;
}

/** The change against the same days last year, where both ratios exist. */
function lastYearOf(now: number | null, lastYear: KpiBase | null, key: string): Kpi['lastYear'] {
  const then = lastYear ? ratioOf(lastYear.totals[key]) : null;
  if (now === null || then === null || !lastYear) return null;
  return { start: lastYear.start, end: lastYear.end, deltaPoints: Math.round((now - then) * 1000) / 10 };
}

export interface Movers {
  up: BoardRow[];
  down: BoardRow[];
}

/** The units that gained and lost most places since the previous period, biggest first (ties: bigger change in points). */
export function biggestMovers(rows: readonly BoardRow[], count = 5): Movers {
  const moved = rows.filter((r) => r.change.places !== null && r.change.places !== 0);
  const order = (a: BoardRow, b: BoardRow) =>
    Math.abs(b.change.places!) - Math.abs(a.change.places!) ||
    Math.abs(b.change.totalDelta ?? 0) - Math.abs(a.change.totalDelta ?? 0) ||
    a.unitCode.localeCompare(b.unitCode);
  return {
    up: moved.filter((r) => r.change.places! > 0).sort(order).slice(0, count),
    down: moved.filter((r) => r.change.places! < 0).sort(order).slice(0, count)
  };
}

/**
 * A unit's name without its register type ("Huyện Thanh Oai", type "Huyện" → "Thanh Oai"), for tiles
 * and tight rows. The type is the row's own (the register's), never a list in code; a name that
 * does not start with it is kept whole.
 */
export function shortName(name: string, type: string): string {
  const prefix = `${type} `;
  return type && name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : name;
}
