/**
 * Calendar arithmetic on YYYY-MM-DD strings without Luxon. The task tracker walks ~10^5–10^6
 * (unit, day) steps per query, where a Luxon DateTime per step would cost seconds. These are
 * calendar dates, not instants: no time zone is involved (UTC is only the arithmetic's frame).
 */
const DAY_MS = 864e5;

/** Days since 1970-01-01 of a calendar date. */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

const dates = new Map<number, string>();
/** The calendar date of a day number (the inverse of dayNumber). Memoised: toISOString is the hot loop's main cost. */
export function dateOfDay(day: number): string {
  let date = dates.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dates.size < 100_000) dates.set(day, date); // ~270 years of dates; a bound, never reached in practice
  }
  return date;
}

/** ISO weekday, 1 = Monday … 7 = Sunday (day 0, 1970-01-01, was a Thursday). */
export function weekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Every date from `from` to `to`, inclusive (empty when from > to). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dayNumber(from), end = dayNumber(to); d <= end; d++) out.push(dateOfDay(d));
  return out;
}

/** Months as 'YYYY-MM'; the index counts months since year 0 so consecutive months differ by 1. */
export function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function monthOfIndex(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function addDaysFast(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}
