/**
 * The briefing's mailing schedule as pure functions of `now` (docs/briefings.md, "Mailed on a
 * schedule"): a schedule sends, each month on day `day` at `at` (Hà Nội time), the briefing of the
 * last period of its kind that has ended — on the 15th at 08:00, the reporting month that closed on
 * the 14th. One mailing per schedule, period and recipient: a quarter's briefing on a monthly
 * schedule goes out once, at the first send time after the quarter ended. No I/O.
 */
import { DateTime } from 'luxon';
import { periodOf, previousPeriod, ZONE, type Period, type PeriodKind } from './periods.ts';
import { HHMM } from './alerts.ts';

/** The days a monthly send may fall on: every month has them. */
export const SCHEDULE_DAY_MIN = 1;
export const SCHEDULE_DAY_MAX = 28;

export interface MailingSchedule {
  /** Day of the month, 1–28. */
  day: number;
  /** HH:MM in Hà Nội. */
  at: string;
  periodKind: PeriodKind;
}

/** Whether `at` is a time of day written HH:MM. */
export const isTimeOfDay = (at: string) => HHMM.test(at);

/** The send time of `month` (any day of it) for the schedule, as an instant. */
function sendTimeIn(month: DateTime, s: MailingSchedule): DateTime {
  return month.set({ day: s.day, hour: Number(s.at.slice(0, 2)), minute: Number(s.at.slice(3, 5)), second: 0, millisecond: 0 });
}

/** The latest send time at or before `now`. */
export function lastSendTime(s: MailingSchedule, now: Date): Date {
  const local = DateTime.fromJSDate(now, { zone: ZONE });
  let t = sendTimeIn(local, s);
  if (t > local) t = sendTimeIn(local.minus({ months: 1 }).startOf('month'), s);
  return t.toJSDate();
}

/** The first send time after `now`. */
export function nextSendTime(s: MailingSchedule, now: Date): Date {
  const local = DateTime.fromJSDate(now, { zone: ZONE });
  let t = sendTimeIn(local, s);
  if (t <= local) t = sendTimeIn(local.plus({ months: 1 }).startOf('month'), s);
  return t.toJSDate();
}

/** The period a mailing at `at` briefs: the last one of its kind that has ended by then. */
export function briefedPeriod(kind: PeriodKind, at: Date): Period {
  const day = DateTime.fromJSDate(at, { zone: ZONE }).toISODate()!;
  return previousPeriod(periodOf(kind, day));
}

/**
 * What is due at `now`: the last send time and the period it briefs — or null when that send time
 * came before the schedule existed (a schedule made on the 20th for the 15th first sends next
 * month; "Gửi ngay" sends at once).
 */
export function dueMailing(s: MailingSchedule & { createdAt: Date }, now: Date): { sendTime: Date; period: Period } | null {
  const sendTime = lastSendTime(s, now);
  if (sendTime < s.createdAt) return null;
  return { sendTime, period: briefedPeriod(s.periodKind, sendTime) };
}
