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
import { DATA_STORE_UNAVAILABLE, dataStoreUnavailable, forbidden, principalOf, signInFirst } from '$lib/server/auth/request';
import { databaseOutage } from '$lib/server/outage';
import { ANONYMOUS } from '$lib/server/auth/principal';
import { bearerOf, isApiToken, readApiToken, recordApiTokenUse } from '$lib/server/auth/api-tokens';
import { apiError, apiLocale } from '$lib/server/api/respond';
import { m } from '$lib/paraglide/messages';
import { attachRealtime } from '$lib/server/realtime/index.ts';
import { RELEASE } from '$lib/server/release';
import { PRINT_TICKET_HEADER, ticketPrincipal } from '$lib/server/briefings/ticket';
import { PRINT_PATH } from '$lib/server/briefings/query';

const HTTP_SERVER_KEY = Symbol.for('city-ops.http-server');

/** The web process's view of the database being away: its few lines go to the web's log. */
const outage = () => databaseOutage((line) => logger('web').warn(line));

/**
 * Socket.IO shares the page server's HTTP server and origin: the custom server (src/server.js) or
 * the dev plugin leaves it on globalThis before SvelteKit starts.
 */
export const init: ServerInit = async () => {
  if (building) return;
  const httpServer = (globalThis as Record<symbol, unknown>)[HTTP_SERVER_KEY] as HttpServer | undefined;
  if (!httpServer) return; // e.g. `vite preview`: pages work, live updates do not
  // Not awaited: when the database is down as the web starts (restarted during an outage), pages
  // answer 503 in words meanwhile, and live updates are attached as soon as it answers.
  let realtime: Awaited<ReturnType<typeof attachRealtime>> | undefined;
  let stopped = false;
  process.once('sveltekit:shutdown', () => {
    stopped = true;
    void realtime?.close();
  });
  void (async () => {
    for (let delayMs = 500; !stopped; delayMs = Math.min(delayMs * 2, 5_000)) {
      try {
        const { sql } = await database();
        if (!stopped) realtime = await attachRealtime(httpServer, sql, { release: RELEASE, outage: outage() });
        return;
      } catch (e) {
        if (!outage().fail('live updates start', e)) return logger('web').error({ err: e }, 'live updates could not start');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  })();
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
  const metricsToken = config().METRICS_TOKEN;
  const authorization = event.request.headers.get('authorization');
  const metricsBearerOk = Boolean(metricsToken) && authorization === `Bearer ${metricsToken}`;
  // An API token (`Bearer cop_…`) is an administrator on the JSON admin API, and nothing elsewhere.
  const bearer = bearerOf(authorization);
  const apiToken = bearer !== null && isApiToken(bearer) ? bearer : null;
  const adminApi = event.route.id?.startsWith('/api/v1/admin/') ?? false;
  try {
    if (apiToken && adminApi) {
      const read = await readApiToken(await sql(), apiToken);
      if ('refused' in read) {
        const locale = apiLocale(event.request);
        const words = read.refused === 'revoked' ? m.api_error_token_revoked({}, { locale }) : m.api_error_token_unknown({}, { locale });
        return withHeaders(apiError(401, words, {}, { 'www-authenticate': 'Bearer realm="city-ops"' }));
      }
      event.locals.principal = read.principal;
    } else if (event.route.id === PRINT_PATH && event.request.headers.has(PRINT_TICKET_HEADER)) {
      // Chromium printing a briefing: a one-use ticket stands for the person who asked (src/lib/server/briefings/ticket.ts).
      const byTicket = await ticketPrincipal(await sql(), event.request.headers.get(PRINT_TICKET_HEADER)!, event.url);
      if (!byTicket) return withHeaders(forbidden(event, m.brief_ticket_refused()));
      event.locals.principal = byTicket;
    } else {
      event.locals.principal = await principalOf(await sql(), event.cookies, apiToken ? null : authorization);
    }
  } catch (e) {
    // The session (or display token) could not be checked: the database is down, or failed in a
    // way not foreseen. Either way nobody can be recognised right now, which is not "signed out":
    // a 503 in words (the cookie stays), never the sign-in page. /healthz answers its own 503, and
    // /metrics still gives the process's figures to its scraper.
    if (!outage().fail('session lookup', e)) logger('web').error({ err: e }, 'could not read the session');
    const route = event.route.id;
    if (route !== '/healthz' && !(route === '/metrics' && metricsBearerOk)) return withHeaders(dataStoreUnavailable(event));
    event.locals.principal = ANONYMOUS;
  }
  const principal = event.locals.principal;
  const decision = decide(ruleFor(event.route.id), principal, metricsBearerOk);
  if (decision !== 'allow' && (adminApi || (apiToken && principal.kind === 'anonymous'))) {
    // The admin API answers in the caller's language, as `{ error, fields }`.
    const locale = apiLocale(event.request);
    if (!adminApi) return withHeaders(apiError(403, m.api_error_token_scope({}, { locale })));
    if (decision === 'sign_in') return withHeaders(apiError(401, m.api_error_sign_in({}, { locale }), {}, { 'www-authenticate': 'Bearer realm="city-ops"' }));
    return withHeaders(apiError(403, m.api_error_forbidden({}, { locale })));
  }
  if (decision === 'sign_in') return withHeaders(signInFirst(event));
  if (decision === 'forbidden') return withHeaders(forbidden(event));
  const method = event.request.method;
  // A browser sends cookies by itself, so a session's state-changing call must come from this site;
  // an API token is sent only by a program that holds it, so its calls need no origin check.
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && principal.kind !== 'api_token') {
    const origin = event.request.headers.get('origin');
    if (origin !== null && origin !== event.url.origin) {
      return withHeaders(json({ message: `Cross-site request refused (origin ${origin}).` }, { status: 403 }));
    }
  }
  const response = await resolve(event);
  // Every use of an API token is audited under its name, with its answer's status.
  if (principal.kind === 'api_token') {
    await recordApiTokenUse(await sql(), principal, { method, path: event.url.pathname, status: response.status, ip: event.getClientAddress() }).catch((err) =>
      logger('web').error({ err }, 'could not audit an API token use')
    );
  }
  // A page or API that met the database gone (handleError noted it): the same 503 in words, not a 500.
  if (response.status >= 500 && unavailable.has(event.request)) return withHeaders(dataStoreUnavailable(event));
  return withHeaders(response);
};

/** Requests whose handling failed because the database could not be reached. */
const unavailable = new WeakSet<Request>();

export const handle: Handle = sequence(handleLocale, handleAccess);

function withHeaders(response: Response): Response {
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  return response;
}

export const handleError: HandleServerError = ({ error, event, status }) => {
  if (outage().fail(`${event.request.method} ${event.route.id ?? event.url.pathname}`, error)) {
    unavailable.add(event.request);
    return { message: DATA_STORE_UNAVAILABLE };
  }
  const errorId = randomUUID();
  if (status >= 500) logger('web').error({ err: error, errorId, status }, `error ${errorId}`);
  return { message: status >= 500 ? 'Lỗi máy chủ. Vui lòng thử lại.' : 'Không tìm thấy trang.', errorId };
};
