import { describe, expect, it } from 'vitest';
import { NATIONAL_766_PROGRESS_SCHEME } from '#domain/catalogue';
import { points } from '#domain/ratio';
import { childGroups, scoreBoard, scoreGroups } from './rankings.ts';

const scheme = {
  indicators: [
    { key: 'on_time', numerator: ['a', 'b'], denominator: ['r'], direction: 'higher_is_better' as const, maxPoints: 20, saturation: 1 },
    { key: 'online', numerator: ['o'], denominator: ['r'], direction: 'higher_is_better' as const, maxPoints: 12, saturation: 0.5 }
  ]
};
const totals = (rows: Record<number, Record<string, number>>) =>
  new Map(Object.entries(rows).map(([id, values]) => [Number(id), { values: new Map(Object.entries(values)), asOf: null, estimated: id === '9' }]));

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
    expect(rows[1]).toMatchObject({ rank: null, total: null, notRanked: { code: 'no_data', indicators: ['on_time', 'online'] } });
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
    expect(rows[0]).toMatchObject({ rank: null, total: null, notRanked: { code: 'nothing_to_score', indicators: [] } });
  });
  it('treats a child with no samples at all as not ranked', () => {
    const rows = scoreBoard([7], undefined, scheme);
    expect(rows[0]).toMatchObject({ unitId: 7, rank: null, total: null, notRanked: { code: 'no_data', indicators: ['on_time', 'online'] } });
  });
});

describe('scoreBoard on the national 766 progress group', () => {
  const scheme766 = { indicators: NATIONAL_766_PROGRESS_SCHEME.indicators.map((i) => ({ ...i, numerator: [...i.numerator], denominator: [...i.denominator] })) };
  /** A unit's month as the portal publishes it: received, resolved on time, pending on time. */
  const portal = (received: number, resolvedOnTime: number, pendingOnTime: number) => ({
    'dossier.received': received, 'dossier.resolved_on_time': resolvedOnTime, 'dossier.pending_on_time': pendingOnTime,
    // Metrics of the other schemes' indicators are there too, and must not change anything.
    'dossier.received_online': 1, 'eid.activated': 5
  });

  it('scores 20 × (resolved on time + pending on time) / received, two decimals, out of 20', () => {
    const rows = scoreBoard([1, 2, 3, 4, 5], totals({
      1: portal(120, 90, 18), // 20 × 108/120 = 18,00
      2: portal(7, 4, 1), // 20 × 5/7 = 14,2857… → 14,29
      3: portal(800, 0, 1), // 20 × 1/800 = 0,025 → 0,03 (half away from zero, as the portal rounds)
      4: portal(1_065_150, 700_000, 88_211), // 20 × 788,211/1,065,150 = 14,7999… → 14,80
      5: portal(300, 250, 50) // every dossier on time → 20,00
    }), scheme766);
    expect(rows.map((r) => r.total)).toEqual([18, 14.29, 0.03, 14.8, 20]);
    expect(rows.map((r) => r.rank)).toEqual([2, 4, 5, 3, 1]);
    expect(rows[0]!.indicators['dossier.on_time']).toEqual({ numerator: 108, denominator: 120, ratio: 0.9, points: 18, rank: 2 });
    // Exactly what the domain rule gives: the total is the indicator's points, not rescaled to 100.
    for (const r of rows) expect(r.total).toBe(points(r.indicators['dossier.on_time']!.ratio, 20, 1));
    expect(Object.keys(rows[0]!.indicators)).toEqual(['dossier.on_time']);
  });

  it('does not score a unit that received nothing (no data, never 0), nor one that reported nothing', () => {
    const rows = scoreBoard([1, 2, 3], totals({ 1: portal(0, 0, 0), 2: { 'eid.activated': 5 }, 3: portal(10, 5, 0) }), scheme766);
    expect(rows[0]).toMatchObject({ rank: null, total: null, notRanked: { code: 'nothing_to_score', indicators: [] } });
    expect(rows[0]!.indicators['dossier.on_time']).toMatchObject({ ratio: null, points: null });
    expect(rows[1]).toMatchObject({ rank: null, total: null, notRanked: { code: 'no_data', indicators: ['dossier.on_time'] } });
    expect(rows[2]).toMatchObject({ rank: 1, total: 10 });
  });

  it('scales a 20-point scheme to 20 over what applies, never to 100', () => {
    const twenty = {
      indicators: [
        { key: 'x', numerator: ['a'], denominator: ['r'], direction: 'higher_is_better' as const, maxPoints: 12, saturation: 1 },
        { key: 'y', numerator: ['t'], denominator: ['d'], direction: 'higher_is_better' as const, maxPoints: 8, saturation: 1 }
      ]
    };
    // 6 of 12 with y not applicable (d = 0) → 10 of 20; all applying: 6 + 4 = 10 as well, 9 + 8 = 17.
    const rows = scoreBoard([1, 2, 3], totals({ 1: { a: 5, r: 10, t: 0, d: 0 }, 2: { a: 5, r: 10, t: 1, d: 2 }, 3: { a: 3, r: 4, t: 2, d: 2 } }), twenty);
    expect(rows.map((r) => r.total)).toEqual([10, 10, 17]);
  });
});

describe('childGroups', () => {
  const c = (id: number, level: string, validFrom: string | null, validTo: string | null) => ({ id, parentId: 1, level, validFrom, validTo });
  const children = [c(2, 'district', null, '2025-06-30'), c(3, 'district', null, '2025-06-30'), c(4, 'commune', '2025-07-01', null), c(5, 'department', '2025-07-01', null)];
  it('ranks the children in force on the last day of the period, grouped by level', () => {
    expect(childGroups(children, '2025-06-30')).toEqual([[2, 3]]);
    expect(childGroups(children, '2025-07-31')).toEqual([[4], [5]]);
    // A period that crosses the reform (the year 2025) ranks the new units.
    expect(childGroups(children, '2025-12-31')).toEqual([[4], [5]]);
  });
});

describe('scoreGroups', () => {
  const taskScheme = {
    indicators: [...scheme.indicators, { key: 'eid', numerator: ['e'], denominator: ['c'], direction: 'higher_is_better' as const, maxPoints: 10, saturation: 1 }]
  };
  it('ranks each group on its own, and an indicator only other groups report does not apply to a group', () => {
    const rows = scoreGroups([[1, 2], [8, 9]], totals({
      1: { a: 9, b: 0, r: 10, o: 5, e: 5, c: 10 },
      2: { a: 5, b: 0, r: 10, o: 5, e: 10, c: 10 },
      8: { a: 10, b: 0, r: 10, o: 5 }, // departments: no e-ID at all
      9: { a: 5, b: 0, r: 10, o: 5 }
    }), taskScheme);
    expect(rows.map((r) => [r.unitId, r.rank])).toEqual([[1, 1], [2, 2], [8, 1], [9, 2]]);
    expect(rows[2]!.notRanked).toBeNull();
    expect(rows[2]!.indicators.eid).toEqual({ numerator: null, denominator: null, ratio: null, points: null, rank: null });
    // 20 + 12 out of the 32 that apply, scaled to the scheme's 42.
    expect(rows[2]!.total).toBe(42);
    expect(rows[3]!.estimated).toBe(true);
  });
  it('leaves an indicator no group reports as no data for everyone', () => {
    const rows = scoreGroups([[1], [8]], totals({ 1: { a: 9, b: 0, r: 10, o: 5 }, 8: { a: 10, b: 0, r: 10, o: 5 } }), taskScheme);
    expect(rows.map((r) => r.notRanked)).toEqual([{ code: 'no_data', indicators: ['eid'] }, { code: 'no_data', indicators: ['eid'] }]);
  });
});
