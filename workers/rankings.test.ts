import { describe, expect, it } from 'vitest';
import { scoreBoard } from './rankings.ts';

const scheme = {
  indicators: [
    { key: 'on_time', numerator: ['a', 'b'], denominator: ['r'], direction: 'higher_is_better' as const, maxPoints: 20, saturation: 1 },
    { key: 'online', numerator: ['o'], denominator: ['r'], direction: 'higher_is_better' as const, maxPoints: 12, saturation: 0.5 }
  ]
};
const totals = (rows: Record<number, Record<string, number>>) =>
  new Map(Object.entries(rows).map(([id, values]) => [Number(id), { values: new Map(Object.entries(values)), asOf: null }]));

describe('scoreBoard', () => {
  it('scores each child from the sums, and ranks on the total with ties 1, 2, 2, 4', () => {
    const rows = scoreBoard([1, 2, 3, 4], totals({
      1: { a: 80, b: 10, r: 100, o: 50 }, // 18 + 12 = 30
      2: { a: 70, b: 0, r: 100, o: 60 }, // 14 + 12 = 26
      3: { a: 35, b: 0, r: 50, o: 50 }, // 14 + 12 = 26
      4: { a: 10, b: 0, r: 100, o: 10 } // 2 + 2.4 = 4.4
    }), scheme);
    expect(rows.map((r) => [r.unitId, r.total, r.rank])).toEqual([[1, 30, 1], [2, 26, 2], [3, 26, 2], [4, 4.4, 4]]);
    expect(rows[0]!.indicators.on_time).toEqual({ numerator: 90, denominator: 100, ratio: 0.9, points: 18, rank: 1 });
    expect(rows[3]!.indicators.online!.points).toBe(2.4);
  });
  it('does not rank a unit whose source reported nothing, and says why', () => {
    const rows = scoreBoard([1, 2], totals({ 1: { a: 5, b: 0, r: 10, o: 5 }, 2: { o: 3 } }), scheme);
    expect(rows[1]).toMatchObject({ rank: null, total: null, notRankedReason: 'no data for on_time, online' });
    expect(rows[0]!.rank).toBe(1);
  });
  it('leaves out an indicator whose denominator is 0 and scales the total to the others', () => {
    const three = { indicators: [...scheme.indicators, { key: 'tasks', numerator: ['t'], denominator: ['d'], direction: 'higher_is_better' as const, maxPoints: 8, saturation: 1 }] };
    const rows = scoreBoard([1, 2], totals({
      1: { a: 10, b: 0, r: 10, o: 5, t: 0, d: 0 }, // 20 + 12 of 32 applicable → 40 of 40
      2: { a: 5, b: 0, r: 10, o: 5, t: 4, d: 8 } // 10 + 12 + 4 = 26 of 40
    }), three);
    expect(rows[0]!.indicators.tasks).toEqual({ numerator: 0, denominator: 0, ratio: null, points: null, rank: null });
    expect(rows.map((r) => [r.total, r.rank])).toEqual([[40, 1], [26, 2]]);
  });
  it('does not rank a unit with nothing to score (every denominator 0)', () => {
    const rows = scoreBoard([1], totals({ 1: { a: 0, b: 0, r: 0, o: 0 } }), scheme);
    expect(rows[0]).toMatchObject({ rank: null, total: null, notRankedReason: 'nothing to score in this period' });
  });
  it('treats a child with no samples at all as not ranked', () => {
    const rows = scoreBoard([7], undefined, scheme);
    expect(rows[0]).toMatchObject({ unitId: 7, rank: null, total: null });
  });
});
