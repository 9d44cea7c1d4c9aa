/** Reading the principal off a request (cookie or bearer), and the answers when access is refused. */
import { json, type RequestEvent } from '@sveltejs/kit';
import type { Queryable as Sql } from '#db/client';
import { ANONYMOUS, type Principal } from './principal.ts';
import { readDisplayToken, readSession, SESSION_COOKIE } from './sessions.ts';
import { cookieName as LOCALE_COOKIE } from '../../paraglide/runtime.js';

export const DISPLAY_COOKIE = 'cityops_display';

export async function principalOf(sql: Sql, cookies: { get(name: string): string | undefined }, authorization: string | null): Promise<Principal> {
  const session = cookies.get(SESSION_COOKIE);
  if (session) {
    const p = await readSession(sql, session);
    if (p) return p;
  }
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : null;
  const display = bearer ?? cookies.get(DISPLAY_COOKIE);
  if (display) {
    const d = await readDisplayToken(sql, display);
    if ('principal' in d) return d.principal;
  }
  return ANONYMOUS;
}

const isApi = (event: RequestEvent) => event.url.pathname.startsWith('/api/') || event.url.pathname === '/metrics';

/** Anonymous: pages go to the sign-in page (coming back afterwards), APIs get a 401 in words. */
export function signInFirst(event: RequestEvent): Response {
  if (isApi(event) || event.request.method !== 'GET') return json({ message: 'Cần đăng nhập.' }, { status: 401 });
  const next = event.url.pathname + event.url.search;
  return new Response(null, { status: 303, headers: { location: `/login?next=${encodeURIComponent(next)}` } });
}

/** These pages are written before any route (and its messages) runs: in the reader's language, from the language cookie. */
const readsEnglish = (event: Pick<RequestEvent, 'cookies'>) => event.cookies.get(LOCALE_COOKIE) === 'en';

export function forbidden(event: RequestEvent, message?: string): Response {
  const en = readsEnglish(event);
  const words = message ?? (en ? 'You may not open this page.' : 'Bạn không có quyền truy cập trang này.');
  if (isApi(event) || event.request.method !== 'GET') return json({ message: message ?? 'Bạn không có quyền truy cập trang này.' }, { status: 403 });
  return new Response(forbiddenPage(words, en), { status: 403, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * The database cannot be reached (PostgreSQL restarting, or down): nobody can be recognised, and
 * that is not the same as being signed out. Pages say so in words (and look again by themselves
 * every 10 s); APIs and form posts get a 503 in words. The session cookie is left alone.
 */
export const DATA_STORE_UNAVAILABLE = 'Kho dữ liệu tạm thời không truy cập được — hệ thống đang tự khôi phục.';

export function dataStoreUnavailable(event: RequestEvent): Response {
  const headers = { 'retry-after': '10', 'cache-control': 'no-store' };
  // A page's data (`__data.json`, a client-side navigation or a screen reloading its data) gets JSON
  // too: SvelteKit then shows its error page with these words (which tries again by itself) where an
  // HTML answer would have made it leave the page for this one.
  if (isApi(event) || event.isDataRequest || event.request.method !== 'GET') return json({ message: DATA_STORE_UNAVAILABLE }, { status: 503, headers });
  return new Response(dataStoreUnavailablePage(readsEnglish(event)), { status: 503, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
}

/** The 503 page's words, in Vietnamese or (the reader chose it) English; one language per page. */
const UNAVAILABLE_PAGE = {
  vi: {
    title: 'Kho dữ liệu tạm thời không truy cập được',
    what: DATA_STORE_UNAVAILABLE,
    then: 'Bạn vẫn đang đăng nhập. Trang này sẽ tự tải lại sau 10 giây; khi kho dữ liệu hoạt động trở lại, bạn sẽ thấy trang mình cần.',
    retry: 'Thử lại ngay'
  },
  en: {
    title: 'The data store is temporarily unavailable',
    what: 'The data store is temporarily unavailable — the system is recovering by itself.',
    then: 'You are still signed in. This page reloads itself every 10 seconds; once the data store is back, you will see the page you asked for.',
    retry: 'Try again now'
  }
};

function dataStoreUnavailablePage(en: boolean): string {
  const w = UNAVAILABLE_PAGE[en ? 'en' : 'vi'];
  return `<!doctype html><html lang="${en ? 'en' : 'vi'}"><meta charset="utf-8"><meta http-equiv="refresh" content="10"><title>${w.title}</title>
<body style="font-family:system-ui;background:#0d141c;color:#e8eef5;padding:3rem;max-width:48rem"><h1>503 — ${w.title}</h1>
<p data-testid="data-store-unavailable">${w.what}</p>
<p>${w.then}</p>
<p><a style="color:#8fd6ff" href="">${w.retry}</a></p></body></html>`;
}

function forbiddenPage(message: string, en: boolean): string {
  const esc = message.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const [title, home] = en ? ['Not allowed', 'Back to the overview'] : ['Không có quyền', 'Về trang tổng quan'];
  return `<!doctype html><html lang="${en ? 'en' : 'vi'}"><meta charset="utf-8"><title>${title}</title>
<body style="font-family:system-ui;background:#0d141c;color:#e8eef5;padding:3rem"><h1>403 — ${title}</h1><p>${esc}</p><p><a style="color:#8fd6ff" href="/">${home}</a></p></body></html>`;
}

export { safeNext } from '../../safe-next.ts';
