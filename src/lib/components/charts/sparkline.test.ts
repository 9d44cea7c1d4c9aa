import { describe, expect, it } from 'vitest';
import { niceStep, sparkline } from './sparkline.ts';

describe('sparkline', () => {
  it('spans the box, highest value at the top', () => {
    const s = sparkline([0.5, 1, 0], 100, 20, 0);
    expect(s.d).toBe('M0 10 L50 0 L100 20');
    expect(s.last).toEqual({ x: 100, y: 20 });
    expect([s.lo, s.hi]).toEqual([0, 1]);
  });

  it('leaves a gap where a period has no data, and ends on the newest point with data', () => {
    const s = sparkline([0.2, null, 0.4, 0.6, null], 40, 10, 0);
    expect(s.d).toBe('M0 10 M20 5 L30 0');
    expect(s.last).toEqual({ x: 30, y: 0 });
  });

  it('does not blow a small wobble up into a cliff when given a minimum span', () => {
    // 0.80 → 0.81 over a 10-point minimum span: a rise of a tenth of the height, around the middle.
    expect(sparkline([0.8, 0.81], 10, 100, 0, 0.1).d).toBe('M0 55 L10 45');
  });

  it('draws a flat series in the middle, and nothing without data', () => {
    expect(sparkline([0.9, 0.9], 10, 10, 0).d).toBe('M0 5 L10 5');
    expect(sparkline([null, null], 10, 10)).toEqual({ d: '', last: null, tail: '', lo: null, hi: null, step: null });
  });
});

describe('the sparkline’s scale (issue 16: a flat series must not look steep)', () => {
  const ratio = { nice: true, bounds: [0, 1] as const };

  it('states the range its height stands for, in round steps: a flat 90 % reads 85 %–95 %, a line across the middle', () => {
    const s = sparkline([0.9, 0.9, 0.9], 100, 100, 0, 0.1, ratio);
    expect([s.lo, s.hi, s.step]).toEqual([0.85, 0.95, 0.05]);
    expect(s.d).toBe('M0 50 L50 50 L100 50');
  });

  it('a wobble of half a point and a fall of 48 points get scales that tell them apart', () => {
    const flat = sparkline([0.741, 0.736, 0.74], 100, 100, 0, 0.1, ratio);
    expect([flat.lo, flat.hi]).toEqual([0.65, 0.8]);
    // The whole wobble is under 4 % of the height.
    const ys = flat.d.match(/ (\d+(\.\d+)?)/g)!.map(Number);
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(4);
    const cliff = sparkline([0.9, 0.899, 0.419], 100, 100, 0, 0.1, ratio);
    expect([cliff.lo, cliff.hi]).toEqual([0, 1]);
  });

  it('never labels a ratio below 0 % or above 100 %: the scale shifts inside', () => {
    const top = sparkline([0.99, 1], 10, 10, 0, 0.1, ratio);
    expect([top.lo, top.hi]).toEqual([0.9, 1]);
    const bottom = sparkline([0, 0.01], 10, 10, 0, 0.1, ratio);
    expect([bottom.lo, bottom.hi]).toEqual([0, 0.1]);
  });

  it('rounds steps to 1, 2 or 5 × 10ⁿ', () => {
    expect([0.05, 0.024, 0.13, 0.3, 0.7].map(niceStep)).toEqual([0.05, 0.05, 0.2, 0.5, 1]);
  });

  it('draws the segment into a period in progress apart, so it can be dashed', () => {
    const s = sparkline([0.5, 1, 0], 100, 20, 0, 0, { partialLast: true });
    expect(s.d).toBe('M0 10 L50 0');
    expect(s.tail).toBe('M50 0 L100 20');
    expect(sparkline([0.5, null, 0], 100, 20, 0, 0, { partialLast: true }).tail).toBe('');
    expect(sparkline([0.5, 1, 0], 100, 20, 0).tail).toBe('');
  });
});
