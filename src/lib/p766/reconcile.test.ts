import { describe, expect, it } from 'vitest';
import { countReconciliation, groupCell, groupStatus, pointsDifference, reconcileGroups } from './reconcile.ts';
import { BASE, GROUPS, INDICATORS, scored, withCounts } from './fixtures.ts';

const group = (key: string) => GROUPS.find((g) => g.key === key)!;

describe('reconciling a 766 group', () => {
  it('is equal only when both show the same points to two decimals: 0,01 apart is a difference, never a tolerance', () => {
    expect(groupStatus(group('payment'), { points: 6.65, published: 6.65 })).toBe('equal');
    expect(groupStatus(group('payment'), { points: 6.65, published: 6.66 })).toBe('different');
    // binary noise is not a difference: 0.1 + 0.2 shows 0,30
    expect(groupStatus(group('payment'), { points: 0.1 + 0.2, published: 0.3 })).toBe('equal');
    expect(pointsDifference(6.65, 6.66)).toBe(-0.01);
    expect(pointsDifference(18.13, 17.63)).toBe(0.5);
    expect(pointsDifference(null, 6.66)).toBeNull();
  });

  it('says what cannot be compared: the online group (the portal’s as is), a score not published, a score not computed', () => {
    expect(groupStatus(group('online'), { points: 6, published: 6 })).toBe('published_only');
    expect(groupStatus(group('progress'), { points: 18, published: null })).toBe('not_published');
    expect(groupStatus(group('progress'), { points: null, published: 18 })).toBe('not_computed');
    expect(groupStatus(group('progress'), undefined)).toBe('not_published');
  });

  it('gives every group of a unit with the counts behind it, and counts the pairs of a board', () => {
    const unit = scored(withCounts({ 'p766.progress': [29, 32] }), { payment: 6.66 });
    const groups = reconcileGroups(GROUPS, INDICATORS, unit);
    expect(groups.map((g) => [g.group.key, g.status, g.points, g.published, g.difference])).toEqual([
      ['transparency', 'equal', 7.6, 7.6, 0],
      ['progress', 'equal', 18.13, 18.13, 0], // 29/32 of 20 → 18,125 → 18,13 (half up)
      ['online', 'published_only', 6, 6, null],
      ['payment', 'different', 6.65, 6.66, -0.01],
      ['satisfaction', 'equal', 16.67, 16.67, 0],
      ['digitization', 'equal', 8.16, 8.16, 0]
    ]);
    const payment = groups.find((g) => g.group.key === 'payment')!;
    expect(payment.indicators.map((i) => [i.meta.key, i.value.numerator, i.value.denominator, i.value.points])).toEqual([
      ['p766.payment_dossiers', 90, 100, 5.4], ['p766.payment_formalities', 3, 10, 0.75], ['p766.payment_fee_dossiers', 2, 10, 0.5]
    ]);
    const other = reconcileGroups(GROUPS, INDICATORS, scored(BASE, { progress: null }));
    expect(countReconciliation([groups, other], GROUPS.length)).toEqual({
      units: 2, groups: 6, pairs: 12, equal: 8, different: 1, publishedOnly: 2, notPublished: 1, notComputed: 0
    });
  });

  it('shows a board cell on its basis: the portal’s score by default, ours on request', () => {
    const v = { points: 6.65, published: 6.66, rank: 1 };
    expect(groupCell(group('payment'), v, 'published')).toMatchObject({ shown: 6.66, status: 'different', difference: -0.01 });
    expect(groupCell(group('payment'), v, 'recomputed')).toMatchObject({ shown: 6.65 });
    expect(groupCell(group('payment'), { points: 6.65, published: null, rank: null }, 'published')).toMatchObject({ shown: null, status: 'not_published' });
    expect(groupCell(group('online'), { points: 9, published: 9, rank: 1 }, 'recomputed')).toMatchObject({ shown: 9, status: 'published_only', difference: null });
  });
});
