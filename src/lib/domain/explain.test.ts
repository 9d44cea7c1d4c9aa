import { describe, expect, it } from 'vitest';
import { explainChange } from './explain.ts';

const IND = [{ key: 'on_time', nameVi: 'Hồ sơ đúng hạn' }, { key: 'tasks', nameVi: 'Nhiệm vụ' }, { key: 'eid', nameVi: 'Định danh' }];
const row = (rank: number | null, total: number | null, on_time: number | null, tasks: number | null, eid: number | null = 10) => ({
  rank, total, indicators: { on_time: { points: on_time }, tasks: { points: tasks }, eid: { points: eid } }
});

describe('explainChange', () => {
  it('says how many places and which indicators moved, biggest first', () => {
    const e = explainChange(row(7, 80.8, 15.8, 9), row(4, 84, 20, 8), IND);
    expect(e).toEqual({ places: -3, totalDelta: -3.2, parts: [{ key: 'on_time', nameVi: 'Hồ sơ đúng hạn', delta: -4.2 }, { key: 'tasks', nameVi: 'Nhiệm vụ', delta: 1 }] });
  });
  it('gives a unit that went up, or kept its place, the same structure', () => {
    expect(explainChange(row(1, 90, 20, 10), row(3, 88, 18, 10), IND)).toEqual({ places: 2, totalDelta: 2, parts: [{ key: 'on_time', nameVi: 'Hồ sơ đúng hạn', delta: 2 }] });
    expect(explainChange(row(2, 88, 18, 10), row(2, 88, 18, 10), IND)).toEqual({ places: 0, totalDelta: 0, parts: [] });
  });
  it('leaves out an indicator that did not apply in either period', () => {
    const e = explainChange(row(2, 85, 18, null), row(3, 80, 16, 9), IND);
    expect(e.parts.map((p) => p.key)).toEqual(['on_time']);
  });
  it('has no places without both ranks', () => {
    expect(explainChange(row(2, 85, 18, 9), null, IND)).toEqual({ places: null, totalDelta: null, parts: [] });
    expect(explainChange(row(null, null, null, null), row(2, 85, 18, 9), IND)).toEqual({ places: null, totalDelta: null, parts: [] });
    expect(explainChange(row(2, 85, 18, 9), row(null, null, null, null), IND)).toEqual({ places: null, totalDelta: null, parts: [] });
  });
});
