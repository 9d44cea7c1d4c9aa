import { describe, expect, it } from 'vitest';
import { dayStartIct, isCorrected, isLate, roleOf, sumOf } from './drilldown.ts';

describe('drill-down rules', () => {
  it('begin a day at 00:00 in Hà Nội (17:00 UTC the day before)', () => {
    expect(dayStartIct('2026-11-19')).toBe('2026-11-18T17:00:00.000Z');
    expect(dayStartIct('2026-11-19', 2)).toBe('2026-11-20T17:00:00.000Z');
    expect(dayStartIct('2026-12-31', 1)).toBe('2026-12-31T17:00:00.000Z');
  });

  it('call a sample late only when it was first stored after the end of the next day (ICT)', () => {
    // Day 19/11: due by the end of 20/11 ICT = 2026-11-20T17:00Z.
    expect(isLate('2026-11-19', '2026-11-19T10:00:00Z')).toBe(false); // the same day
    expect(isLate('2026-11-19', '2026-11-20T16:59:59.999Z')).toBe(false); // 23:59:59 on the 20th, ICT
    expect(isLate('2026-11-19', '2026-11-20T17:00:00Z')).toBe(true); // 00:00 on the 21st, ICT
    expect(isLate('2026-11-19', '2026-12-01T00:00:00Z')).toBe(true);
    // Arrival unknown (before provenance, or history loaded by a backfill): never late.
    expect(isLate('2026-11-19', null)).toBe(false);
  });

  it('call a sample corrected when it changed after it was first stored and after its own day', () => {
    const first = '2026-11-19T03:00:00Z'; // 10:00 ICT on the 19th
    expect(isCorrected('2026-11-19', first, first)).toBe(false); // never changed
    // Growing during its own day (re-read by every poll) is not a correction.
    expect(isCorrected('2026-11-19', first, '2026-11-19T16:59:00Z')).toBe(false);
    // Changed on the 20th (ICT): a correction.
    expect(isCorrected('2026-11-19', first, '2026-11-19T17:00:00Z')).toBe(true);
    expect(isCorrected('2026-11-19', first, '2026-11-25T08:00:00Z')).toBe(true);
    expect(isCorrected('2026-11-19', null, '2026-11-25T08:00:00Z')).toBe(false);
  });

  it('add up the reported metrics of a side, and tell nothing reported from zero', () => {
    const values = new Map([['a', 3], ['b', 0]]);
    expect(sumOf(values, ['a', 'b'])).toBe(3);
    expect(sumOf(values, ['b'])).toBe(0);
    expect(sumOf(values, ['c'])).toBeNull();
    expect(sumOf(values, ['a', 'c'])).toBe(3);
  });

  it('name the part a metric plays in a ratio', () => {
    const completed = { numerator: ['task.completed_on_time', 'task.completed_late'], denominator: ['task.completed_on_time', 'task.completed_late', 'task.open_overdue'] };
    expect(roleOf(completed, 'task.completed_late')).toBe('both');
    expect(roleOf(completed, 'task.open_overdue')).toBe('denominator');
    expect(roleOf({ numerator: ['x'], denominator: ['y'] }, 'x')).toBe('numerator');
  });
});
