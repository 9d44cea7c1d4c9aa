import { describe, expect, it } from 'vitest';
import { dayNumber } from './calendar.ts';
import { hanoiUnits } from './test-kit.ts';
import { tasksOf } from './tasks.ts';

const muchLater = new Date('2028-01-01T00:00:00Z');
const units = hanoiUnits();
const districts = units.filter((u) => u.level === 'district').map((u) => u.code);
const communes = units.filter((u) => u.level === 'commune').map((u) => u.code);
const lateBy = (done: string, deadline: string) => dayNumber(done) - dayNumber(deadline);

describe('the simulated task tracker', () => {
  it('is deterministic for a seed and unit, and ids are unique', () => {
    const a = tasksOf('s', '001', '2026-01-01', '2026-06-30', muchLater);
    expect(a.length).toBeGreaterThan(50);
    expect(tasksOf('s', '001', '2026-01-01', '2026-06-30', muchLater)).toEqual(a);
    expect(tasksOf('other', '001', '2026-01-01', '2026-06-30', muchLater)).not.toEqual(a);
    expect(new Set(a.map((t) => t.id)).size).toBe(a.length);
    expect(a[0]!.id).toMatch(/^NV-001-\d{8}-\d+$/);
  });
  it('keeps dates consistent and returns exactly the tasks open in or overlapping the range', () => {
    const now = new Date('2026-11-20T05:00:00Z');
    for (const code of ['001', '00001', '278', '09619']) {
      const tasks = tasksOf('s', code, '2026-09-01', '2026-10-31', now);
      for (const t of tasks) {
        expect(t.donViThucHien).toBe(code);
        expect(t.ngayGiao <= t.hanXuLy).toBe(true);
        expect(t.ngayGiao <= '2026-10-31').toBe(true);
        if (t.ngayHoanThanh !== null) {
          expect(t.ngayGiao <= t.ngayHoanThanh).toBe(true);
          expect(t.ngayHoanThanh >= '2026-09-01').toBe(true);
          expect(t.ngayHoanThanh <= '2026-11-20').toBe(true);
        }
        expect(dayNumber(t.hanXuLy) - dayNumber(t.ngayGiao)).toBeGreaterThanOrEqual(5);
        expect(dayNumber(t.hanXuLy) - dayNumber(t.ngayGiao)).toBeLessThanOrEqual(46);
      }
      // The same task seen through a wider window is the same task.
      const wide = new Map(tasksOf('s', code, '2026-06-01', '2026-11-20', now).map((t) => [t.id, t]));
      for (const t of tasks) expect(wide.get(t.id)).toEqual(t);
    }
  });
  it('shows nothing after now: no later task, no later completion', () => {
    const at = (iso: string) => tasksOf('s', '001', '2026-10-01', '2026-12-31', new Date(iso));
    const morning = at('2026-11-19T23:00:00Z'); // 06:00 ICT on the 20th
    const evening = at('2026-11-20T12:00:00Z'); // 19:00 ICT
    expect(morning.every((t) => t.ngayGiao <= '2026-11-19')).toBe(true);
    expect(morning.every((t) => t.ngayHoanThanh === null || t.ngayHoanThanh <= '2026-11-19')).toBe(true);
    expect(evening.every((t) => t.ngayGiao <= '2026-11-20')).toBe(true);
    const later = new Map(at('2027-06-01T00:00:00Z').map((t) => [t.id, t]));
    const eventuallyDone = evening.filter((t) => t.ngayHoanThanh === null && later.get(t.id)?.ngayHoanThanh);
    expect(eventuallyDone.length).toBeGreaterThan(0); // open now, completed later
    for (const t of evening) expect({ ...later.get(t.id), ngayHoanThanh: t.ngayHoanThanh }).toEqual(t);
  });
  it('assigns and completes tasks at the real rates over a year', () => {
    const year = (codes: string[]) => codes.flatMap((c) => tasksOf('s', c, '2025-01-01', '2025-12-31', muchLater)).filter((t) => t.ngayGiao >= '2025-01-01');
    const d = year(districts);
    const c = year(communes.filter((_, i) => i % 4 === 0));
    const workingDays = 270; // Monday–Friday less holidays, plus a third of each Saturday
    expect(d.length / districts.length / workingDays).toBeGreaterThan(0.8);
    expect(d.length / districts.length / workingDays).toBeLessThan(1.2);
    expect(c.length / Math.ceil(communes.length / 4) / workingDays).toBeGreaterThan(0.2);
    expect(c.length / Math.ceil(communes.length / 4) / workingDays).toBeLessThan(0.3);
    const all = [...d, ...c];
    const onTime = all.filter((t) => lateBy(t.ngayHoanThanh!, t.hanXuLy) <= 0).length / all.length;
    const late = all.filter((t) => lateBy(t.ngayHoanThanh!, t.hanXuLy) >= 1 && lateBy(t.ngayHoanThanh!, t.hanXuLy) < 30).length / all.length;
    const veryLate = all.filter((t) => lateBy(t.ngayHoanThanh!, t.hanXuLy) >= 30).length / all.length;
    expect(onTime).toBeGreaterThan(0.84);
    expect(onTime).toBeLessThan(0.91);
    expect(late).toBeGreaterThan(0.08);
    expect(late).toBeLessThan(0.14);
    expect(veryLate).toBeGreaterThan(0.007);
    expect(veryLate).toBeLessThan(0.025);
    expect(Math.max(...all.map((t) => lateBy(t.ngayHoanThanh!, t.hanXuLy)))).toBeLessThanOrEqual(151);
  });
  it('ranks units differently: on-time shares differ between units and drift between half-years', () => {
    const share = (code: string, from: string, to: string) => {
      const done = tasksOf('s', code, from, to, muchLater).filter((t) => t.ngayGiao >= from && t.ngayGiao <= to);
      return done.filter((t) => t.ngayHoanThanh! <= t.hanXuLy).length / done.length;
    };
    const first = districts.map((c) => share(c, '2025-01-01', '2025-06-30'));
    const second = districts.map((c) => share(c, '2025-07-01', '2025-12-31'));
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(0.08);
    const order = (xs: number[]) => xs.map((_, i) => i).sort((a, b) => xs[b]! - xs[a]! || a - b);
    expect(order(first)).not.toEqual(order(second));
  });
  it('answers a 400-day query for every unit fast', () => {
    const started = performance.now();
    let n = 0;
    for (const u of units) n += tasksOf('fast', u.code, '2025-10-17', '2026-11-20', new Date('2026-11-20T05:00:00Z')).length;
    expect(n).toBeGreaterThan(30_000);
    expect(performance.now() - started).toBeLessThan(2500); // ~0.4 s on the 2-core machine
  });
});
