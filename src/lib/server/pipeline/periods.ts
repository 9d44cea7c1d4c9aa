/**
 * A periodic source (data_sources.periods set, e.g. ['month', 'quarter', 'year']) publishes one value
 * per unit, metric and period, not per day. A poll's window (the trailing days, or a backfill's range)
 * becomes one request (with its pages) per period of each listed kind that overlaps the window, oldest
 * first; each piece's rows are that period's values (period_samples). Pure functions: the poll
 * (poll.ts), the backfill (backfill.ts) and the request templates (request.ts) use them.
 */
import { VALUE_PERIOD_KINDS, type ValuePeriodKind } from '#db/schema/samples';
import { periodOf, periodsCovering, type Period } from '#domain/periods';
import type { Window } from './mapping/validate.ts';

/** A period a value belongs to: its kind and its first and last day (inclusive). */
export interface ValuePeriod {
  kind: ValuePeriodKind;
  start: string;
  end: string;
}

/** A window that is exactly one period of a periodic source: from / to are the period's first / last day. */
export interface PeriodPiece extends Window {
  period: ValuePeriod;
}

const ORDER: Record<ValuePeriodKind, number> = { month: 0, quarter: 1, year: 2 };

export const isValuePeriodKind = (x: unknown): x is ValuePeriodKind => typeof x === 'string' && (VALUE_PERIOD_KINDS as readonly string[]).includes(x);

/** The period kinds a source publishes, in order month, quarter, year, without repeats (null / empty: not periodic). */
export function sourcePeriods(periods: readonly string[] | null | undefined): ValuePeriodKind[] | null {
  const kinds = [...new Set((periods ?? []).filter(isValuePeriodKind))].sort((a, b) => ORDER[a] - ORDER[b]);
  return kinds.length ? kinds : null;
}

/**
 * The pieces of a window for a periodic source: every period of each kind that overlaps the window,
 * oldest first (by first day; at the same first day the shorter period first: January, Q1, then the
 * year). A window that already is one period (a backfill job's piece) stays that piece.
 */
export function periodPieces(window: Window & { period?: ValuePeriod }, kinds: readonly ValuePeriodKind[]): PeriodPiece[] {
  if (window.period) return [{ from: window.period.start, to: window.period.end, period: window.period }];
  const out: PeriodPiece[] = [];
  for (const kind of kinds) {
    for (const p of periodsCovering(kind, window.from, window.to)) out.push({ from: p.start, to: p.end, period: { kind, start: p.start, end: p.end } });
  }
  return out.sort((a, b) => a.from.localeCompare(b.from) || ORDER[a.period.kind] - ORDER[b.period.kind]);
}

/**
 * The boards a changed period value moves: its own period's, and those of the longer periods around
 * it (a month moves its quarter and its year, whose values may be derived from it when the publisher
 * has not given them: a flow is summed from the months, docs/sources.md). Distinct, oldest first.
 */
export function boardsOfChangedPeriods(changed: Iterable<{ kind: ValuePeriodKind; start: string }>): Period[] {
  const map = new Map<string, Period>();
  for (const c of changed) {
    for (const kind of VALUE_PERIOD_KINDS) {
      if (ORDER[kind] < ORDER[c.kind]) continue;
      const p = periodOf(kind, c.start);
      map.set(`${p.kind}|${p.start}`, p);
    }
  }
  return [...map.values()].sort((a, b) => a.start.localeCompare(b.start) || ORDER[a.kind as ValuePeriodKind] - ORDER[b.kind as ValuePeriodKind]);
}

/** A period in words, for rejected rows and the poll history: "tháng 11/2026", "quý 4/2026", "năm 2026". */
export function periodWords(p: { kind: ValuePeriodKind; start: string }): string {
  const [y, m] = p.start.split('-').map(Number) as [number, number];
  if (p.kind === 'month') return `tháng ${m}/${y}`;
  if (p.kind === 'quarter') return `quý ${Math.floor((m - 1) / 3) + 1}/${y}`;
  return `năm ${y}`;
}

/** The kinds in words ("tháng, quý, năm"). */
export const PERIOD_KIND_WORDS: Record<ValuePeriodKind, string> = { month: 'tháng', quarter: 'quý', year: 'năm' };
