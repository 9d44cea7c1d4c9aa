/**
 * The full national 766 index as scoreBoard scores it (../shared/portal-766.md), on rows worked by
 * hand: every sub-indicator's formula, half-up rounding, each group's zero-denominator rule, a group
 * as the sum of its rounded parts, the total as the sum of the groups, ranks on the published total.
 */
import { describe, expect, it } from 'vitest';
import { NATIONAL_766_SCHEME } from '#domain/catalogue';
import { scoreBoard } from './rankings.ts';

const scheme = {
  totalRule: NATIONAL_766_SCHEME.totalRule,
  groups: NATIONAL_766_SCHEME.groups.map((g) => ({ ...g })),
  indicators: NATIONAL_766_SCHEME.indicators.map((i) => ({
    ...i, numerator: [...i.numerator], denominator: [...i.denominator], groupKey: i.group
  }))
};
const totals = (rows: Record<number, Record<string, number>>) =>
  new Map(Object.entries(rows).map(([id, values]) => [Number(id), { values: new Map(Object.entries(values)), asOf: null, estimated: false }]));
const pair = (code: string, n: number, d: number) => ({ [`p766.${code}.n`]: n, [`p766.${code}.d`]: d });

/** A unit's month with every field: the spec's invented examples where it gives them. */
function unit(over: Record<string, number> = {}): Record<string, number> {
  return {
    // transparency: publishing 0/0 (not counted), content 40/50 → 1.60, sync 900/900 → 6: 7.60
    ...pair('publish_on_time', 0, 0), ...pair('public_update_on_time', 0, 0), ...pair('public_content_full', 40, 50), ...pair('dossier_sync', 900, 900),
    // progress: 850/1000 → 17
    ...pair('progress', 850, 1000),
    'p766.score.online': 6.3,
    // payment: 90/100 → 5.40; 3/10 → min(2, 2.5 × 0.3) = 0.75; 2/10 → 0.50: 6.65
    'p766.dossier_online_payment_success': 90, 'p766.dossier_financial_obligation': 100, 'p766.dossier_online_formality_payment_success': 3,
    'p766.fee_formality': 10, 'p766.fee_dossier_formality': 2, 'p766.fee_dossier_formality_distinct': 10,
    // satisfaction: 700/1000 → min(6, 6 × 0.7 / 0.9) = 4.67; petitions 0/0 → 6 and 6: 16.67
    ...pair('dossier_receiving_satisfaction', 700, 1000), ...pair('petition_processing_on_time', 0, 0), ...pair('petition_handling_satisfaction', 0, 0),
    // digitisation: 600/800 → 4.50; 80/800 → 0.40; 20/800 → 2 × 0.025 / 0.8 = 0.06; 0/0 → none; 400/800 → 1; 30/300 → 0.20; copy 2: 8.16
    ...pair('original_result_available', 600, 800), ...pair('so_hoa_giay_to_giai_quyet', 80, 800), ...pair('reused_digitized_data', 20, 800),
    ...pair('synced_with_dvcqg_personal_storage', 0, 0), ...pair('citizen_data_connected_dossier', 400, 800), ...pair('citizen_data_connected_formality', 30, 300),
    'p766.electronic_certified_copy.score': 2,
    'p766.score.transparency': 7.6, 'p766.score.progress': 17, 'p766.score.payment': 6.65, 'p766.score.satisfaction': 16.67, 'p766.score.digitization': 8.16,
    ...over
  };
}

describe('the national 766 index, six groups, 100 points', () => {
  it('has 100 points in six groups of 18, 20, 12, 10, 18 and 22', () => {
    const max = (g: string) => NATIONAL_766_SCHEME.indicators.filter((i) => i.group === g).reduce((s, i) => s + i.maxPoints, 0);
    expect(NATIONAL_766_SCHEME.groups.map((g) => [g.key, g.maxPoints, max(g.key)])).toEqual([
      ['transparency', 18, 18], ['progress', 20, 20], ['online', 12, 12], ['payment', 10, 10], ['satisfaction', 18, 18], ['digitization', 22, 22]
    ]);
  });

  it("reproduces the spec's worked examples, group by group, and the total as the sum of the groups", () => {
    const [r] = scoreBoard([1], totals({ 1: unit() }), scheme);
    const points = (k: string) => r!.indicators[`p766.${k}`]!.points;
    expect([points('publish_on_time'), points('public_update_on_time'), points('public_content_full'), points('dossier_sync')]).toEqual([null, null, 1.6, 6]);
    expect(points('progress')).toBe(17);
    expect([points('payment_dossiers'), points('payment_formalities'), points('payment_fee_dossiers')]).toEqual([5.4, 0.75, 0.5]);
    expect([points('dossier_receiving_satisfaction'), points('petition_processing_on_time'), points('petition_handling_satisfaction')]).toEqual([4.67, 6, 6]);
    expect([points('original_result_available'), points('so_hoa_giay_to_giai_quyet'), points('reused_digitized_data'), points('synced_with_dvcqg_personal_storage'),
      points('citizen_data_connected_dossier'), points('citizen_data_connected_formality'), points('electronic_certified_copy')]).toEqual([4.5, 0.4, 0.06, null, 1, 0.2, 2]);
    expect(Object.fromEntries(Object.entries(r!.groups!).map(([k, g]) => [k, g.points]))).toEqual({
      transparency: 7.6, progress: 17, online: 6.3, payment: 6.65, satisfaction: 16.67, digitization: 8.16
    });
    expect(r!.totalRecomputed).toBe(62.38);
    expect(r!.totalPublished).toBe(62.38);
    expect(r!.total).toBe(62.38);
  });

  it('rounds half-up: 29 of 32 on time earns 18.13 of 20, not 18.12', () => {
    const [r] = scoreBoard([1], totals({ 1: unit(pair('progress', 29, 32)) }), scheme);
    expect(r!.indicators['p766.progress']).toMatchObject({ numerator: 29, denominator: 32, points: 18.13 });
  });

  it('makes a group the sum of its rounded parts, not the rounding of the unrounded sum', () => {
    // 2 × 1/3 = 0.666… → 0.67, twice: 1.34 as the portal adds them, where the unrounded sum would round to 1.33.
    const [r] = scoreBoard([1], totals({ 1: unit({ ...pair('citizen_data_connected_dossier', 1, 3), ...pair('citizen_data_connected_formality', 1, 3),
      ...pair('original_result_available', 0, 0), ...pair('so_hoa_giay_to_giai_quyet', 0, 0), ...pair('reused_digitized_data', 0, 0), 'p766.electronic_certified_copy.score': 0 }) }), scheme);
    expect(r!.groups!.digitization!.points).toBe(1.34);
  });

  it('treats zero denominators as the portal does, group by group', () => {
    const [r] = scoreBoard([1], totals({ 1: unit({ ...pair('progress', 0, 0), ...pair('dossier_sync', 0, 0), ...pair('public_content_full', 0, 0),
      ...pair('dossier_receiving_satisfaction', 0, 0), 'p766.dossier_financial_obligation': 0, 'p766.dossier_online_payment_success': 0 }) }), scheme);
    // progress: 0 received scores 0 and is still ranked
    expect(r!.indicators['p766.progress']).toMatchObject({ ratio: null, points: 0 });
    // transparency and digitisation: not counted (no points, the group counts 0 for them)
    expect(r!.indicators['p766.dossier_sync']!.points).toBeNull();
    expect(r!.groups!.transparency!.points).toBe(0);
    // satisfaction: dossiers 0/0 → 0; petitions 0/0 → full marks
    expect(r!.indicators['p766.dossier_receiving_satisfaction']!.points).toBe(0);
    expect(r!.indicators['p766.petition_processing_on_time']!.points).toBe(6);
    // payment: 0 when the denominator is 0
    expect(r!.indicators['p766.payment_dossiers']!.points).toBe(0);
    expect(r!.rank).toBe(1);
  });

  it('gives the dossier-satisfaction full marks from 90 %, and the payment procedures from 80 %', () => {
    const [r] = scoreBoard([1], totals({ 1: unit({ ...pair('dossier_receiving_satisfaction', 878, 2739), 'p766.dossier_online_formality_payment_success': 9 }) }), scheme);
    expect(r!.indicators['p766.dossier_receiving_satisfaction']!.points).toBe(2.14); // the spec's 878/2739 → 2.14
    expect(r!.indicators['p766.payment_formalities']!.points).toBe(2); // 90 % ≥ 80 %
  });

  it('ranks on the published total, keeps ours beside it, and shows where they differ', () => {
    const rows = scoreBoard([1, 2, 3], totals({
      1: unit(),
      2: unit({ 'p766.score.payment': 6.66 }), // the portal is 0.01 above our 6.65
      3: unit({ 'p766.score.online': 9 })
    }), scheme);
    expect(rows.map((r) => [r.unitId, r.total, r.totalRecomputed, r.rank])).toEqual([[1, 62.38, 62.38, 3], [2, 62.39, 62.38, 2], [3, 65.08, 65.08, 1]]);
    expect(rows[1]!.groups!.payment).toEqual({ points: 6.65, published: 6.66, rank: 1 });
    expect(rows[0]!.groups!.payment!.rank).toBe(2);
  });

  it('does not rank a unit the portal has not published, naming the groups without a score', () => {
    const values = unit();
    delete values['p766.score.online'];
    const [r] = scoreBoard([1], totals({ 1: values }), scheme);
    expect(r!.rank).toBeNull();
    expect(r!.notRanked).toEqual({ code: 'no_data', indicators: ['p766.online'] });
  });

  it('ranks each sub-indicator on its rounded points as shown, ties sharing a rank', () => {
    // 29/32 → 18.125 → 18.13 and 2719/3000 → 18.1266… → 18.13: shown alike, ranked alike.
    const rows = scoreBoard([1, 2, 3], totals({ 1: unit(pair('progress', 29, 32)), 2: unit(pair('progress', 2719, 3000)), 3: unit(pair('progress', 10, 20)) }), scheme);
    expect(rows.map((r) => [r.indicators['p766.progress']!.points, r.indicators['p766.progress']!.rank])).toEqual([[18.13, 1], [18.13, 1], [10, 3]]);
  });
});
