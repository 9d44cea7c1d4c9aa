import { describe, expect, it } from 'vitest';
import { changeSentence, explainChange } from './explain.ts';

const IND = [{ key: 'on_time', nameVi: 'Hồ sơ đúng hạn' }, { key: 'tasks', nameVi: 'Nhiệm vụ' }, { key: 'eid', nameVi: 'Định danh' }];
const row = (rank: number | null, total: number | null, on_time: number | null, tasks: number | null, eid: number | null = 10) => ({
  rank, total, indicators: { on_time: { points: on_time }, tasks: { points: tasks }, eid: { points: eid } }
});

describe('explainChange', () => {
  it('says how many places and which indicators moved, biggest first', () => {
    const e = explainChange(row(7, 80.8, 15.8, 9), row(4, 84, 20, 8), IND);
    expect(e.places).toBe(-3);
    expect(e.totalDelta).toBe(-3.2);
    expect(e.parts.map((p) => [p.key, p.delta])).toEqual([['on_time', -4.2], ['tasks', 1]]);
    expect(e.sentence).toBe('giảm 3 bậc (tổng −3,20): Hồ sơ đúng hạn −4,20 điểm, Nhiệm vụ +1,00 điểm');
  });
  it('says a unit that went up, or kept its place, in the same words', () => {
    expect(explainChange(row(1, 90, 20, 10), row(3, 88, 18, 10), IND).sentence).toBe('tăng 2 bậc (tổng +2,00): Hồ sơ đúng hạn +2,00 điểm');
    expect(explainChange(row(2, 88, 18, 10), row(2, 88, 18, 10), IND).sentence).toBe('giữ hạng');
  });
  it('leaves out an indicator that did not apply in either period', () => {
    const e = explainChange(row(2, 85, 18, null), row(3, 80, 16, 9), IND);
    expect(e.parts.map((p) => p.key)).toEqual(['on_time']);
  });
  it('says so when there is nothing to compare with', () => {
    expect(explainChange(row(2, 85, 18, 9), null, IND).sentence).toBe('chưa có hạng kỳ trước để so sánh');
    expect(explainChange(row(null, null, null, null), row(2, 85, 18, 9), IND).sentence).toBe('chưa xếp hạng kỳ này');
  });
});

describe('changeSentence', () => {
  const NAMED = IND.map((i) => ({ ...i, nameEn: { on_time: 'Dossiers on time', tasks: 'Tasks completed', eid: 'e-ID activation' }[i.key]! }));

  it('renders the Vietnamese sentence of explainChange from its structure', () => {
    const e = explainChange(row(7, 80.8, 15.8, 9), row(4, 84, 20, 8), IND);
    expect(changeSentence(e, NAMED, 'vi')).toBe(e.sentence);
  });
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
