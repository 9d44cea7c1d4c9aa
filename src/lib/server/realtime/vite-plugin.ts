/** In `vite dev`, hands Vite's HTTP server to hooks.server.ts, which attaches Socket.IO to it. */
import type { Plugin } from 'vite';

export const HTTP_SERVER_KEY = Symbol.for('city-ops.http-server');

export function realtimeDevPlugin(): Plugin {
  return {
    name: 'city-ops-realtime-dev',
    configureServer(server) {
      if (server.httpServer) (globalThis as Record<symbol, unknown>)[HTTP_SERVER_KEY] = server.httpServer;
    }
  };
}
