import { describe, expect, it } from 'vitest';
import { bandOf } from './bands.ts';
import { NATIONAL_766_PROGRESS_SCHEME } from './catalogue.ts';
import { board, meta, other, row, SCHEME, UNRANKED, X, type Counts } from './gaps.fixtures.ts';
import { unitFocus, unitGaps } from './gaps.ts';
import type { BoardRow } from './board.ts';

// The words of these gaps ("Cần thêm 1,40 điểm để lên hạng 2 …") are tested in src/lib/i18n/gaps.test.ts.
describe('unitGaps', () => {
  it('gives the gap to the next rank and band in points and in counts on each indicator alone', () => {
    const g = unitGaps(board([other('A', 1, 92), other('B', 2, 78.9), row('X', 3, X)]), 'X')!;
    expect(g.rank).toMatchObject({ kind: 'rank', targetRank: 2, targetUnits: [{ code: 'B', name: 'Huyện B' }], targetTotal: 78.9, points: 1.4 });
    // 78,90 needs 1,40 more: on time 38,90 → 156/200 (155 gives 78,75); activation 25,40 → 847/1000;
    // on-time tasks grow the completed count too: (8 + 6) / (10 + 6) = 87,5 % → 17,50 (5 give 17,33).
    expect(g.rank!.alone.map((o) => [o.key, o.count, o.totalAfter])).toEqual([
      ['dossier.on_time', 6, 79], ['task.on_time', 6, 79], ['eid.activation', 47, 78.91]
    ]);
    // Tốt from 80: on time 160/200 → 40,00; activation 884/1000 → 26,52 (883 → 26,49); tasks (8+17)/(10+17) → 18,52.
    expect(g.band).toMatchObject({ kind: 'band', targetBand: 'Tốt', targetTotal: 80, points: 2.5 });
    expect(g.band!.alone.map((o) => [o.key, o.count])).toEqual([['dossier.on_time', 10], ['task.on_time', 17], ['eid.activation', 84]]);
    expect(g).toMatchObject({ rankNote: null, bandNote: null, currentBand: 'Khá', notRanked: null });
  });

  it('aims at the tied rank above, and from a tie at the rank above the tie', () => {
    const rows = [other('A', 1, 90), other('B', 2, 85), other('C', 2, 85), row('D', 4, X, SCHEME, 80)];
    const d = unitGaps(board(rows), 'D')!;
    expect(d.rank).toMatchObject({ targetRank: 2, targetTotal: 85, points: 5 });
    expect(d.rank!.targetUnits.map((u) => u.code)).toEqual(['B', 'C']);
    const c = unitGaps(board(rows), 'C')!;
    expect(c.rank).toMatchObject({ targetRank: 1, targetTotal: 90, points: 5, targetUnits: [{ code: 'A', name: 'Huyện A' }] });
    const many = [other('A', 1, 90), other('B', 1, 90), other('C', 1, 90), row('D', 4, X, SCHEME, 80)];
    expect(unitGaps(board(many), 'D')!.rank).toMatchObject({ targetRank: 1, points: 10 });
    expect(unitGaps(board(many), 'D')!.rank!.targetUnits.map((u) => u.code)).toEqual(['A', 'B', 'C']);
  });

  it('aims within the unit’s own group: a department ranked 2nd aims at the 1st department, not the 1st commune', () => {
    const rows = [other('A', 1, 95), other('B', 2, 90), { ...other('S1', 1, 84), unitLevel: 'department' }, { ...row('S2', 2, X, SCHEME, 80), unitLevel: 'department' }];
    const g = unitGaps(board(rows), 'S2')!;
    expect(g.rank).toMatchObject({ targetRank: 1, targetTotal: 84, targetUnits: [{ code: 'S1' }] });
    const lead = unitGaps(board([other('A', 1, 95), { ...row('S1', 1, X, SCHEME, 80), unitLevel: 'department' }]), 'S1')!;
    expect(lead).toMatchObject({ rank: null, rankNote: 'leading' });
  });

  it('has no rank gap at rank 1 (alone or tied) and no band gap in the best band', () => {
    const top = unitGaps(board([other('A', 1, 92), row('X', 2, X)]), 'A')!;
    expect(top).toMatchObject({ rank: null, band: null, rankNote: 'leading', bandNote: 'best', currentBand: 'Xuất sắc' });
    const tied = unitGaps(board([other('A', 1, 77.5), row('X', 1, X)]), 'X')!;
    expect(tied.rankNote).toBe('tied_first');
    expect(tied.band?.targetBand).toBe('Tốt');
  });

  it('leaves out an indicator already at its maximum', () => {
    // on time 200/200 → 50,00 (full); 600/1000 → 18,00; 5/10 → 10,00; total 78,00.
    const full: Counts = { 'dossier.on_time': [200, 200], 'eid.activation': [600, 1000], 'task.on_time': [5, 10] };
    const g = unitGaps(board([row('X', 1, full)]), 'X')!;
    // Tốt needs 2,00: tasks (5+3)/(10+3) = 61,5 % → 12,31 (2 give 11,67); activation 667/1000 → 20,01.
    expect(g.band!.alone.map((o) => [o.key, o.count])).toEqual([['task.on_time', 3], ['eid.activation', 67]]);
  });

  it('scales the gap over the indicators that apply (a denominator of 0 does not apply)', () => {
    // No task completed: task.on_time does not apply; 37,50 + 24,00 = 61,50 of 80 → total 76,88.
    const noTasks: Counts = { ...X, 'task.on_time': [0, 0] };
    const r = row('X', 1, noTasks);
    expect(r.total).toBe(76.88);
    const g = unitGaps(board([r]), 'X')!;
    expect(g.band!.points).toBe(3.12);
    // One point earned is worth 100/80 of the total: 40,00 on time (10 more) gives 80,00, where
    // 3,12 unscaled points would have asked for 13. Activation: 884 → 64,02 × 1,25 = 80,03 (883 → 79,99).
    // Tasks are not offered: nothing was due, and counting on them would change the scaling.
    expect(g.band!.alone.map((o) => [o.key, o.count, o.totalAfter])).toEqual([['dossier.on_time', 10, 80], ['eid.activation', 84, 80.03]]);
  });

  it('keeps the denominator of task completion: completing an overdue task moves it out of "open overdue"', () => {
    const scheme = [meta('dossier.on_time', 50), meta('task.completed', 50)];
    // 100/100 on time → 50; 40 completed of 40 + 10 open overdue → 40,00; total 90,00, behind 96,00.
    const x: Counts = { 'dossier.on_time': [100, 100], 'task.completed': [40, 50] };
    const g = unitGaps(board([other('A', 1, 96), row('X', 2, x, scheme)], scheme), 'X')!;
    // 46/50 = 92 % → 46,00: 6 more (were the denominator to grow, 46/56 would earn only 41,07).
    expect(g.rank!.alone.map((o) => [o.key, o.count, o.totalAfter])).toEqual([['task.completed', 6, 96]]);
  });

  it('counts to the saturation: online submission earns its full 12 points at 50 %', () => {
    const scheme = [meta('dossier.on_time', 88), meta('dossier.online', 12)];
    expect(scheme[1]!.saturation).toBe(0.5);
    // 88/100 on time → 77,44; 40/100 online → 9,60; total 87,04.
    const x: Counts = { 'dossier.on_time': [88, 100], 'dossier.online': [40, 100] };
    const g = unitGaps(board([other('A', 1, 88), row('X', 2, x, scheme)], scheme), 'X')!;
    // 88,00: on time 90/100 → 79,20 (89 → 87,92); online 44/100 → 44 % / 50 % × 12 = 10,56.
    expect(g.rank!.alone.map((o) => [o.key, o.count])).toEqual([['dossier.on_time', 2], ['dossier.online', 4]]);
    // Xuất sắc (90, 2,96 more): online can add 2,40 at most, so only on time closes it (92/100 → 90,56).
    expect(g.band!.alone.map((o) => [o.key, o.count])).toEqual([['dossier.on_time', 4]]);
  });

  it('combines indicators when none closes the gap alone, the one with the most to gain first', () => {
    // 100/200 → 25; 500/1000 → 15; 5/10 → 10: total 50,00, behind 95,00.
    const low: Counts = { 'dossier.on_time': [100, 200], 'eid.activation': [500, 1000], 'task.on_time': [5, 10] };
    const g = unitGaps(board([other('A', 1, 95), row('X', 2, low)]), 'X')!;
    expect(g.rank!.alone).toEqual([]);
    expect(g.rank!.points).toBe(45);
    // On time at most 75,00, the closest alone.
    expect(g.rank!.closest).toMatchObject({ key: 'dossier.on_time', count: 100, totalAfter: 75 });
    // Every dossier on time (75), every account activated (90), then tasks (5+10)/(10+10) = 75 % → 15 (9: 14,74).
    expect(g.rank!.combination!.map((o) => [o.key, o.count, o.totalAfter])).toEqual([
      ['dossier.on_time', 100, 75], ['eid.activation', 500, 90], ['task.on_time', 10, 95]
    ]);
    // Khá (65) is within reach of on time alone (160/200 → 40) or of activation alone (all 1000 → 30),
    // not of tasks (20 at most).
    expect(g.band!.alone.map((o) => [o.key, o.count])).toEqual([['dossier.on_time', 60], ['eid.activation', 500]]);
  });

  it('gives the reason instead of gaps for a unit that is not ranked, and null for a unit not on the board', () => {
    const g = unitGaps(board([other('A', 1, 90), UNRANKED]), 'X')!;
    expect(g).toEqual({
      unitCode: 'X', rank: null, band: null, rankNote: 'not_ranked', bandNote: 'not_ranked', currentBand: null,
      notRanked: { code: 'no_data', indicators: ['eid.activation'] }
    });
    expect(unitGaps(board([other('A', 1, 90)]), 'nope')).toBeNull();
  });

  it('counts with the points rounded to 0,01 as the workers round them', () => {
    const big: Counts = { 'dossier.on_time': [150_000, 200_000], 'eid.activation': [800, 1000], 'task.on_time': [8, 10] };
    // 159 980 / 200 000 = 79,99 % → 39,995 → 40,00 points: 9 980 more, not 10 000.
    expect(unitGaps(board([row('X', 1, big)]), 'X')!.band!.alone.map((o) => [o.key, o.count])).toEqual([
      ['task.on_time', 17], ['eid.activation', 84], ['dossier.on_time', 9980]
    ]);
  });

  it('measures the gaps of the 766 progress group out of its own 20 points, with its scaled bands', () => {
    const scheme = [meta('dossier.on_time', 20)];
    const bands = NATIONAL_766_PROGRESS_SCHEME.bands;
    // 150/200 on time → 20 × 0,75 = 15,00 of 20 (not rescaled to 100): Khá (≥ 13), behind A at 17,50.
    const x = row('X', 2, { 'dossier.on_time': [150, 200] }, scheme);
    expect(x.total).toBe(15);
    const rows = [{ ...other('A', 1, 17.5), band: bandOf(17.5, bands) }, { ...x, band: bandOf(15, bands) }];
    expect(rows.map((r) => r.band)).toEqual(['Tốt', 'Khá']);
    const g = unitGaps(board(rows, scheme, bands), 'X')!;
    // 17,50 = 20 × 175/200: 25 more dossiers on time; Tốt (16) = 20 × 160/200: 10 more.
    expect(g.rank!.alone.map((o) => [o.key, o.count, o.totalAfter])).toEqual([['dossier.on_time', 25, 17.5]]);
    expect(g.band).toMatchObject({ targetBand: 'Tốt', targetTotal: 16, points: 1 });
    expect(g.band!.alone.map((o) => [o.key, o.count])).toEqual([['dossier.on_time', 10]]);
  });
});

describe('unitGaps on a summed total (the 766 index)', () => {
  // Two 766-like sub-indicators: progress 20 points, dossier sync 6 points not counted at 0/0.
  const progress = { ...meta('dossier.on_time', 20), key: 'p766.progress', numeratorNounVi: 'hồ sơ đúng hạn', group: 'progress' };
  const sync = { ...meta('dossier.on_time', 6), key: 'p766.dossier_sync', numeratorNounVi: 'hồ sơ được đồng bộ', group: 'transparency' };
  const online = { ...meta('dossier.on_time', 12), key: 'p766.online', published: true, group: 'online' };
  const scheme = [progress, sync, online];
  const unit = (code: string, rank: number, total: number, n: number, d: number): ReturnType<typeof other> => ({
    ...other(code, rank, total),
    indicators: {
      'p766.progress': { numerator: n, denominator: d, ratio: n / d, points: Math.round((2000 * n) / d) / 100, rank: null },
      'p766.dossier_sync': { numerator: 0, denominator: 0, ratio: null, points: null, rank: null },
      'p766.online': { numerator: 6, denominator: null, ratio: null, points: 6, rank: null }
    }
  });

  it('counts one point of a sub-indicator as one point of the total, never rescaled, and leaves out what has no counts', () => {
    // 29/32 → 18.13 + online 6 = 24.13 (a published total of 24.14: the portal 0.01 above); the next rank holds 25.
    const b = { ...board([other('A', 1, 25), unit('X', 2, 24.14, 29, 32)], scheme), totalRule: 'sum' as const };
    const g = unitGaps(b, 'X')!;
    expect(g.rank).toMatchObject({ targetRank: 1, targetTotal: 25, points: 0.86 });
    // 30/32 → 18.75: +0.62 → 24.76; 31/32 → 19.38: +1.25 → 25.39 ≥ 25. Sync (0/0) and online (published) are no levers.
    expect(g.rank!.alone.map((o) => [o.key, o.count, o.totalAfter])).toEqual([['p766.progress', 2, 25.39]]);
  });
});

describe('unitFocus', () => {
  /** A row with its ranks on each indicator set. */
  const ranked = (r: BoardRow, ranks: Record<string, number | null>): BoardRow => ({
    ...r, indicators: Object.fromEntries(Object.entries(r.indicators).map(([k, v]) => [k, { ...v, rank: ranks[k] ?? null }]))
  });
  const A = ranked(other('A', 1, 92), { 'dossier.on_time': 1, 'eid.activation': 1, 'task.on_time': 2 });
  const B = ranked(other('B', 2, 78.9), { 'dossier.on_time': 2, 'eid.activation': 3, 'task.on_time': 3 });

  it('flags the indicator it ranks worst on, and the one that lifts its total most with its count and the rank it would reach', () => {
    const x = ranked(row('X', 3, X), { 'dossier.on_time': 3, 'eid.activation': 2, 'task.on_time': 1 });
    const f = unitFocus(board([A, B, x]), 'X')!;
    // Last of 3 on dossiers on time (37,50 of 50).
    expect(f.weakest).toEqual({ key: 'dossier.on_time', rank: 3, ranked: 3, points: 37.5, maxPoints: 50 });
    // Filled to their maximum: on time 200/200 → +12,50 (total 90,00); activation 1000/1000 → +6,00; tasks at most +4,00.
    expect(f.lift).toEqual({ key: 'dossier.on_time', count: 50, gain: 12.5, totalAfter: 90, rankAfter: 2 });
  });

  it('weighs a rank by how many are ranked, and breaks a tie by the share of points earned', () => {
    // 2/3 on activation (24/30 = 80 %) and 2/3 on tasks (16/20 = 80 %) but 1/3 on time: a tie of 2/3;
    // activation 80 % vs tasks 80 %: equal, the scheme's order keeps activation.
    const x = ranked(row('X', 3, X), { 'dossier.on_time': 1, 'eid.activation': 2, 'task.on_time': 2 });
    expect(unitFocus(board([A, B, x]), 'X')!.weakest?.key).toBe('eid.activation');
    const y = ranked(row('X', 3, { ...X, 'task.on_time': [7, 10] }), { 'dossier.on_time': 1, 'eid.activation': 2, 'task.on_time': 2 });
    // Tasks 7/10 → 14,00 of 20 (70 %) is the weaker of the two at 2/3.
    expect(unitFocus(board([A, B, y]), 'X')!.weakest?.key).toBe('task.on_time');
  });

  it('has nothing to flag for a unit not ranked, and no lift when every indicator is full', () => {
    expect(unitFocus(board([A, UNRANKED]), 'X')).toEqual({ unitCode: 'X', weakest: null, lift: null });
    const full = ranked(row('F', 1, { 'dossier.on_time': [10, 10], 'eid.activation': [10, 10], 'task.on_time': [10, 10] }), { 'dossier.on_time': 1 });
    expect(unitFocus(board([full]), 'F')).toMatchObject({ lift: null, weakest: { key: 'dossier.on_time', rank: 1, ranked: 1 } });
    expect(unitFocus(board([full]), 'nobody')).toBeNull();
  });
});
