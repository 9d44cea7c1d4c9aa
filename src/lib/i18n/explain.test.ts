import { describe, expect, it } from 'vitest';
import { explainChange } from '#domain/explain';
import { changeSentence } from './explain.ts';

const IND = [{ key: 'on_time', nameVi: 'Hồ sơ đúng hạn' }, { key: 'tasks', nameVi: 'Nhiệm vụ' }, { key: 'eid', nameVi: 'Định danh' }];
const NAMED = IND.map((i) => ({ ...i, nameEn: { on_time: 'Dossiers on time', tasks: 'Tasks completed', eid: 'e-ID activation' }[i.key]! }));
const row = (rank: number | null, total: number | null, on_time: number | null, tasks: number | null, eid: number | null = 10) => ({
  rank, total, indicators: { on_time: { points: on_time }, tasks: { points: tasks }, eid: { points: eid } }
});
const vi = (e: ReturnType<typeof explainChange>, options = {}) => changeSentence(e, IND, 'vi', options);

describe('changeSentence in Vietnamese', () => {
  it('says how many places and which indicators moved, biggest first', () => {
    expect(vi(explainChange(row(7, 80.8, 15.8, 9), row(4, 84, 20, 8), IND))).toBe('giảm 3 bậc (tổng −3,20): Hồ sơ đúng hạn −4,20 điểm, Nhiệm vụ +1,00 điểm');
  });
  it('says a unit that went up, or kept its place, in the same words', () => {
    expect(vi(explainChange(row(1, 90, 20, 10), row(3, 88, 18, 10), IND))).toBe('tăng 2 bậc (tổng +2,00): Hồ sơ đúng hạn +2,00 điểm');
    expect(vi(explainChange(row(2, 88, 18, 10), row(2, 88, 18, 10), IND))).toBe('giữ hạng');
  });
  it('says so when there is nothing to compare with', () => {
    expect(vi(explainChange(row(2, 85, 18, 9), null, IND))).toBe('chưa có hạng kỳ trước để so sánh');
    expect(vi(explainChange(row(null, null, null, null), row(2, 85, 18, 9), IND), { ranked: false })).toBe('chưa xếp hạng kỳ này');
  });
  it('names two indicators at most unless asked, and counts places the vi-VN way', () => {
    const e = { places: -1200, totalDelta: -7.5, parts: [{ key: 'eid', nameVi: 'Định danh', delta: -5 }, { key: 'on_time', nameVi: 'Hồ sơ đúng hạn', delta: -2 }, { key: 'tasks', nameVi: 'Nhiệm vụ', delta: -0.5 }] };
    expect(vi(e)).toBe('giảm 1.200 bậc (tổng −7,50): Định danh −5,00 điểm, Hồ sơ đúng hạn −2,00 điểm');
    expect(vi(e, { maxParts: 3 })).toBe('giảm 1.200 bậc (tổng −7,50): Định danh −5,00 điểm, Hồ sơ đúng hạn −2,00 điểm, Nhiệm vụ −0,50 điểm');
  });
});

describe('changeSentence in English', () => {
  it('says the same in English, with the English names and the vi-VN numbers', () => {
    const e = explainChange(row(7, 80.8, 15.8, 9), row(4, 84, 20, 8), IND);
    expect(changeSentence(e, NAMED, 'en')).toBe('down 3 places (total −3,20): Dossiers on time −4,20 points, Tasks completed +1,00 points');
    expect(changeSentence(explainChange(row(1, 90, 20, 10), row(2, 88, 18, 10), IND), NAMED, 'en')).toBe('up 1 place (total +2,00): Dossiers on time +2,00 points');
    expect(changeSentence(explainChange(row(2, 88, 18, 10), row(2, 88, 18, 10), IND), NAMED, 'en')).toBe('kept its rank');
  });
  it('keeps the Vietnamese name of an indicator it has no English name for, and says when there is nothing to compare', () => {
    const e = explainChange(row(1, 90, 20, 10), row(3, 88, 18, 10), IND);
    expect(changeSentence(e, IND, 'en')).toBe('up 2 places (total +2,00): Hồ sơ đúng hạn +2,00 points');
    expect(changeSentence({ places: null, totalDelta: null, parts: [] }, NAMED, 'en')).toBe('no rank in the previous period to compare with');
    expect(changeSentence({ places: null, totalDelta: null, parts: [] }, NAMED, 'en', { ranked: false })).toBe('not ranked this period');
  });
});
