import { describe, expect, it } from 'vitest';
import { competitionRanks, scaledTotal } from './ranking.ts';

const rank = (scores: (number | null)[], dir?: 'higher_is_better' | 'lower_is_better') => {
  const items = scores.map((s, i) => ({ i, s }));
  const ranks = competitionRanks(items, (x) => x.s, dir);
  return items.map((x) => ranks.get(x));
};

describe('competitionRanks', () => {
  it('ranks ties 1, 2, 2, 4', () => {
    expect(rank([90, 80, 80, 70])).toEqual([1, 2, 2, 4]);
  });
  it('does not depend on input order', () => {
    expect(rank([70, 80, 90, 80])).toEqual([4, 2, 1, 2]);
  });
  it('treats floating-point noise as a tie', () => {
    expect(rank([0.1 + 0.2, 0.3])).toEqual([1, 1]);
  });
  it('leaves units without a score unranked instead of last', () => {
    expect(rank([null, 50, 60])).toEqual([null, 2, 1]);
  });
  it('ranks the lowest first when lower is better', () => {
    expect(rank([3, 1, 2, 1], 'lower_is_better')).toEqual([4, 1, 3, 1]);
  });
});

describe('scaledTotal', () => {
  it('is the plain sum when every indicator applies, out of the scheme own maximum', () => {
    // The 766 progress group: one indicator of 20 points, so the total is the points themselves.
    expect(scaledTotal([{ maxPoints: 20, points: 18 }])).toBe(18);
    expect(scaledTotal([{ maxPoints: 20, points: 14.29 }])).toBe(14.29);
    // The operations scheme: 100 points over eight indicators.
    expect(scaledTotal([{ maxPoints: 60, points: 45 }, { maxPoints: 40, points: 30.5 }])).toBe(75.5);
  });
  it('rescales to the scheme full total (Σ max points) over the indicators that apply, not to 100', () => {
    // A 20-point scheme with one indicator out: 6 of 12 applicable → 10 of 20 (never 50 of 100).
    expect(scaledTotal([{ maxPoints: 12, points: 6 }, { maxPoints: 8, points: null }])).toBe(10);
    // A 100-point scheme: 61,50 of 80 applicable → 76,88.
    expect(scaledTotal([{ maxPoints: 50, points: 37.5 }, { maxPoints: 30, points: 24 }, { maxPoints: 20, points: null }])).toBe(76.88);
  });
  it('is null when nothing applies', () => {
    expect(scaledTotal([{ maxPoints: 20, points: null }])).toBeNull();
    expect(scaledTotal([])).toBeNull();
  });
});
