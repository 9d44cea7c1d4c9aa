import { describe, expect, it } from 'vitest';
import type { Board, BoardRow } from './dto.ts';
import { applyBoardPatch, diffBoard, roomOfBoard } from './board-patch.ts';

const row = (code: string, rank: number | null, total: number | null): BoardRow =>
  ({
    unitCode: code, unitName: `Xã ${code}`, rank, previousRank: rank, total, band: null, notRanked: null, notRankedReason: null,
    indicators: { 'dossier.on_time': { numerator: total, denominator: 100, ratio: total === null ? null : total / 100, points: total } },
    change: { sentence: '', places: 0, totalDelta: null, indicators: [] }, tile: null
  }) as unknown as BoardRow;

const board = (rows: BoardRow[], computedAt = '2026-11-20T05:00:00.000Z'): Board =>
  ({
    scheme: { key: 'operations', nameVi: 'Vận hành' },
    scope: { code: '79', name: 'TP Hồ Chí Minh', level: 'province' },
    period: { kind: 'month', start: '2026-11-01', end: '2026-11-30', provisional: true },
    schemeGroups: [], basis: null, scopeScore: null, indicators: [], bands: [], groups: [],
    rows, computedAt, asOf: computedAt
  }) as unknown as Board;

/** A deterministic shuffle and change of a board, for the round trip below. */
function mutate(rows: BoardRow[], seed: number): BoardRow[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out = rows.filter(() => rnd() > 0.1).map((r) => (rnd() < 0.2 ? row(r.unitCode, r.rank, Math.round(rnd() * 100)) : r));
  for (let i = 0; i < 3; i++) if (rnd() < 0.5) out.push(row(`N${seed}${i}`, null, null));
  if (rnd() < 0.5) out.sort((a, b) => (b.total ?? -1) - (a.total ?? -1));
  return out;
}

describe('board patches', () => {
  const base = board(Array.from({ length: 168 }, (_, i) => row(String(26734 + i), i + 1, 168 - i)));

  it('rebuild the next board exactly from the previous one, whatever moved, came or went', () => {
    let prev = base;
    for (let seed = 1; seed <= 60; seed++) {
      const next = board(mutate(prev.rows, seed), `2026-11-20T05:${String(seed).padStart(2, '0')}:00.000Z`);
      const changes = diffBoard(prev, next);
      expect(changes).not.toBeNull();
      expect(applyBoardPatch(prev, changes!)).toEqual(next);
      prev = next;
    }
  });

  it('say nothing when nothing changed, and only the new time when only the time did', () => {
    expect(diffBoard(base, structuredClone(base))).toBeNull();
    const later = { ...base, computedAt: '2026-11-20T06:00:00.000Z', asOf: '2026-11-20T06:00:00.000Z' };
    expect(diffBoard(base, later)).toEqual({ set: { computedAt: later.computedAt, asOf: later.asOf }, rows: [], removed: [], order: null });
  });

  it('carry one commune changed and the places it moved, not the whole board', () => {
    // The 100th commune jumps to the top: it and the 99 above it change rank, the 68 below do not.
    const rows = base.rows.map((r) => ({ ...r }));
    const [moved] = rows.splice(99, 1);
    rows.unshift({ ...moved!, total: 500 });
    rows.forEach((r, i) => (r.rank = i + 1));
    const next = board(rows);
    const changes = diffBoard(base, next)!;
    expect(changes.rows).toHaveLength(100);
    expect(changes.order).toHaveLength(168);
    expect(applyBoardPatch(base, changes)).toEqual(next);
    expect(JSON.stringify(changes).length).toBeLessThan(JSON.stringify(next).length * 0.7);
    // One value changed in place: one row, no order.
    const inPlace = board(base.rows.map((r, i) => (i === 150 ? { ...r, unitName: 'Phường Sài Gòn' } : r)));
    const small = diffBoard(base, inPlace)!;
    expect(small.rows.map((r) => r.unitCode)).toEqual([base.rows[150]!.unitCode]);
    expect(small.order).toBeNull();
    expect(JSON.stringify(small).length).toBeLessThan(JSON.stringify(inPlace).length / 50);
  });

  it('set the revision it makes, and name the room it belongs to', () => {
    const next = applyBoardPatch({ ...base, rev: 'a.1' }, { set: {}, rows: [], removed: [], order: null, rev: 'a.2' });
    expect(next.rev).toBe('a.2');
    expect(roomOfBoard(base)).toBe('board:79:month:2026-11-01:operations');
    expect(roomOfBoard({ ...base, basis: 'recomputed' } as Board)).toBe('board:79:month:2026-11-01:operations:recomputed');
  });
});
