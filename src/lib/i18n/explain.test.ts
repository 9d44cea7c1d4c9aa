import { describe, expect, it } from 'vitest';
import { crossings, explainChange, type PlacedRow } from '#domain/explain';
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

describe('relative moves', () => {
  // Five communes: A's points fell (−3,80) yet it rose from 5th to 1st, because B, C, D fell further.
  const place = (code: string, previousRank: number, previousTotal: number, rank: number, total: number, group = 'commune'): PlacedRow => ({
    code, name: `Xã ${code}`, group, rank, total, previousRank, previousTotal
  });
  const rows = [
    place('A', 5, 80, 1, 76.2),
    place('B', 1, 90, 3, 72.5),
    place('C', 2, 88, 2, 74.9),
    place('D', 3, 86, 4, 70),
    place('E', 4, 84, 5, 60),
    place('S', 1, 50, 1, 40, 'department') // another group: never crossed
  ];
  const moves = crossings(rows);

  it('finds whom each unit passed, those that fell most first, and who passed it', () => {
    expect(moves.get('A')!.passed.map((c) => [c.unitCode, c.totalDelta])).toEqual([['E', -24], ['B', -17.5], ['D', -16], ['C', -13.1]]);
    expect(moves.get('A')!.passedBy).toEqual([]);
    expect(moves.get('B')!.passedBy.map((c) => c.unitCode)).toEqual(['A', 'C']); // A fell least of the two: first
    expect(moves.get('S')).toEqual({ passed: [], passedBy: [] });
  });

  it('says that a riser whose points fell rose because others fell further, naming the biggest fallers it passed', () => {
    const a = { places: 4, totalDelta: -3.8, parts: [{ key: 'on_time', nameVi: 'Hồ sơ đúng hạn', delta: -4.2 }], passed: moves.get('A')!.passed };
    expect(vi(a)).toBe('tăng 4 bậc (tổng −3,80): các đơn vị khác giảm nhiều hơn, đã vượt Xã E (−24,00), Xã B (−17,50); Hồ sơ đúng hạn −4,20 điểm');
    expect(changeSentence(a, NAMED, 'en')).toBe('up 4 places (total −3,80): others fell further; passed Xã E (−24,00), Xã B (−17,50); Dossiers on time −4,20 points');
  });

  it('says that a faller whose points rose fell because others rose more; a riser whose points rose is explained by its own', () => {
    const f = { places: -2, totalDelta: 1.2, parts: [], passedBy: [{ unitCode: 'X', unitName: 'Phường X', totalDelta: 6.3 }, { unitCode: 'Y', unitName: 'Phường Y', totalDelta: 4 }] };
    expect(vi(f)).toBe('giảm 2 bậc (tổng +1,20): các đơn vị khác tăng nhiều hơn, bị Phường X (+6,30), Phường Y (+4,00) vượt');
    const r = { places: 2, totalDelta: 2, parts: [{ key: 'on_time', nameVi: 'Hồ sơ đúng hạn', delta: 2 }], passed: [{ unitCode: 'Z', unitName: 'Xã Z', totalDelta: -1 }] };
    expect(vi(r)).toBe('tăng 2 bậc (tổng +2,00): Hồ sơ đúng hạn +2,00 điểm');
  });
});
