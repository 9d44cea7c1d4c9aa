/** Reading the principal off a request (cookie or bearer), and the answers when access is refused. */
import { json, type RequestEvent } from '@sveltejs/kit';
import type { Queryable as Sql } from '#db/client';
import { ANONYMOUS, type Principal } from './principal.ts';
import { readDisplayToken, readSession, SESSION_COOKIE } from './sessions.ts';

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

export function forbidden(event: RequestEvent, message = 'Bạn không có quyền truy cập trang này.'): Response {
  if (isApi(event) || event.request.method !== 'GET') return json({ message }, { status: 403 });
  return new Response(forbiddenPage(message), { status: 403, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

function forbiddenPage(message: string): string {
  const esc = message.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Không có quyền</title>
<body style="font-family:system-ui;background:#0d141c;color:#e8eef5;padding:3rem"><h1>403 — Không có quyền</h1><p>${esc}</p><p><a style="color:#8fd6ff" href="/">Về trang tổng quan</a></p></body></html>`;
}

export { safeNext } from '../../safe-next.ts';
