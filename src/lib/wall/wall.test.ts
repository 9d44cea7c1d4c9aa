import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalesce.ts';
import { driftAt } from './drift.ts';
import { sceneAt } from './rotation.ts';
import { boardSceneSeconds, pageAt, wallBoardPages } from './board-pages.ts';
import { cityBoard } from '#domain/board-view.fixtures';

describe('rotation', () => {
  const playlist = { scenes: ['kpis', 'board', 'map'], dwellSeconds: 20 };

  it('shows each scene for its dwell time, in order, and starts over', () => {
    expect(sceneAt(playlist, 0)).toEqual({ scene: 'kpis', index: 0, remainingMs: 20_000, elapsedMs: 0, durationMs: 20_000, showing: 0 });
    expect(sceneAt(playlist, 19_999).scene).toBe('kpis');
    expect(sceneAt(playlist, 20_000)).toMatchObject({ scene: 'board', index: 1, remainingMs: 20_000, elapsedMs: 0, showing: 1 });
    expect(sceneAt(playlist, 45_000)).toMatchObject({ scene: 'map', index: 2, remainingMs: 15_000, elapsedMs: 5_000 });
    expect(sceneAt(playlist, 60_000)).toMatchObject({ scene: 'kpis', showing: 3 });
  });

  it('gives a scene that needs it more than the dwell time, and the others theirs', () => {
    const long = { ...playlist, sceneSeconds: { board: 50, map: 5 } };
    expect(sceneAt(long, 20_000)).toMatchObject({ scene: 'board', durationMs: 50_000, remainingMs: 50_000 });
    expect(sceneAt(long, 69_999)).toMatchObject({ scene: 'board', elapsedMs: 49_999 });
    // Never shorter than the dwell time.
    expect(sceneAt(long, 70_000)).toMatchObject({ scene: 'map', durationMs: 20_000 });
    expect(sceneAt(long, 90_000)).toMatchObject({ scene: 'kpis', showing: 3 });
  });

  it('keeps a pinned scene, counting its time from the start', () => {
    expect(sceneAt(playlist, 45_000, 'board')).toEqual({ scene: 'board', index: 1, remainingMs: Infinity, elapsedMs: 45_000, durationMs: Infinity, showing: 0 });
  });
});

describe('the board’s pages', () => {
  const board = cityBoard();

  it('puts 126 communes on 4 balanced pages of two columns and the departments on their own', () => {
    const pages = wallBoardPages(board);
    expect(pages.map((p) => [p.group.level, p.columns.map((c) => c.length), p.firstRank, p.lastRank, p.unranked])).toEqual([
      ['commune', [16, 16], 1, 32, 0],
      ['commune', [16, 16], 33, 64, 0],
      ['commune', [16, 15], 65, 95, 0],
      ['commune', [16, 15], 96, 124, 2],
      ['department', [14], 1, 14, 0]
    ]);
    expect(pages.map((p) => `${p.page}/${p.pages}`)).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5']);
    expect(pages[0]!.columns[1]![0]!.rank).toBe(17);
  });

  it('gives a group with long names the whole width: one column of up to 20 rows', () => {
    const board = cityBoard({ communes: 30, departments: 19, unranked: 0 });
    board.rows = board.rows.map((r) => (r.unitCode === 'S03' ? { ...r, unitName: 'Ban Quản lý các khu công nghệ cao và khu công nghiệp thành phố' } : r));
    const pages = wallBoardPages(board);
    expect(pages.map((p) => [p.group.level, p.columns.map((c) => c.length)])).toEqual([['commune', [15, 15]], ['department', [19]]]);
  });

  it('keeps a 2024 board of 30 districts on one page of two columns', () => {
    const pages = wallBoardPages(cityBoard({ communes: 30, departments: 0, unranked: 0 }));
    expect(pages).toHaveLength(1);
    expect(pages[0]!.columns.map((c) => c.length)).toEqual([15, 15]);
  });

  it('shares the scene among the pages, each at least 10 s, longer than the dwell time when it must', () => {
    expect(boardSceneSeconds(1, 20)).toBe(20);
    expect(boardSceneSeconds(5, 20)).toBe(50);
    expect(boardSceneSeconds(5, 90)).toBe(90);
    expect(pageAt(5, 50, 0)).toEqual({ index: 0, elapsedMs: 0, durationMs: 10_000 });
    expect(pageAt(5, 50, 23_000)).toEqual({ index: 2, elapsedMs: 3_000, durationMs: 10_000 });
    expect(pageAt(5, 90, 89_999).index).toBe(4);
    // Pinned: round and round.
    expect(pageAt(5, 50, 61_000).index).toBe(1);
    expect(pageAt(1, 20, 61_000).index).toBe(0);
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
