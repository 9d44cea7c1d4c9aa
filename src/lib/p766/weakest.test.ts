import { describe, expect, it } from 'vitest';
import { shortfallOf, weakestIndicators } from './weakest.ts';
import { board766, INDICATORS, row766, withCounts } from './fixtures.ts';

const meta = (key: string) => INDICATORS.find((i) => i.key === key)!;
const v = (numerator: number | null, denominator: number | null) => ({ numerator, denominator, ratio: null, points: null, rank: null });

describe('shortfallOf', () => {
  it('is what the numerator still needs for full points: the rest of the denominator at 100 %, up to the saturation before', () => {
    expect(shortfallOf(meta('p766.progress'), v(850, 1000))).toBe(150);
    // full marks at 90 %: 900 of 1000 satisfied, 700 there
    expect(shortfallOf(meta('p766.dossier_receiving_satisfaction'), v(700, 1000))).toBe(200);
    // at 80 %: 0.8 × 1000 is 800.0000000000001 in floating point, and 800 are enough
    expect(shortfallOf(meta('p766.reused_digitized_data'), v(20, 1000))).toBe(780);
    expect(shortfallOf(meta('p766.reused_digitized_data'), v(5, 7))).toBe(1); // ⌈5,6⌉ − 5
    expect(shortfallOf(meta('p766.reused_digitized_data'), v(900, 1000))).toBe(0);
  });

  it('cannot say for a published score, no data, or nothing to count (0 of 0)', () => {
    expect(shortfallOf(meta('p766.online'), v(6, null))).toBeNull();
    expect(shortfallOf(meta('p766.progress'), v(null, null))).toBeNull();
    expect(shortfallOf(meta('p766.dossier_sync'), v(0, 0))).toBeNull();
    expect(shortfallOf(meta('p766.progress'), undefined)).toBeNull();
  });
});

describe('weakestIndicators', () => {
  it('takes the sub-indicators where the province earns the smallest share, each with the units short of most', () => {
    const rows = [
      row766('A', 1, withCounts({ 'p766.synced_with_dvcqg_personal_storage': [0, 300], 'p766.reused_digitized_data': [0, 300] })),
      row766('B', 2, withCounts({ 'p766.synced_with_dvcqg_personal_storage': [0, 900], 'p766.reused_digitized_data': [100, 900] })),
      row766('C', 3, withCounts({ 'p766.synced_with_dvcqg_personal_storage': [50, 100], 'p766.reused_digitized_data': [80, 100] })),
      row766('D', 4, withCounts({ 'p766.synced_with_dvcqg_personal_storage': [10, 10], 'p766.reused_digitized_data': [0, 10] }))
    ];
    // The province (BASE): synced 0/800 → 0 of 4; reused 20/800 → 0,06 of 2; copies and online (published) left out;
    // publishing 0/0 (no points) left out; petitions 0/0 (full marks) not weak.
    const weak = weakestIndicators(board766(rows));
    expect(weak.map((w) => [w.meta.key, Math.round(w.share * 1000) / 1000, w.lost])).toEqual([
      ['p766.synced_with_dvcqg_personal_storage', 0, 4],
      ['p766.reused_digitized_data', 0.03, 1.94],
      ['p766.so_hoa_giay_to_giai_quyet', 0.1, 3.6],
      ['p766.citizen_data_connected_formality', 0.1, 1.8],
      ['p766.payment_fee_dossiers', 0.25, 1.5]
    ]);
    expect(weak[0]!.units.map((u) => [u.code, u.shortfall])).toEqual([['B', 900], ['A', 300], ['C', 50]]);
    // 80 % is full marks: C (80 of 100) needs nothing; D needs 8 of 10
    expect(weak[1]!.units.map((u) => [u.code, u.shortfall])).toEqual([['B', 620], ['A', 240], ['D', 8]]);
    expect(weak[0]!.shortfall).toBe(800);
    expect(weakestIndicators(board766(rows), { count: 3, perIndicator: 1 }).map((w) => w.units.length)).toEqual([1, 1, 1]);
  });

  it('has nothing to say without the province’s own score', () => {
    expect(weakestIndicators(board766([row766('A', 1)], { scope: null }))).toEqual([]);
  });
});
