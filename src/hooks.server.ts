import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { json } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { switchLocale } from '$lib/i18n/switch';
import { database, sql } from '#server/db';
import { config } from '#server/config';
import { logger } from '#server/log';
import { decide, ruleFor } from '$lib/server/auth/access';
import { forbidden, principalOf, signInFirst } from '$lib/server/auth/request';
import { ANONYMOUS } from '$lib/server/auth/principal';
import { attachRealtime } from '$lib/server/realtime/index.ts';
import { RELEASE } from '$lib/server/release';

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
  const realtime = await attachRealtime(httpServer, sql, { release: RELEASE });
  process.once('sveltekit:shutdown', () => void realtime.close());
};

/**
 * Every request first gets its language (Paraglide: the `cityops_locale` cookie, else Vietnamese;
 * the wall always Vietnamese), so messages rendered for it and `<html lang>` follow it. The URL is
 * never localized, so the request goes on unchanged.
 */
const handleLocale: Handle = ({ event, resolve }) => {
  switchLocale(event); // the header's language links: `?lang=en` sets the cookie, then back to the URL
  return paraglideMiddleware(event.request, ({ locale }) =>
    resolve(event, { transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale) })
  );
};

/**
 * Then: who is asking (session cookie, or a wall screen's display token), then the route's
 * rule (src/lib/server/auth/access.ts), then the origin check of state-changing JSON calls
 * (SvelteKit's own check covers form posts only), then security headers.
 */
const handleAccess: Handle = async ({ event, resolve }) => {
  try {
    event.locals.principal = await principalOf(await sql(), event.cookies, event.request.headers.get('authorization'));
  } catch (e) {
    // The database is down: nobody can be recognised; /healthz (public) still answers, with a 503.
    logger('web').error({ error: (e as Error).message }, 'could not read the session');
    event.locals.principal = ANONYMOUS;
  }
  const metricsToken = config().METRICS_TOKEN;
  const metricsBearerOk = Boolean(metricsToken) && event.request.headers.get('authorization') === `Bearer ${metricsToken}`;
  const decision = decide(ruleFor(event.route.id), event.locals.principal, metricsBearerOk);
  if (decision === 'sign_in') return withHeaders(signInFirst(event));
  if (decision === 'forbidden') return withHeaders(forbidden(event));
  const method = event.request.method;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
    const origin = event.request.headers.get('origin');
    if (origin !== null && origin !== event.url.origin) {
      return withHeaders(json({ message: `Cross-site request refused (origin ${origin}).` }, { status: 403 }));
    }
  }
  return withHeaders(await resolve(event));
};

export const handle: Handle = sequence(handleLocale, handleAccess);

function withHeaders(response: Response): Response {
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  return response;
}

export const handleError: HandleServerError = ({ error, status }) => {
  const errorId = randomUUID();
  if (status >= 500) logger('web').error({ err: error, errorId, status }, `error ${errorId}`);
  return { message: status >= 500 ? 'Lỗi máy chủ. Vui lòng thử lại.' : 'Không tìm thấy trang.', errorId };
};
