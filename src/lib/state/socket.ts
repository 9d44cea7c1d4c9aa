/** One Socket.IO connection per tab, typed by the shared contract. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '#contract/events';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiveSocket | undefined;

export function liveSocket(): LiveSocket {
  if (socket) return socket;
  const s: LiveSocket = io({ transports: ['websocket', 'polling'], reconnectionDelayMax: 10_000 });
  // Socket.IO does not reconnect by itself after the server closed the connection (a web process
  // shutting down for a restart or a deployment does that). Try again; a connection refused at
  // sign-in (a revoked token, a signed-out session) ends in `connect_error` and stays down.
  s.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') setTimeout(() => s.connect(), 1000 + Math.random() * 2000);
  });
  socket = s;
  return s;
}
