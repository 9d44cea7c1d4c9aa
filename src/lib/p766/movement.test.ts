import { describe, expect, it } from 'vitest';
import { movement766 } from './movement.ts';
import { board766, row766, withCounts } from './fixtures.ts';

describe('movement766', () => {
  it('says per group how many points moved, on the portal’s scores, and which sub-indicators moved them', () => {
    const before = row766('A', 5, withCounts({ 'p766.progress': [850, 1000], 'p766.dossier_receiving_satisfaction': [900, 1000] }));
    const now = row766('A', 2, withCounts({ 'p766.progress': [950, 1000], 'p766.dossier_receiving_satisfaction': [800, 1000], 'p766.online': 8 }), { published: { payment: 6.66 } });
    const m = movement766(board766([now]), now, before);
    expect(m).toMatchObject({ places: 3, rank: 2, previousRank: 5 });
    // progress 17 → 19 (+2); online 6 → 8 (+2); satisfaction 18 → 17,33 (−0,67); payment published 6,65 → 6,66
    expect(m.totalDelta).toBe(3.34);
    expect(m.groups.map((g) => [g.group.key, g.delta])).toEqual([
      ['progress', 2], ['online', 2], ['satisfaction', -0.67], ['payment', 0.01], ['transparency', 0], ['digitization', 0]
    ]);
    expect(m.groups[0]!.parts.map((p) => [p.meta.key, p.before, p.now, p.delta])).toEqual([['p766.progress', 17, 19, 2]]);
    // ours did not move on payment: no part moved it (the portal's score did)
    expect(m.groups.find((g) => g.group.key === 'payment')!.parts).toEqual([]);
  });

  it('reads ours on the recomputed basis, and has nothing to compare without a previous row', () => {
    const before = row766('A', 1, undefined, { basis: 'recomputed' });
    const now = row766('A', 1, undefined, { published: { payment: 6.66 }, basis: 'recomputed' });
    const m = movement766(board766([now], { basis: 'recomputed' }), now, before);
    expect(m.groups.find((g) => g.group.key === 'payment')!.delta).toBe(0);
    expect(m.places).toBe(0);
    const first = movement766(board766([now]), now, null);
    expect(first).toMatchObject({ places: null, previousTotal: null, totalDelta: null });
    expect(first.groups.every((g) => g.delta === null && g.parts.length === 0)).toBe(true);
  });
});
