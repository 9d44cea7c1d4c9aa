/**
 * The boards of one Socket.IO connection, whole: the server sends a board whole the first time and
 * then as patches onto the revision it sent last (src/lib/contract/board-patch.ts). This keeps each
 * subscribed room's board, applies the patches in order, and hands its listeners whole boards. A
 * patch onto another revision than the one kept (a missed event, another web node after a
 * reconnect) is not applied: the room is asked for again, and its answer is the whole board.
 */
import type { Socket } from 'socket.io-client';
import type { Ack } from '#contract/events';
import type { ClientToServerEvents, ServerToClientEvents } from '#contract/events';
import type { Board, BoardQuery } from '#contract/dto';
import { applyBoardPatch, keepNewer, roomOfBoard, type BoardPatch } from '#contract/board-patch';

type FeedSocket = Pick<Socket<ServerToClientEvents, ClientToServerEvents>, 'on' | 'off' | 'emit'>;

export class BoardFeed {
  /** room → the board as last received (with the revision the next patch applies onto). */
  readonly #boards = new Map<string, Board>();
  /** room → the query it was subscribed with, to ask again after a patch that does not fit. */
  readonly #queries = new Map<string, BoardQuery>();
  readonly #listeners = new Set<(board: Board) => void>();
  readonly #socket: FeedSocket;

  constructor(socket: FeedSocket) {
    this.#socket = socket;
    socket.on('rankings:updated', (board) => this.#take(board));
    socket.on('rankings:patched', (patch) => this.#patch(patch));
  }

  /** Calls `listener` with every board pushed to this connection, whole. Returns the unsubscribe. */
  on(listener: (board: Board) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Joins the board's room; answers its current board (or the server's error in words). */
  subscribe(query: BoardQuery): Promise<Ack<Board>> {
    return new Promise((resolve) => {
      this.#socket.emit('subscribe', query, (result) => {
        if ('data' in result) {
          const room = roomOfBoard(result.data);
          this.#queries.set(room, query);
          const kept = this.#boards.get(room);
          // A push that overtook this answer (sent after the server read it) is newer: keep that.
          const board = keepNewer(kept, result.data) === kept && kept ? kept : result.data;
          this.#boards.set(room, board);
          resolve({ data: board });
        } else resolve(result);
      });
    });
  }

  unsubscribe(query: BoardQuery): void {
    this.#socket.emit('unsubscribe', query, () => {});
  }

  /** The board last received for `room`, if any. */
  board(room: string): Board | undefined {
    return this.#boards.get(room);
  }

  #take(board: Board) {
    const room = roomOfBoard(board);
    const kept = this.#boards.get(room);
    if (kept && keepNewer(kept, board) === kept && kept !== board) return;
    this.#boards.set(room, board);
    for (const l of this.#listeners) l(board);
  }

  #patch(patch: BoardPatch) {
    const kept = this.#boards.get(patch.room);
    if (kept?.rev === patch.base) return this.#take(applyBoardPatch(kept, patch));
    // Not the revision kept: the whole board again (its answer is handed to the listeners too).
    const query = this.#queries.get(patch.room);
    if (!query) return;
    this.#boards.delete(patch.room);
    void this.subscribe(query).then((r) => {
      if ('data' in r) for (const l of this.#listeners) l(r.data);
    });
  }
}

const feeds = new WeakMap<object, BoardFeed>();

/** The one feed of a connection (every board on a page shares the tab's socket). */
export function boardFeed(socket: FeedSocket): BoardFeed {
  let feed = feeds.get(socket);
  if (!feed) feeds.set(socket, (feed = new BoardFeed(socket)));
  return feed;
}
