import { describe, expect, it } from 'vitest';
import { competitionRanks } from './ranking.ts';

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
