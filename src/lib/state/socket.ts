/** One Socket.IO connection per tab, typed by the shared contract. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '#contract/events';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiveSocket | undefined;

export function liveSocket(): LiveSocket {
  socket ??= io({ transports: ['websocket', 'polling'], reconnectionDelayMax: 10_000 });
  return socket;
}
