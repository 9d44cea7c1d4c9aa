import { describe, expect, it } from 'vitest';
import { isProvisional, periodOf, periodsCovering, previousPeriod, sameElapsedPart, today, earlyOpening, sameDaysLastYear } from './periods.ts';

describe('periods in Asia/Ho_Chi_Minh', () => {
  it('starts the day at 00:00 ICT, which is 17:00 UTC the day before', () => {
    expect(today(new Date('2026-11-21T16:59:59Z'))).toBe('2026-11-21');
    expect(today(new Date('2026-11-21T17:00:00Z'))).toBe('2026-11-22');
  });
  it('gives months and their previous month across a year end', () => {
    expect(periodOf('month', '2026-01-15')).toEqual({ kind: 'month', start: '2026-01-01', end: '2026-01-31' });
    expect(previousPeriod(periodOf('month', '2026-01-15'))).toEqual({ kind: 'month', start: '2025-12-01', end: '2025-12-31' });
    expect(previousPeriod(periodOf('day', '2026-03-01'))).toEqual({ kind: 'day', start: '2026-02-28', end: '2026-02-28' });
  });
  it('uses ISO weeks, including week 53', () => {
    // 2026 has 53 ISO weeks: week 53 runs Mon 28 Dec 2026 – Sun 3 Jan 2027
    expect(periodOf('week', '2027-01-02')).toEqual({ kind: 'week', start: '2026-12-28', end: '2027-01-03' });
  });
  it('marks a period that has not ended as provisional', () => {
    const now = new Date('2026-11-22T03:00:00Z');
    expect(isProvisional(periodOf('month', '2026-11-01'), now)).toBe(true);
    expect(isProvisional(periodOf('month', '2026-10-01'), now)).toBe(false);
  });
  it('lists the periods a date range touches', () => {
    expect(periodsCovering('month', '2026-10-30', '2026-11-02').map((p) => p.start)).toEqual(['2026-10-01', '2026-11-01']);
  });
  it('refuses a malformed date with the value in the message', () => {
    expect(() => periodOf('day', '2026-13-01')).toThrow(/2026-13-01/);
  });
});

describe('reporting periods of Decree 09/2019/NĐ-CP', () => {
  it('a monthly report runs from the 15th of the previous month to the 14th', () => {
    expect(periodOf('report_month', '2026-11-14')).toEqual({ kind: 'report_month', start: '2026-10-15', end: '2026-11-14' });
    expect(periodOf('report_month', '2026-11-15')).toEqual({ kind: 'report_month', start: '2026-11-15', end: '2026-12-14' });
    // across the year end
    expect(periodOf('report_month', '2026-12-31')).toEqual({ kind: 'report_month', start: '2026-12-15', end: '2027-01-14' });
    expect(periodOf('report_month', '2027-01-01')).toEqual({ kind: 'report_month', start: '2026-12-15', end: '2027-01-14' });
    expect(previousPeriod(periodOf('report_month', '2027-01-01'))).toEqual({ kind: 'report_month', start: '2026-11-15', end: '2026-12-14' });
  });
  it('a quarterly report runs from the 15th of the month before the quarter to the 14th of its last month', () => {
    expect(periodOf('report_quarter', '2026-01-10')).toEqual({ kind: 'report_quarter', start: '2025-12-15', end: '2026-03-14' });
    expect(periodOf('report_quarter', '2026-03-14')).toEqual({ kind: 'report_quarter', start: '2025-12-15', end: '2026-03-14' });
    expect(periodOf('report_quarter', '2026-03-15')).toEqual({ kind: 'report_quarter', start: '2026-03-15', end: '2026-06-14' });
    expect(periodOf('report_quarter', '2026-12-20')).toEqual({ kind: 'report_quarter', start: '2026-12-15', end: '2027-03-14' });
  });
  it('a yearly report runs from 15 December of the previous year to 14 December', () => {
    expect(periodOf('report_year', '2026-12-14')).toEqual({ kind: 'report_year', start: '2025-12-15', end: '2026-12-14' });
    expect(periodOf('report_year', '2026-12-15')).toEqual({ kind: 'report_year', start: '2026-12-15', end: '2027-12-14' });
    expect(periodOf('report_year', '2026-02-28')).toEqual({ kind: 'report_year', start: '2025-12-15', end: '2026-12-14' });
  });
  it('every day of a span falls in exactly one reporting month', () => {
    const months = periodsCovering('report_month', '2026-01-01', '2026-12-31');
    expect(months.map((p) => p.start)).toEqual([
      '2025-12-15', '2026-01-15', '2026-02-15', '2026-03-15', '2026-04-15', '2026-05-15', '2026-06-15',
      '2026-07-15', '2026-08-15', '2026-09-15', '2026-10-15', '2026-11-15', '2026-12-15'
    ]);
  });
});

describe('the same elapsed part of the previous period (cùng kỳ)', () => {
  it('compares the 1st–2nd of this month with the 1st–2nd of the last, and the 1st with the 1st', () => {
    expect(sameElapsedPart(periodOf('month', '2026-12-02'), '2026-12-02')).toEqual({ start: '2026-11-01', end: '2026-11-02' });
    expect(sameElapsedPart(periodOf('month', '2026-12-01'), '2026-12-01')).toEqual({ start: '2026-11-01', end: '2026-11-01' });
  });
  it('cuts at the previous period’s end, and counts a reporting month from its 15th', () => {
    expect(sameElapsedPart(periodOf('month', '2026-03-30'), '2026-03-30')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(sameElapsedPart(periodOf('report_month', '2026-12-03'), '2026-12-03')).toEqual({ start: '2026-10-15', end: '2026-11-03' });
    expect(sameElapsedPart(periodOf('week', '2026-12-02'), '2026-12-02')).toEqual({ start: '2026-11-23', end: '2026-11-25' });
  });
  it('is none for a whole period, a day, or a period not begun', () => {
    expect(sameElapsedPart(periodOf('month', '2026-11-10'), '2026-12-02')).toBeNull();
    expect(sameElapsedPart(periodOf('month', '2026-11-30'), '2026-11-30')).toBeNull();
    expect(sameElapsedPart(periodOf('day', '2026-12-02'), '2026-12-02')).toBeNull();
    expect(sameElapsedPart(periodOf('month', '2027-01-05'), '2026-12-02')).toBeNull();
  });
});

describe('the period the overview and the wall open on early in a month', () => {
  it('is the whole month before during the first days, the current one after', () => {
    expect(earlyOpening('2026-12-02', 5)).toBe('2026-11-30');
    expect(earlyOpening('2026-12-05', 5)).toBe('2026-11-30');
    expect(earlyOpening('2027-01-01', 5)).toBe('2026-12-31');
    expect(earlyOpening('2026-12-06', 5)).toBeNull();
    expect(earlyOpening('2026-12-01', 0)).toBeNull();
  });
});

describe('the same days last year (cùng kỳ năm trước)', () => {
  it('is the days so far a year back for a period in progress, the whole period a year back for a whole one', () => {
    expect(sameDaysLastYear(periodOf('month', '2026-12-03'), '2026-12-03')).toEqual({ start: '2025-12-01', end: '2025-12-03' });
    expect(sameDaysLastYear(periodOf('month', '2026-11-10'), '2026-12-03')).toEqual({ start: '2025-11-01', end: '2025-11-30' });
    expect(sameDaysLastYear(periodOf('month', '2028-02-29'), '2028-02-29')).toEqual({ start: '2027-02-01', end: '2027-02-28' });
    expect(sameDaysLastYear(periodOf('month', '2027-01-05'), '2026-12-03')).toBeNull();
  });
});
