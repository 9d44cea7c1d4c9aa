import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalesce.ts';
import { driftAt } from './drift.ts';
import { sceneAt } from './rotation.ts';

describe('rotation', () => {
  const playlist = { scenes: ['kpis', 'board', 'map'], dwellSeconds: 20 };

  it('shows each scene for its dwell time, in order, and starts over', () => {
    expect(sceneAt(playlist, 0)).toEqual({ scene: 'kpis', index: 0, remainingMs: 20_000 });
    expect(sceneAt(playlist, 19_999).scene).toBe('kpis');
    expect(sceneAt(playlist, 20_000)).toEqual({ scene: 'board', index: 1, remainingMs: 20_000 });
    expect(sceneAt(playlist, 45_000)).toEqual({ scene: 'map', index: 2, remainingMs: 15_000 });
    expect(sceneAt(playlist, 60_000).scene).toBe('kpis');
  });

  it('keeps a pinned scene', () => {
    expect(sceneAt(playlist, 45_000, 'board')).toEqual({ scene: 'board', index: 1, remainingMs: Infinity });
  });
});

describe('drift', () => {
  it('stays within the amplitude, moves every few minutes, and visits many offsets', () => {
    const seen = new Set<string>();
    for (let m = 0; m < 408; m++) {
      const { x, y } = driftAt(m);
      expect(Math.abs(x)).toBeLessThanOrEqual(4);
      expect(Math.abs(y)).toBeLessThanOrEqual(4);
      seen.add(`${x},${y}`);
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(driftAt(0)).toEqual({ x: 0, y: 0 });
    expect(driftAt(6)).not.toEqual(driftAt(0));
  });
});

describe('coalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('applies only the newest of a burst, once', () => {
    const applied: number[] = [];
    const c = new Coalescer<number>((v) => applied.push(v), 600, 2000);
    c.push(1);
    vi.advanceTimersByTime(300);
    c.push(2);
    vi.advanceTimersByTime(300);
    c.push(3);
    expect(applied).toEqual([]);
    vi.advanceTimersByTime(600);
    expect(applied).toEqual([3]);
  });

  it('never holds an endless stream back longer than the maximum wait', () => {
    const applied: number[] = [];
    const c = new Coalescer<number>((v) => applied.push(v), 600, 2000);
    for (let i = 0; i < 10; i++) {
      c.push(i);
      vi.advanceTimersByTime(400);
    }
    // 4 s of updates every 400 ms: applied about every 2 s, not only at the end.
    expect(applied.length).toBeGreaterThanOrEqual(2);
    expect(applied[0]).toBe(4);
  });
});
