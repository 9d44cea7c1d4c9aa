import { describe, expect, it } from 'vitest';
import { briefedPeriod, dueMailing, lastSendTime, nextSendTime } from './briefing-schedule.ts';

/** A moment in Hà Nội (UTC+7). */
const hn = (iso: string) => new Date(`${iso}+07:00`);
const ON_15TH = { day: 15, at: '08:00', periodKind: 'report_month' as const };

describe('the briefing mailing schedule', () => {
  it('sends on its day at its time, in Hà Nội', () => {
    expect(lastSendTime(ON_15TH, hn('2026-12-15T08:00:00'))).toEqual(hn('2026-12-15T08:00:00'));
    expect(lastSendTime(ON_15TH, hn('2026-12-15T07:59:00'))).toEqual(hn('2026-11-15T08:00:00'));
    expect(lastSendTime(ON_15TH, hn('2027-01-03T12:00:00'))).toEqual(hn('2026-12-15T08:00:00'));
    expect(nextSendTime(ON_15TH, hn('2026-12-15T08:00:00'))).toEqual(hn('2027-01-15T08:00:00'));
    expect(nextSendTime(ON_15TH, hn('2026-12-02T10:00:00'))).toEqual(hn('2026-12-15T08:00:00'));
    // 00:30 on the 1st in Hà Nội is still the 30th in UTC: the zone decides.
    expect(lastSendTime({ ...ON_15TH, day: 1, at: '00:30' }, hn('2026-12-01T00:31:00'))).toEqual(hn('2026-12-01T00:30:00'));
  });

  it('briefs the last period that ended: on the 15th, the reporting month closed on the 14th', () => {
    expect(briefedPeriod('report_month', hn('2026-12-15T08:00:00'))).toEqual({ kind: 'report_month', start: '2026-11-15', end: '2026-12-14' });
    expect(briefedPeriod('month', hn('2026-12-01T07:00:00'))).toEqual({ kind: 'month', start: '2026-11-01', end: '2026-11-30' });
    // A quarter on a monthly schedule: the same quarter all the quarter long (one mailing per period).
    expect(briefedPeriod('quarter', hn('2026-11-02T08:00:00'))).toEqual({ kind: 'quarter', start: '2026-07-01', end: '2026-09-30' });
    expect(briefedPeriod('quarter', hn('2026-12-02T08:00:00'))).toEqual({ kind: 'quarter', start: '2026-07-01', end: '2026-09-30' });
  });

  it('is due from its send time, and not for a send time before the schedule existed', () => {
    const made = { ...ON_15TH, createdAt: hn('2026-12-03T09:00:00') };
    expect(dueMailing(made, hn('2026-12-10T09:00:00'))).toBeNull();
    expect(dueMailing(made, hn('2026-12-15T08:01:00'))).toEqual({
      sendTime: hn('2026-12-15T08:00:00'),
      period: { kind: 'report_month', start: '2026-11-15', end: '2026-12-14' }
    });
    // Workers away at 08:00 and back at noon the next day: still due (the mailing's key keeps it to one).
    expect(dueMailing(made, hn('2026-12-16T12:00:00'))?.sendTime).toEqual(hn('2026-12-15T08:00:00'));
  });
});
