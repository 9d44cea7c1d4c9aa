import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { database } from '#server/db';
import { attachRealtime } from '$lib/server/realtime/index.ts';

const HTTP_SERVER_KEY = Symbol.for('city-ops.http-server');

/**
 * Socket.IO shares the page server's HTTP server and origin: the custom server (src/server.js) or
 * the dev plugin leaves it on globalThis before SvelteKit starts.
 */
export const init: ServerInit = async () => {
  if (building) return;
  const httpServer = (globalThis as Record<symbol, unknown>)[HTTP_SERVER_KEY] as HttpServer | undefined;
  if (!httpServer) return; // e.g. `vite preview`: pages work, live updates do not
  const { sql } = await database();
  const realtime = await attachRealtime(httpServer, sql);
  process.once('sveltekit:shutdown', () => void realtime.close());
};

export const handle: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  return response;
};

export const handleError: HandleServerError = ({ error, status }) => {
  const errorId = randomUUID();
  if (status >= 500) console.error(`error ${errorId}`, error);
  return { message: status >= 500 ? 'Lỗi máy chủ. Vui lòng thử lại.' : 'Không tìm thấy trang.', errorId };
};
