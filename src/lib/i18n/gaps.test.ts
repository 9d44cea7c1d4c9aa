import { describe, expect, it } from 'vitest';
import type { Board } from '#domain/board';
import { bandOf } from '#domain/bands';
import { NATIONAL_766_PROGRESS_SCHEME } from '#domain/catalogue';
import { board, meta, other, row, SCHEME, UNRANKED, X, type Counts } from '#domain/gaps.fixtures';
import { unitFocus, unitGaps } from '#domain/gaps';
import { focusLines, gapLines, gapSentence, numeratorNoun } from './gaps.ts';

/** The gaps of `code` on `b`, worded: the rank line and the band line. */
const lines = (b: Board, code: string, locale: 'vi' | 'en' = 'vi', maxOptions?: number) => gapLines(unitGaps(b, code)!, b.indicators, locale, { maxOptions });
const low: Counts = { 'dossier.on_time': [100, 200], 'eid.activation': [500, 1000], 'task.on_time': [5, 10] };

describe('the gap sentences in Vietnamese', () => {
  it('give the gap to the next rank and band in points and in counts on each indicator alone', () => {
    const b = board([other('A', 1, 92), other('B', 2, 78.9), row('X', 3, X)]);
    expect(lines(b, 'X')).toEqual({
      rank: 'Cần thêm 1,40 điểm để lên hạng 2 (Huyện B): 6 hồ sơ đúng hạn nữa, hoặc 6 nhiệm vụ hoàn thành đúng hạn nữa, hoặc 47 tài khoản được kích hoạt nữa',
      band: 'Cần thêm 2,50 điểm để đạt mức Tốt: 10 hồ sơ đúng hạn nữa, hoặc 17 nhiệm vụ hoàn thành đúng hạn nữa, hoặc 84 tài khoản được kích hoạt nữa'
    });
    expect(gapSentence(unitGaps(board([row('X', 3, X)]), 'X')!.band!, SCHEME, 'vi', { maxOptions: 1 })).toBe('Cần thêm 2,50 điểm để đạt mức Tốt: 10 hồ sơ đúng hạn nữa');
  });

  it('name the tied units above, or the first and how many others', () => {
    const rows = [other('A', 1, 90), other('B', 2, 85), other('C', 2, 85), row('D', 4, X, SCHEME, 80)];
    expect(lines(board(rows), 'D').rank).toMatch(/^Cần thêm 5,00 điểm để lên hạng 2 \(Huyện B, Huyện C\): /);
    expect(lines(board(rows), 'C').rank).toMatch(/^Cần thêm 5,00 điểm để lên hạng 1 \(Huyện A\)/);
    const many = [other('A', 1, 90), other('B', 1, 90), other('C', 1, 90), row('D', 4, X, SCHEME, 80)];
    expect(lines(board(many), 'D').rank).toMatch(/^Cần thêm 10,00 điểm để lên hạng 1 \(Huyện A và 2 đơn vị khác\)/);
  });

  it('say why there is no gap at rank 1 (alone or tied) and in the best band', () => {
    expect(lines(board([other('A', 1, 92), row('X', 2, X)]), 'A')).toEqual({ rank: 'Đang dẫn đầu (hạng 1)', band: 'Đã ở mức cao nhất (Xuất sắc)' });
    expect(lines(board([other('A', 1, 77.5), row('X', 1, X)]), 'X').rank).toBe('Đang đồng hạng 1');
  });

  it('keep the denominator of task completion in the count', () => {
    const scheme = [meta('dossier.on_time', 50), meta('task.completed', 50)];
    const x: Counts = { 'dossier.on_time': [100, 100], 'task.completed': [40, 50] };
    expect(lines(board([other('A', 1, 96), row('X', 2, x, scheme)], scheme), 'X').rank).toBe('Cần thêm 6,00 điểm để lên hạng 1 (Huyện A): 6 nhiệm vụ hoàn thành nữa');
  });

  it('combine indicators when none closes the gap alone', () => {
    expect(lines(board([other('A', 1, 95), row('X', 2, low)]), 'X').rank).toBe(
      'Cần thêm 45,00 điểm để lên hạng 1 (Huyện A): không chỉ số nào đủ một mình; cần cả 100 hồ sơ đúng hạn, 500 tài khoản được kích hoạt và 10 nhiệm vụ hoàn thành đúng hạn nữa'
    );
  });

  it('say the closest when even every indicator at its maximum falls short, and when nothing can move', () => {
    const g = unitGaps(board([other('A', 1, 95), row('X', 2, low)]), 'X')!;
    expect(gapSentence({ ...g.rank!, combination: null }, SCHEME, 'vi')).toBe(
      'Cần thêm 45,00 điểm để lên hạng 1 (Huyện A): chưa đủ kể cả khi mọi chỉ số đạt tối đa; gần nhất: 100 hồ sơ đúng hạn nữa (tổng 75,00)'
    );
    expect(gapSentence({ ...g.rank!, combination: null, closest: null }, SCHEME, 'vi')).toBe(
      'Cần thêm 45,00 điểm để lên hạng 1 (Huyện A): không chỉ số nào còn dư địa để tăng điểm trong kỳ này'
    );
  });

  it('give the reason, in Vietnamese, instead of gaps for a unit that is not ranked', () => {
    expect(lines(board([other('A', 1, 90), UNRANKED]), 'X')).toEqual({
      rank: 'Chưa xếp hạng (chưa có số liệu về Kích hoạt định danh điện tử): chưa tính được khoảng cách',
      band: null
    });
    const notComputed = { ...UNRANKED, notRanked: { code: 'not_computed' as const, indicators: [] } };
    expect(lines(board([other('A', 1, 90), notComputed]), 'X').rank).toBe('Chưa xếp hạng (chưa tính cho kỳ này): chưa tính được khoảng cách');
  });

  it('print thousands the Vietnamese way', () => {
    const big: Counts = { 'dossier.on_time': [150_000, 200_000], 'eid.activation': [800, 1000], 'task.on_time': [8, 10] };
    expect(lines(board([row('X', 1, big)]), 'X').band).toBe(
      'Cần thêm 2,50 điểm để đạt mức Tốt: 17 nhiệm vụ hoàn thành đúng hạn nữa, hoặc 84 tài khoản được kích hoạt nữa, hoặc 9.980 hồ sơ đúng hạn nữa'
    );
  });

  it('name the bands of the 766 progress group', () => {
    const scheme = [meta('dossier.on_time', 20)];
    const bands = NATIONAL_766_PROGRESS_SCHEME.bands;
    const x = row('X', 2, { 'dossier.on_time': [150, 200] }, scheme);
    const rows = [{ ...other('A', 1, 17.5), band: bandOf(17.5, bands) }, { ...x, band: bandOf(15, bands) }];
    expect(lines(board(rows, scheme, bands), 'X').band).toBe('Cần thêm 1,00 điểm để đạt mức Tốt: 10 hồ sơ đúng hạn nữa');
  });
});

describe('the gap sentences in English', () => {
  it('say the same gaps in English, with English nouns and band names and the vi-VN numbers', () => {
    const b = board([other('A', 1, 92), other('B', 2, 78.9), row('X', 3, X)]);
    expect(lines(b, 'X', 'en')).toEqual({
      rank: 'Needs 1,40 more points to reach rank 2 (Huyện B): 6 more dossiers on time, or 6 more tasks completed on time, or 47 more activated accounts',
      band: 'Needs 2,50 more points to reach Good: 10 more dossiers on time, or 17 more tasks completed on time, or 84 more activated accounts'
    });
    expect(lines(board([row('X', 1, X)]), 'X', 'en', 1).band).toBe('Needs 2,50 more points to reach Good: 10 more dossiers on time');
  });

  it('name the units tied above, the combination, one item in the singular', () => {
    const many = [other('A', 1, 90), other('B', 1, 90), other('C', 1, 90), row('D', 4, X, SCHEME, 80)];
    expect(lines(board(many), 'D', 'en').rank).toMatch(/^Needs 10,00 more points to reach rank 1 \(Huyện A and 2 other units\): /);
    const tied = [other('A', 1, 90), other('B', 2, 85), other('C', 2, 85), row('D', 4, X, SCHEME, 80)];
    expect(lines(board(tied), 'D', 'en').rank).toMatch(/^Needs 5,00 more points to reach rank 2 \(Huyện B, Huyện C\): /);
    expect(lines(board([other('A', 1, 95), row('X', 2, low)]), 'X', 'en').rank).toBe(
      'Needs 45,00 more points to reach rank 1 (Huyện A): no indicator is enough on its own; it takes 100 more dossiers on time, 500 more activated accounts and 10 more tasks completed on time'
    );
    // 99/100 on time: one more dossier closes a 0,50-point gap.
    const near: Counts = { 'dossier.on_time': [99, 100], 'eid.activation': [10, 10], 'task.on_time': [10, 10] };
    expect(lines(board([other('A', 1, 100), row('X', 2, near)]), 'X', 'en').rank).toBe('Needs 0,50 more points to reach rank 1 (Huyện A): 1 more dossier on time');
  });

  it('word the notes in English: leading, tied, the best band, not ranked with its reason', () => {
    expect(lines(board([other('A', 1, 92), row('X', 2, X)]), 'A', 'en')).toEqual({ rank: 'In the lead (rank 1)', band: 'Already in the best band (Excellent)' });
    expect(lines(board([other('A', 1, 77.5), row('X', 1, X)]), 'X', 'en').rank).toBe('Tied for rank 1');
    expect(lines(board([other('A', 1, 90), UNRANKED]), 'X', 'en')).toEqual({ rank: 'Not ranked (no data for e-ID activation): no gap can be worked out yet', band: null });
    const g = unitGaps(board([other('A', 1, 95), row('X', 2, low)]), 'X')!;
    expect(gapSentence({ ...g.rank!, combination: null }, SCHEME, 'en')).toBe(
      'Needs 45,00 more points to reach rank 1 (Huyện A): not enough even with every indicator at its maximum; closest: 100 more dossiers on time (total 75,00)'
    );
  });

  it('names an indicator it has no English noun for by its English name', () => {
    expect(numeratorNoun({ key: 'task.completed', numeratorNounVi: 'nhiệm vụ hoàn thành' }, 'en', 1)).toBe('completed task');
    expect(numeratorNoun({ key: 'task.completed', numeratorNounVi: 'nhiệm vụ hoàn thành' }, 'vi')).toBe('nhiệm vụ hoàn thành');
    expect(numeratorNoun({ key: 'custom.thing', numeratorNounVi: 'việc' }, 'en')).toBeNull();
    expect(numeratorNoun({ key: 'toString', numeratorNounVi: 'việc' }, 'en')).toBeNull();
    const custom = { ...meta('dossier.on_time', 50), key: 'custom.thing', nameEn: 'Custom thing' };
    const scheme = [custom, meta('eid.activation', 30), meta('task.on_time', 20)];
    const counts: Counts = { 'custom.thing': [150, 200], 'eid.activation': [800, 1000], 'task.on_time': [8, 10] };
    expect(lines(board([row('X', 1, counts, scheme)], scheme), 'X', 'en', 1).band).toBe('Needs 2,50 more points to reach Good: 10 more (Custom thing)');
  });
});

describe('the focus flags at the top of the unit page', () => {
  const ranks = (r: ReturnType<typeof row>, rk: Record<string, number>) => ({ ...r, indicators: Object.fromEntries(Object.entries(r.indicators).map(([k, v]) => [k, { ...v, rank: rk[k] ?? null }])) });
  const b = board([
    ranks(other('A', 1, 92), { 'dossier.on_time': 1, 'eid.activation': 1, 'task.on_time': 2 }),
    ranks(other('B', 2, 78.9), { 'dossier.on_time': 2, 'eid.activation': 3, 'task.on_time': 3 }),
    ranks(row('X', 3, X), { 'dossier.on_time': 3, 'eid.activation': 2, 'task.on_time': 1 })
  ]);
  it('name the weakest indicator with its rank and points, and what lifts the total most in counts, in both languages', () => {
    const f = unitFocus(b, 'X')!;
    expect(focusLines(f, b.indicators, 3, 'vi')).toEqual({
      weakest: 'Yếu nhất: Hồ sơ đúng hạn, hạng 3/3 (37,50/50 điểm)',
      lift: 'Nâng tổng điểm nhiều nhất: Hồ sơ đúng hạn, thêm 50 hồ sơ đúng hạn nữa được +12,50 điểm (tổng 90,00), lên hạng 2'
    });
    expect(focusLines(f, b.indicators, 3, 'en').lift).toBe('Would lift the total most: Dossiers on time, 50 more dossiers on time would add 12,50 points (total 90,00), up to rank 2');
  });
  it('say the rank is kept when the lift does not pass anyone, and nothing for a unit not ranked', () => {
    const lead = board([ranks(row('X', 1, X), { 'dossier.on_time': 1 }), other('B', 2, 60)]);
    expect(focusLines(unitFocus(lead, 'X')!, lead.indicators, 1, 'vi').lift).toMatch(/\(tổng 90,00\), vẫn hạng 1$/);
    expect(focusLines({ unitCode: 'X', weakest: null, lift: null }, b.indicators, null, 'vi')).toEqual({ weakest: null, lift: null });
  });
});
