import { describe, expect, it } from 'vitest';
import { conditionKey, nextDigestAt, quietUntil } from './alerts.ts';

/** A moment in Hà Nội (UTC+7). */
const hn = (iso: string) => new Date(`${iso}+07:00`);
const QUIET = { from: '22:00', to: '06:30' };

describe('quiet hours', () => {
  it('hold a delivery made inside them until they end, across midnight', () => {
    expect(quietUntil(hn('2026-12-03T23:10:00'), QUIET)).toEqual(hn('2026-12-04T06:30:00'));
    expect(quietUntil(hn('2026-12-04T02:00:00'), QUIET)).toEqual(hn('2026-12-04T06:30:00'));
    expect(quietUntil(hn('2026-12-03T22:00:00'), QUIET)).toEqual(hn('2026-12-04T06:30:00'));
  });
  it('let one outside them go now', () => {
    const now = hn('2026-12-03T06:30:00');
    expect(quietUntil(now, QUIET)).toBe(now);
    expect(quietUntil(hn('2026-12-03T21:59:00'), QUIET)).toEqual(hn('2026-12-03T21:59:00'));
    expect(quietUntil(hn('2026-12-03T23:00:00'), { from: null, to: null })).toEqual(hn('2026-12-03T23:00:00'));
  });
  it('within one day (12:00–13:30)', () => {
    expect(quietUntil(hn('2026-12-03T12:15:00'), { from: '12:00', to: '13:30' })).toEqual(hn('2026-12-03T13:30:00'));
    expect(quietUntil(hn('2026-12-03T13:30:00'), { from: '12:00', to: '13:30' })).toEqual(hn('2026-12-03T13:30:00'));
  });
});

describe('the daily digest', () => {
  it('goes at its time today or tomorrow, and after the quiet hours', () => {
    expect(nextDigestAt(hn('2026-12-03T07:00:00'), '08:00', QUIET)).toEqual(hn('2026-12-03T08:00:00'));
    expect(nextDigestAt(hn('2026-12-03T08:00:00'), '08:00', QUIET)).toEqual(hn('2026-12-04T08:00:00'));
    expect(nextDigestAt(hn('2026-12-03T10:00:00'), '05:00', QUIET)).toEqual(hn('2026-12-04T06:30:00'));
  });
});

describe('condition keys', () => {
  it('name the rule, what it is about and when', () => {
    expect(conditionKey(4, { unitId: 12, indicator: null, period: { kind: 'month', start: '2026-12-01' } })).toBe('rule:4|unit:12|ind:total|period:month:2026-12-01');
    expect(conditionKey(4, { sourceId: 3, day: '2026-12-03' })).toBe('rule:4|source:3|day:2026-12-03');
    expect(conditionKey(5, { sourceId: 3 })).not.toBe(conditionKey(4, { sourceId: 3 }));
  });
});
