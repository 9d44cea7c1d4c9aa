/**
 * A board that stays current: starts from the page's snapshot, subscribes to its room, and applies
 * `rankings:updated`. After a reconnect that Socket.IO could not recover, it asks for a snapshot again.
 */
import type { Board, BoardQuery } from '#contract/dto';
import { liveSocket, type LiveSocket } from './socket.ts';

export type ConnectionState = 'connecting' | 'live' | 'offline';

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

export class LiveBoard {
  board = $state<Board>() as Board;
  connection = $state<ConnectionState>('connecting');
  /** Unit codes whose numbers changed in the last update, for a brief highlight. */
  changed = $state<ReadonlySet<string>>(new Set());
  /** When the last live update arrived (ISO). */
  updatedAt = $state<string | null>(null);
  error = $state<string | null>(null);

  #query: BoardQuery;
  #socket: LiveSocket | undefined;
  #off: (() => void)[] = [];
  #clearTimer: ReturnType<typeof setTimeout> | undefined;
  #subscribed = false;

  constructor(initial: Board, query: BoardQuery) {
    this.board = initial;
    this.#query = query;
  }

  connect() {
    const socket = (this.#socket = liveSocket());
    const onConnect = () => {
      this.connection = 'live';
      // A recovered connection keeps its rooms and replays missed events; anything else resubscribes.
      if (!socket.recovered || !this.#subscribed) this.#subscribe();
    };
    const onDisconnect = () => (this.connection = 'offline');
    const onUpdate = (board: Board) => {
      if (board.scope.code !== this.board.scope.code || board.period.kind !== this.board.period.kind || board.period.start !== this.board.period.start) return;
      // Another scheme's board of the same scope and period (a push to the room just left when the scheme was switched).
      if (board.scheme.key !== this.board.scheme.key) return;
      // The same board on the other basis (the 766 index ranked on the portal's scores or on ours): not the one shown.
      if ((board.basis ?? null) !== (this.board.basis ?? null)) return;
      this.#apply(board);
    };
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('rankings:updated', onUpdate);
    this.#off.push(() => socket.off('connect', onConnect), () => socket.off('disconnect', onDisconnect), () => socket.off('rankings:updated', onUpdate));
    if (socket.connected) onConnect();
  }

  #subscribe() {
    this.#socket?.emit('subscribe', this.#query, (result) => {
      if ('error' in result) {
        this.error = result.error;
        return;
      }
      this.error = null;
      this.#subscribed = true;
      this.#apply(result.data);
    });
  }

  #apply(next: Board) {
    if (isOlderBoard(this.board, next)) return;
    const before = new Map(this.board.rows.map((r) => [r.unitCode, r]));
    const changed = new Set<string>();
    for (const row of next.rows) {
      const old = before.get(row.unitCode);
      if (!old || old.total !== row.total || old.rank !== row.rank || JSON.stringify(old.indicators) !== JSON.stringify(row.indicators)) {
        changed.add(row.unitCode);
      }
    }
    this.board = next;
    if (changed.size) {
      this.changed = changed;
      this.updatedAt = new Date().toISOString();
      clearTimeout(this.#clearTimer);
      this.#clearTimer = setTimeout(() => (this.changed = new Set()), 4000);
    }
  }

  destroy() {
    clearTimeout(this.#clearTimer);
    this.#socket?.emit('unsubscribe', this.#query, () => {});
    for (const off of this.#off) off();
    this.#off = [];
  }
}

/**
 * A board kept live while the calling component lives: a LiveBoard for the page's snapshot, made
 * again when the snapshot or the query changes (navigation, period choice), destroyed with it.
 * `current` is undefined until mounted, or when there is no board.
 */
export function liveBoard(initial: () => Board | null, query: () => BoardQuery | null): { readonly current: LiveBoard | undefined } {
  let current = $state<LiveBoard>();
  $effect(() => {
    const board = initial();
    const q = query();
    if (!board || !q) return;
    const live = new LiveBoard(board, q);
    current = live;
    live.connect();
    return () => {
      live.destroy();
      current = undefined;
    };
  });
  return {
    get current() {
      return current;
    }
  };
}
