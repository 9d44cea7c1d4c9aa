import { describe, expect, it } from 'vitest';
import { isProvisional, periodOf, periodsCovering, previousPeriod, today } from './periods.ts';

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
