import { describe, expect, it } from 'vitest';
import { points, ratioOfSums, round } from './ratio.ts';

describe('ratioOfSums', () => {
  it('is Σ numerator / Σ denominator, not the mean of ratios', () => {
    // two units: 9/10 and 1/90 → mean of ratios 45.6 %, ratio of sums 10 %
    expect(ratioOfSums(9 + 1, 10 + 90)).toBeCloseTo(0.1, 12);
  });
  it('gives no data (null) for a denominator of 0, never 0 % or 100 %', () => {
    expect(ratioOfSums(0, 0)).toBeNull();
    expect(ratioOfSums(5, 0)).toBeNull();
  });
  it('reproduces the published figures of domain.md', () => {
    expect(round(ratioOfSums(16_051, 16_051 + 223)! * 100, 1)).toBe(98.6); // tasks, 2017
    expect(round(ratioOfSums(16_051, 16_051 + 223)! * 100, 2)).toBe(98.63);
    // Thanh Oai e-ID: 161,929 / 165,590 = 97.789 %; the district report prints 97.7 % (truncated, not rounded).
    expect(ratioOfSums(161_929, 165_590)! * 100).toBeCloseTo(97.789, 3);
    expect(Math.trunc(ratioOfSums(161_929, 165_590)! * 1000) / 10).toBe(97.7);
    expect(round(ratioOfSums(14_068, 16_051)! * 100, 1)).toBe(87.6); // on-time completion
  });
});

describe('points', () => {
  it('is max × min(1, ratio / saturation), two decimals', () => {
    expect(points(0.74, 20)).toBe(14.8); // 766 progress: 20 × on-time ratio
    expect(points(0.25, 12, 0.5)).toBe(6); // online submission: full points at 50 %
    expect(points(0.83, 12, 0.5)).toBe(12); // saturated
    expect(points(0.123456, 20)).toBe(2.47);
  });
  it('earns nothing for no data (null), so the unit is not ranked rather than last', () => {
    expect(points(null, 20)).toBeNull();
  });
  it('rejects a saturation of 0', () => {
    expect(() => points(0.5, 20, 0)).toThrow(/saturation/);
  });
});

describe('round', () => {
  it('rounds half away from zero, as the portal publishes', () => {
    expect(round(2.345)).toBe(2.35);
    expect(round(1.005)).toBe(1.01);
    expect(round(-2.345)).toBe(-2.35);
  });
});
