/**
 * The 766 scene shows the newest month the portal has published; the months after it (the one just
 * ended, in the first days of a month) are watched on the board's own live channel: when a push (or
 * the subscription's first answer) brings one of them with published scores, `onPublished` runs once
 * (the wall reloads its data and moves to that month). Nothing is polled.
 */
import type { Board, BoardQuery } from '#contract/dto';
import { liveSocket, type LiveSocket } from '$lib/state/socket';
import { boardFeed } from '$lib/state/board-feed';
import { hasPublished } from './wall766.ts';

export class PublicationWatch {
  #socket: LiveSocket | undefined;
  #off: (() => void)[] = [];
  #fired = false;

  constructor(
    private readonly queries: readonly BoardQuery[],
    private readonly onPublished: () => void
  ) {}

  connect() {
    if (!this.queries.length) return;
    const socket = (this.#socket = liveSocket());
    const watched = (b: Board) =>
      this.queries.some((q) => q.scheme === b.scheme.key && q.scope === b.scope.code && b.period.kind === 'month' && b.period.start === q.date);
    const seen = (b: Board) => {
      if (this.#fired || !watched(b) || !hasPublished(b)) return;
      this.#fired = true;
      this.onPublished();
    };
    const feed = boardFeed(socket);
    const subscribe = () => {
      for (const q of this.queries) void feed.subscribe(q).then((r) => ('data' in r ? seen(r.data) : undefined));
    };
    socket.on('connect', subscribe);
    this.#off.push(() => socket.off('connect', subscribe), feed.on(seen));
    if (socket.connected) subscribe();
  }

  destroy() {
    if (this.#socket) for (const q of this.queries) boardFeed(this.#socket).unsubscribe(q);
    for (const off of this.#off) off();
    this.#off = [];
  }
}
