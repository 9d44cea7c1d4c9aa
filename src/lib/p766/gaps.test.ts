import { describe, expect, it } from 'vitest';
import { unitGaps } from '#domain/gaps';
import { asSummedBoard, gapsOf, SHOWN_TOTAL_OFFSET } from './gaps.ts';
import { board766, row766, withCounts } from './fixtures.ts';

describe('gaps on a summed 766 board', () => {
  // X: BASE (62,08) but progress 800/1000 → 16: 61,08. The commune above: 62,08.
  const X = withCounts({ 'p766.progress': [800, 1000] });

  it('counts a sub-indicator without points as 0, not as a smaller maximum (the domain alone rescales)', () => {
    const rows = [row766('A', 1), row766('X', 2, X)];
    expect(rows[1]!.total).toBe(61.08);
    const g = gapsOf(board766(rows), 'X')!;
    // 1 point of progress is 50 dossiers on time (20 × 50/1000); every point is a point of the total
    expect(g.rank).toMatchObject({ targetRank: 1, targetTotal: 62.08, points: 1 });
    expect(g.rank!.alone.find((o) => o.key === 'p766.progress')).toEqual({ key: 'p766.progress', count: 50, totalAfter: 62.08 });
    // Satisfaction, full at 90 %: 6 × (n/1000)/0.9; 700 → 4,67, and 5,67 needs 850 (5,666… rounds up): 150 more
    expect(g.rank!.alone.find((o) => o.key === 'p766.dossier_receiving_satisfaction')!.count).toBe(150);
    // the domain as it is scores the same board as if the two 0/0 publishing sub-indicators were no part of the maximum: 100/90
    expect(unitGaps(board766(rows), 'X')!.rank!.alone.find((o) => o.key === 'p766.progress')!.count).not.toBe(50);
    // Khá (65) from 61,08: 3,92 points; no lever alone (progress has 4 points left: 200 dossiers gives 65,08)
    expect(g.band).toMatchObject({ targetBand: 'Khá', points: 3.92 });
    expect(g.band!.alone.find((o) => o.key === 'p766.progress')).toEqual({ key: 'p766.progress', count: 196, totalAfter: 65 });
  });

  it('starts from the shown total when it is the portal’s, and proposes no count where none applies', () => {
    // X's portal total is 0,50 above ours (transparency published 8,10): the gap to 62,08 is 0,50 → 25 dossiers
    const x = row766('X', 2, X, { published: { transparency: 8.1 } });
    expect(x.total).toBe(61.58);
    const summed = asSummedBoard(board766([row766('A', 1), x]));
    expect(summed.rows[1]!.indicators[SHOWN_TOTAL_OFFSET]!.points).toBe(0.5);
    const g = gapsOf(board766([row766('A', 1), x]), 'X')!;
    expect(g.rank!.points).toBe(0.5);
    expect(g.rank!.alone.find((o) => o.key === 'p766.progress')).toEqual({ key: 'p766.progress', count: 25, totalAfter: 62.08 });
    const keys = g.rank!.alone.map((o) => o.key);
    // published scores (online, copies), 0 of 0 (publishing, petitions at full marks) and already full (sync) offer nothing
    for (const k of ['p766.online', 'p766.electronic_certified_copy', 'p766.publish_on_time', 'p766.petition_processing_on_time', 'p766.dossier_sync', SHOWN_TOTAL_OFFSET]) {
      expect(keys).not.toContain(k);
    }
  });

  it('offers no count on progress when nothing was received (0 points, ranked, the zero rule)', () => {
    const none = row766('X', 2, withCounts({ 'p766.progress': [0, 0] }));
    expect(none.indicators['p766.progress']!.points).toBe(0);
    const g = gapsOf(board766([row766('A', 1), none]), 'X')!;
    expect(g.rank!.alone.map((o) => o.key)).not.toContain('p766.progress');
    expect(g.rank!.points).toBe(17);
  });
});
