import { describe, expect, it } from 'vitest';
import { sparkline } from './sparkline.ts';

describe('sparkline', () => {
  it('spans the box, highest value at the top', () => {
    const s = sparkline([0.5, 1, 0], 100, 20, 0);
    expect(s.d).toBe('M0 10 L50 0 L100 20');
    expect(s.last).toEqual({ x: 100, y: 20 });
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
    expect(sparkline([null, null], 10, 10)).toEqual({ d: '', last: null });
  });
});
