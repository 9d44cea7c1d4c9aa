/**
 * A pushed board as what changed since the last one the same server sent to its room: a province's
 * board is 50–280 KB of JSON, and a poll that moves one commune changes a few of its rows. The server
 * keeps each watched room's last board and its revision; a client applies a patch only onto the
 * revision it names, and otherwise asks for the whole board again (src/lib/state/board-feed.ts).
 * Browser-safe: no server imports here.
 */
import type { Board, BoardRow } from './dto.ts';
import { boardRoom } from './events.ts';

/** What a board patch carries beyond the room and revisions: top-level fields, rows, removals, order. */
export interface BoardChanges {
  /** Top-level fields (everything but `rows` and `rev`) whose value differs, with their new value. */
  set: Partial<Omit<Board, 'rows' | 'rev'>>;
  /** Rows new or changed, whole. */
  rows: BoardRow[];
  /** Unit codes of rows no longer on the board. */
  removed: string[];
  /** The rows' order (unit codes), when it changed; otherwise null and the order stays. */
  order: string[] | null;
}

export interface BoardPatch extends BoardChanges {
  /** The room it was sent to (boardRoom). */
  room: string;
  /** The revision it applies onto, and the one it makes. */
  base: string;
  rev: string;
}

/** The room a board is pushed to. */
export function roomOfBoard(b: Pick<Board, 'scope' | 'period' | 'scheme' | 'basis'>): string {
  return boardRoom(b.scope.code, b.period.kind, b.period.start, b.scheme.key, b.basis ?? undefined);
}

/**
 * Whether `next` was computed before `shown`: pushes and snapshots can arrive out of order (two
 * web nodes, a read that started before a newer commit), and an older board must never replace a
 * newer one on screen. Boards' `computedAt` is taken under the recompute lock, so later is newer.
 */
export function isOlderBoard(shown: Pick<Board, 'computedAt'>, next: Pick<Board, 'computedAt'>): boolean {
  if (shown.computedAt === null) return false;
  if (next.computedAt === null) return true;
  return Date.parse(next.computedAt) < Date.parse(shown.computedAt);
}

/** The board to show when `next` arrives: `next`, unless it is an older copy of the same board (scheme, scope, period). */
export function keepNewer(shown: Board | undefined, next: Board): Board {
  if (!shown) return next;
  const same = shown.scheme.key === next.scheme.key && shown.scope.code === next.scope.code && shown.period.kind === next.period.kind && shown.period.start === next.period.start;
  return same && isOlderBoard(shown, next) ? shown : next;
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** What changed from `prev` to `next`; null when nothing did. Rows are matched by unit code. */
export function diffBoard(prev: Board, next: Board): BoardChanges | null {
  const set: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
  for (const k of keys) {
    if (k === 'rows' || k === 'rev') continue;
    const a = (prev as unknown as Record<string, unknown>)[k];
    const b = (next as unknown as Record<string, unknown>)[k];
    if (!same(a, b)) set[k] = b === undefined ? null : b;
  }
  const before = new Map(prev.rows.map((r) => [r.unitCode, r]));
  const rows = next.rows.filter((r) => {
    const old = before.get(r.unitCode);
    return !old || !same(old, r);
  });
  const present = new Set(next.rows.map((r) => r.unitCode));
  const removed = prev.rows.filter((r) => !present.has(r.unitCode)).map((r) => r.unitCode);
  const nextOrder = next.rows.map((r) => r.unitCode);
  const prevOrder = prev.rows.map((r) => r.unitCode).filter((c) => present.has(c));
  const kept = nextOrder.filter((c) => before.has(c));
  // The order is sent when the rows kept moved, or when new rows are not simply at the end.
  const appended = nextOrder.slice(0, kept.length).every((c, i) => c === kept[i]);
  const order = prevOrder.length === kept.length && prevOrder.every((c, i) => c === kept[i]) && appended ? null : nextOrder;
  if (!Object.keys(set).length && !rows.length && !removed.length && !order) return null;
  return { set: set as BoardChanges['set'], rows, removed, order };
}

/** `board` with `patch` applied (a new object; `board` is left as it was). The caller checks `patch.base`. */
export function applyBoardPatch(board: Board, patch: BoardChanges & { rev?: string }): Board {
  const byCode = new Map(board.rows.map((r) => [r.unitCode, r]));
  for (const code of patch.removed) byCode.delete(code);
  const changed = new Map(patch.rows.map((r) => [r.unitCode, r]));
  let rows: BoardRow[];
  if (patch.order) {
    rows = patch.order.map((code) => changed.get(code) ?? byCode.get(code)).filter((r): r is BoardRow => r !== undefined);
  } else {
    rows = [...byCode.values()].map((r) => changed.get(r.unitCode) ?? r);
    for (const r of patch.rows) if (!byCode.has(r.unitCode)) rows.push(r);
  }
  const next = { ...board, ...patch.set, rows } as Board;
  if (patch.rev !== undefined) next.rev = patch.rev;
  return next;
}
