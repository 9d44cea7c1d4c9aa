/**
 * A process of Socket.IO clients for the push bench (test/bench/push.ts forks a few of these):
 * connects its share of the clients (websocket transport only, each its own connection), subscribes
 * each to its boards as the pages do, then notes when every client has received each of its boards
 * again after a commit the bench makes. One machine, one clock: times are
 * `performance.timeOrigin + performance.now()` (milliseconds since the epoch, sub-millisecond), so
 * the bench can subtract its commit time from them.
 *
 * Messages from the bench (IPC) and the answers:
 * - `connect` {clients, inFlight} → `connected` {connectMs per client, errors, peak in-flight}
 * - `arm` {round} → `armed`: from now on a client's next push of each of its boards counts for `round`
 * - (by itself) `done` {round, arrivals}: when every client of this process has all its boards
 * - `collect` {round} → `done` with what arrived (NaN where a board is still missing), at the bench's timeout
 * - `close` → `closed` {maxRssMb}, then the process exits
 *
 * Each client reads its pushes as a page does, through the product's board feed
 * (src/lib/state/board-feed.ts): a push is a patch onto the board it holds, and a board "arrives"
 * when the feed has put it together whole.
 */
import { io, type Socket } from 'socket.io-client';
import type { Board, BoardQuery } from '../../src/lib/contract/dto.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/contract/events.ts';
import { boardFeed } from '../../src/lib/state/board-feed.ts';

export interface ClientSpec {
  url: string;
  /** A wall screen's token (sent as the handshake's auth, as the wall does with its cookie) … */
  displayToken?: string;
  /** … or a signed-in person's session cookie (name=value). */
  cookie?: string;
  queries: BoardQuery[];
}

export type ToClient =
  | { type: 'connect'; clients: ClientSpec[]; inFlight: number }
  | { type: 'arm'; round: number }
  | { type: 'collect'; round: number }
  | { type: 'close' };

export type FromClient =
  | { type: 'connected'; connectMs: number[]; errors: string[] }
  | { type: 'armed'; round: number }
  | { type: 'done'; round: number; arrivals: number[]; missing: number; computedAt: (string | null)[] }
  | { type: 'closed'; maxRssMb: number };

const now = () => performance.timeOrigin + performance.now();
const send = (m: FromClient) => process.send!(m);

/** What identifies a pushed board: the room it was sent to. */
const keyOf = (b: { scheme: { key: string }; scope: { code: string }; period: { kind: string; start: string }; basis?: string | null }) =>
  `${b.scope.code}|${b.period.kind}|${b.period.start}|${b.scheme.key}|${b.basis ?? ''}`;

interface Client {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  /** The boards it shows (their keys), from the subscriptions' answers. */
  boards: Set<string>;
  /** This round: the boards still to come, and when the last one came. */
  pending: Set<string>;
  arrival: number;
  computedAt: string | null;
}

const clients: Client[] = [];
let round = -1;
let left = 0;
let reported = -1;

function report(r: number) {
  if (reported === r) return;
  reported = r;
  send({
    type: 'done', round: r,
    arrivals: clients.map((c) => (c.pending.size ? NaN : c.arrival)),
    missing: clients.filter((c) => c.pending.size).length,
    computedAt: clients.map((c) => c.computedAt)
  });
}

function onBoard(c: Client, board: Board) {
  const key = keyOf(board);
  if (round < 0 || !c.pending.has(key)) return;
  c.pending.delete(key);
  if (c.pending.size) return;
  c.arrival = now();
  c.computedAt = board.computedAt;
  if (--left === 0) report(round);
}

/** Connects one client and subscribes it to its boards; resolves with the time it took. */
function connectOne(spec: ClientSpec): Promise<number> {
  const t0 = now();
  return new Promise((resolve, reject) => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(spec.url, {
      transports: ['websocket'],
      forceNew: true, // one connection per client, as each browser has its own
      reconnection: false,
      timeout: 120_000,
      auth: spec.displayToken ? { displayToken: spec.displayToken } : {},
      extraHeaders: spec.cookie ? { cookie: spec.cookie } : {}
    });
    const client: Client = { socket, boards: new Set(), pending: new Set(), arrival: NaN, computedAt: null };
    const feed = boardFeed(socket);
    feed.on((board) => onBoard(client, board));
    socket.once('connect_error', (e) => reject(new Error(`connect: ${e.message}`)));
    socket.once('connect', async () => {
      try {
        for (const q of spec.queries) {
          const ack = await Promise.race([
            feed.subscribe(q),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer to subscribe within 120 s')), 120_000).unref())
          ]);
          if ('error' in ack) throw new Error(`subscribe ${q.scope}: ${ack.error}`);
          client.boards.add(keyOf(ack.data));
        }
        clients.push(client);
        resolve(now() - t0);
      } catch (e) {
        reject(e);
      }
    });
  });
}

process.on('message', async (m: ToClient) => {
  if (m.type === 'connect') {
    const connectMs: number[] = [];
    const errors: string[] = [];
    let next = 0;
    // `inFlight` clients at a time are connecting and subscribing in this process.
    await Promise.all(
      Array.from({ length: Math.min(m.inFlight, m.clients.length) }, async () => {
        while (next < m.clients.length) {
          const spec = m.clients[next++]!;
          try {
            connectMs.push(await connectOne(spec));
          } catch (e) {
            errors.push((e as Error).message);
          }
        }
      })
    );
    send({ type: 'connected', connectMs, errors: [...new Set(errors)].slice(0, 5).concat(errors.length ? [`${errors.length} failed`] : []) });
  } else if (m.type === 'arm') {
    round = m.round;
    left = clients.length;
    for (const c of clients) {
      c.pending = new Set(c.boards);
      c.arrival = NaN;
      c.computedAt = null;
    }
    send({ type: 'armed', round });
    if (left === 0) report(round);
  } else if (m.type === 'collect') {
    report(m.round);
  } else if (m.type === 'close') {
    for (const c of clients) c.socket.disconnect();
    send({ type: 'closed', maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
    process.disconnect();
  }
});
