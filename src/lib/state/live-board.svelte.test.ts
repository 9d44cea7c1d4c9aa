import { describe, expect, it, vi } from 'vitest';
import type { Board } from '#contract/dto';

/** A socket that the test drives: events it "receives", and acknowledgements it answers. */
const fake = vi.hoisted(() => {
  const handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  return {
    connected: true,
    recovered: false,
    on(event: string, h: (...args: unknown[]) => void) {
      handlers.set(event, [...(handlers.get(event) ?? []), h]);
    },
    off(event: string, h: (...args: unknown[]) => void) {
      handlers.set(event, (handlers.get(event) ?? []).filter((x) => x !== h));
    },
    acks: [] as ((result: unknown) => void)[],
    emit(_event: string, _query: unknown, ack: (result: unknown) => void) {
      this.acks.push(ack);
    },
    receive(event: string, ...args: unknown[]) {
      for (const h of handlers.get(event) ?? []) h(...args);
    }
  };
});
vi.mock('./socket.ts', () => ({ liveSocket: () => fake }));

const { LiveBoard, isOlderBoard, keepNewer } = await import('./live-board.svelte.ts');

const board = (computedAt: string | null, total: number): Board => ({
  scheme: { key: 'operations', nameVi: 'Vận hành' },
  scope: { code: '01', name: 'Hà Nội', level: 'province' },
  period: { kind: 'month', start: '2026-11-01', end: '2026-11-30', provisional: true },
  schemeGroups: [], basis: null, scopeScore: null,
  indicators: [],
  bands: [],
  groups: [],
  rows: [{ unitCode: '001', unitName: 'Ba Đình', rank: 1, previousRank: 1, total, band: null, notRankedReason: null, indicators: {}, change: { sentence: '', places: 0, totalDelta: null, indicators: [] }, tile: null }] as never,
  computedAt,
  asOf: computedAt
});

describe('isOlderBoard', () => {
  it('says a board computed before the one shown is older; the same moment or later is not', () => {
    expect(isOlderBoard(board('2026-11-20T05:00:01.000Z', 1), board('2026-11-20T05:00:00.500Z', 2))).toBe(true);
    expect(isOlderBoard(board('2026-11-20T05:00:01.000Z', 1), board('2026-11-20T05:00:01.000Z', 2))).toBe(false);
    expect(isOlderBoard(board('2026-11-20T05:00:01.000Z', 1), board('2026-11-20T05:00:02.000Z', 2))).toBe(false);
    // A board never computed (nothing stored yet) is older than any computed one, and anything replaces it.
    expect(isOlderBoard(board('2026-11-20T05:00:01.000Z', 1), board(null, 2))).toBe(true);
    expect(isOlderBoard(board(null, 1), board('2026-11-20T05:00:01.000Z', 2))).toBe(false);
  });
});

describe('keepNewer (the wall: reloads and coalesced pushes)', () => {
  it('keeps the board shown against an older copy of itself, and takes any other board', () => {
    const shown = board('2026-11-20T05:00:02.000Z', 70);
    expect(keepNewer(shown, board('2026-11-20T05:00:01.000Z', 60))).toBe(shown);
    const newer = board('2026-11-20T05:00:03.000Z', 80);
    expect(keepNewer(shown, newer)).toBe(newer);
    // Another period (midnight rolled over) replaces it whatever its time.
    const nextMonth = { ...board('2026-11-20T05:00:00.000Z', 10), period: { kind: 'month' as const, start: '2026-12-01', end: '2026-12-31', provisional: true } };
    expect(keepNewer(shown, nextMonth)).toBe(nextMonth);
    expect(keepNewer(undefined, newer)).toBe(newer);
  });
});

describe('LiveBoard', () => {
  it('ignores a board older than the one it shows, whether pushed or answered to its subscribe', async () => {
    const live = new LiveBoard(board('2026-11-20T05:00:00.000Z', 50), { scope: '01', period: 'month', date: '2026-11-20' });
    live.connect();
    fake.receive('rankings:updated', board('2026-11-20T05:00:02.000Z', 70));
    expect(live.board.rows[0]!.total).toBe(70);
    // An older board arrives late (a slower web node, a delayed read): it must not take the newer one's place.
    fake.receive('rankings:updated', board('2026-11-20T05:00:01.000Z', 60));
    expect(live.board.rows[0]!.total).toBe(70);
    expect(live.board.computedAt).toBe('2026-11-20T05:00:02.000Z');
    // The subscribe's snapshot, read before the push arrived, is older too.
    fake.acks.at(-1)!({ data: board('2026-11-20T05:00:00.000Z', 50) });
    await Promise.resolve();
    expect(live.board.rows[0]!.total).toBe(70);
    fake.receive('rankings:updated', board('2026-11-20T05:00:03.000Z', 80));
    expect(live.board.rows[0]!.total).toBe(80);
    live.destroy();
  });

  it('applies a patch onto the revision it holds, and asks for the whole board when the patch is onto another', async () => {
    const live = new LiveBoard(board('2026-11-20T05:00:00.000Z', 50), { scope: '01', period: 'month', date: '2026-11-21' });
    live.connect();
    fake.acks.at(-1)!({ data: { ...board('2026-11-20T05:00:04.000Z', 50), rev: 'n1.7' } });
    await Promise.resolve();
    expect(live.board.rev).toBe('n1.7');
    const row = { ...board(null, 0).rows[0]!, total: 90, rank: 1 };
    const room = 'board:01:month:2026-11-01:operations';
    fake.receive('rankings:patched', { room, base: 'n1.7', rev: 'n1.8', set: { computedAt: '2026-11-20T05:00:05.000Z' }, rows: [row], removed: [], order: null });
    expect(live.board.rows[0]!.total).toBe(90);
    expect(live.board.rev).toBe('n1.8');
    expect(live.changed.has('001')).toBe(true);
    // A patch onto a revision this tab never had (it missed one, or another web node sent it): not
    // applied; the board is asked for again and its answer shown.
    const asked = fake.acks.length;
    fake.receive('rankings:patched', { room, base: 'n2.3', rev: 'n2.4', set: {}, rows: [{ ...row, total: 10 }], removed: [], order: null });
    expect(live.board.rows[0]!.total).toBe(90);
    expect(fake.acks.length).toBe(asked + 1);
    fake.acks.at(-1)!({ data: { ...board('2026-11-20T05:00:06.000Z', 12), rev: 'n2.4' } });
    await Promise.resolve();
    await Promise.resolve();
    expect(live.board.rows[0]!.total).toBe(12);
    live.destroy();
  });
});
