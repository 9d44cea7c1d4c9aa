import { describe, expect, it } from 'vitest';
import { growingWaitSeconds, LIMITS, signInWaitSeconds, waitMessage, type FailureCounts } from './throttle.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const none: FailureCounts = { pair: 0, pairLastAt: null, address: 0, addressOldestAt: null, account: 0, accountLastAt: null, knownAddress: false };

describe('sign-in throttling', () => {
  it('lets the first failures of a pair through, then waits 1, 2, 4, 8 minutes, and 15 at most', () => {
    expect([0, 4, 5, 6, 7, 8, 9, 40].map((n) => growingWaitSeconds(n, LIMITS.freePerPair))).toEqual([0, 0, 60, 120, 240, 480, 900, 900]);
  });
  it('counts the wait from the last failure of the pair', () => {
    expect(signInWaitSeconds({ ...none, pair: 6, pairLastAt: NOW - 30_000 }, NOW)).toBe(90);
    expect(signInWaitSeconds({ ...none, pair: 6, pairLastAt: NOW - 200_000 }, NOW)).toBe(0);
  });
  it('holds an address that failed on many accounts until its oldest failure leaves the window', () => {
    expect(signInWaitSeconds({ ...none, address: LIMITS.perAddress, addressOldestAt: NOW - 5 * 60_000 }, NOW)).toBe(10 * 60);
    expect(signInWaitSeconds({ ...none, address: LIMITS.perAddress - 1, addressOldestAt: NOW }, NOW)).toBe(0);
  });
  it('slows a spray over many addresses for unknown addresses only', () => {
    const spray = { ...none, account: LIMITS.perAccountUnknown + 1, accountLastAt: NOW };
    expect(signInWaitSeconds(spray, NOW)).toBe(120);
    expect(signInWaitSeconds({ ...spray, knownAddress: true }, NOW)).toBe(0);
  });
  it('says the wait in whole minutes', () => {
    expect(waitMessage(61)).toBe('Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau 2 phút.');
    expect(waitMessage(5)).toBe('Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau 1 phút.');
  });
});
