import { DateTime } from 'luxon';

/** Every date and period boundary is in the city's zone: a day starts at 00:00 ICT (17:00 UTC the day before). */
export const ZONE = 'Asia/Ho_Chi_Minh';

/**
 * Calendar periods, and the statutory reporting periods of Decree 09/2019/NĐ-CP (Art. 12): a
 * monthly report covers the 15th of the previous month to the 14th of the reporting month; a
 * quarterly one the 15th of the month before the quarter to the 14th of its last month; a yearly
 * one 15 December of the previous year to 14 December.
 */
export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year', 'report_month', 'report_quarter', 'report_year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
type CalendarKind = 'day' | 'week' | 'month' | 'quarter' | 'year';
type ReportKind = 'report_month' | 'report_quarter' | 'report_year';

/** A period as inclusive calendar dates (YYYY-MM-DD) in Asia/Ho_Chi_Minh. */
export interface Period {
  kind: PeriodKind;
  start: string;
  end: string;
}

const unitOf: Record<CalendarKind, 'day' | 'week' | 'month' | 'quarter' | 'year'> = {
  day: 'day',
  week: 'week', // Luxon weeks are ISO weeks: Monday to Sunday
  month: 'month',
  quarter: 'quarter',
  year: 'year'
};

export function parseDate(date: string): DateTime {
  const dt = DateTime.fromISO(date, { zone: ZONE });
  if (!dt.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return dt;
}

/** Months per reporting period; a period ends on the 14th of a month that is a multiple of it. */
const reportMonths: Record<ReportKind, number> = { report_month: 1, report_quarter: 3, report_year: 12 };

const isReport = (kind: PeriodKind): kind is ReportKind => kind in reportMonths;

/** The period of `kind` that contains `date`. */
export function periodOf(kind: PeriodKind, date: string): Period {
  const dt = parseDate(date);
  if (isReport(kind)) {
    const step = reportMonths[kind];
    // The first 14th, on or after the date, of a month that closes a period of this kind.
    let end = dt.set({ day: 14 });
    if (end < dt.startOf('day')) end = end.plus({ months: 1 });
    while (end.month % step !== 0) end = end.plus({ months: 1 });
    const start = end.minus({ months: step }).plus({ days: 1 });
    return { kind, start: start.toISODate()!, end: end.toISODate()! };
  }
  const unit = unitOf[kind];
  return { kind, start: dt.startOf(unit).toISODate()!, end: dt.endOf(unit).toISODate()! };
}

/** The period of the same kind just before `period`. */
export function previousPeriod(period: Period): Period {
  return periodOf(period.kind, parseDate(period.start).minus({ days: 1 }).toISODate()!);
}

/** Today's date in the city, for an instant (default: now). */
export function today(now: Date = new Date()): string {
  return DateTime.fromJSDate(now, { zone: ZONE }).toISODate()!;
}

/** A period that has not ended yet is provisional: its numbers still grow. */
export function isProvisional(period: Period, now: Date = new Date()): boolean {
  return period.end >= today(now);
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = parseDate(from); d.toISODate()! <= to; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

export function addDays(date: string, days: number): string {
  return parseDate(date).plus({ days }).toISODate()!;
}

/** The distinct periods of `kind` that the dates from `from` to `to` fall in, oldest first. */
export function periodsCovering(kind: PeriodKind, from: string, to: string): Period[] {
  const seen = new Map<string, Period>();
  for (const d of datesBetween(from, to)) {
    const p = periodOf(kind, d);
    seen.set(p.start, p);
  }
  return [...seen.values()];
}

/**
 * "Cùng kỳ": for a period still in progress on `asOf`, the same elapsed part of the previous period of
 * its kind — the 1st–2nd of last month on the 2nd of this one, the 15th of October to the 3rd of November on
 * the 3rd of December in a reporting month (15th–14th) — cut at the previous period's end (31 March → 1–28 February). null when
 * the period is over on `asOf` (a whole period is compared with the whole previous one), has not begun,
 * or is a day (a day is always whole).
 */
const MONTHS_OF: Record<Exclude<PeriodKind, 'day' | 'week'>, number> = { month: 1, quarter: 3, year: 12, report_month: 1, report_quarter: 3, report_year: 12 };

export function sameElapsedPart(period: Period, asOf: string): { start: string; end: string } | null {
  if (period.kind === 'day' || asOf < period.start || asOf >= period.end) return null;
  const prev = previousPeriod(period);
  // The same calendar day one period back (Luxon keeps the day of the month, or the month's last day).
  const back = period.kind === 'week' ? { days: 7 } : { months: MONTHS_OF[period.kind] };
  const end = parseDate(asOf).minus(back).toISODate()!;
  return { start: prev.start, end: end > prev.end ? prev.end : end };
}

/**
 * Early in a month — its first `days` days (EARLY_PERIOD_DAYS, 5 by default) — the overview and the
 * wall open on the month before, which is whole, rather than on a month of one or two days: the date
 * to open on (the previous month's last day), or null when it is later in the month or `days` is 0.
 */
export function earlyOpening(todayIso: string, days: number): string | null {
  if (days <= 0 || Number(todayIso.slice(8, 10)) > days) return null;
  return addDays(`${todayIso.slice(0, 8)}01`, -1);
}

/**
 * "Cùng kỳ năm trước": the same days one year back — the whole period a year earlier, or for a period
 * in progress on `asOf` its days so far (1–3 December 2025 on 3 December 2026; 29 February → 28).
 * null for a period not begun on `asOf`.
 */
export function sameDaysLastYear(period: Period, asOf: string): { start: string; end: string } | null {
  if (asOf < period.start) return null;
  const back = (d: string) => parseDate(d).minus({ years: 1 }).toISODate()!;
  return { start: back(period.start), end: back(asOf < period.end ? asOf : period.end) };
}
