/**
 * A board that stays current: starts from the page's snapshot, subscribes to its room, and shows
 * each board the connection's feed (./board-feed.ts) puts together from the pushes. After a reconnect that Socket.IO could not recover, it asks for a snapshot again.
 */
import type { Board, BoardQuery } from '#contract/dto';
import { isOlderBoard, keepNewer } from '#contract/board-patch';
import { liveSocket, type LiveSocket } from './socket.ts';
import { boardFeed } from './board-feed.ts';

export { isOlderBoard, keepNewer };

export type ConnectionState = 'connecting' | 'live' | 'offline';

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
    this.#off.push(() => socket.off('connect', onConnect), () => socket.off('disconnect', onDisconnect), boardFeed(socket).on(onUpdate));
    if (socket.connected) onConnect();
  }

  #subscribe() {
    if (!this.#socket) return;
    void boardFeed(this.#socket).subscribe(this.#query).then((result) => {
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
    if (this.#socket) boardFeed(this.#socket).unsubscribe(this.#query);
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
