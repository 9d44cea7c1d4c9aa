import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { sql } from '#server/db';
import { SESSION_COOKIE, revokeSession, signIn } from '$lib/server/auth/sessions';
import { signOutEverywhere } from '$lib/server/auth/revoke';
import type { RequestHandler } from './$types';

const body = z.object({
  username: z.string({ error: 'username: required' }).min(1, 'username: required').max(100, 'username: too long'),
  password: z.string({ error: 'password: required' }).min(1, 'password: required').max(500, 'password: too long')
});

/** POST {username, password}: signs in a script; sets the same session cookie as the sign-in page. */
export const POST: RequestHandler = async ({ request, cookies, url, getClientAddress }) => {
  let raw: unknown;
  try {
    raw = await request.json();
  } catch {
    return json({ message: 'body: send JSON {"username", "password"}' }, { status: 400 });
  }
  const parsed = body.safeParse(raw);
  if (!parsed.success) return json({ message: parsed.error.issues.map((i) => i.message).join('; ') }, { status: 400 });
  const result = await signIn(await sql(), { ...parsed.data, ip: getClientAddress(), userAgent: request.headers.get('user-agent') });
  if (!result.ok) {
    return json({ message: result.message }, { status: result.status, headers: result.retryAfterSeconds ? { 'retry-after': String(result.retryAfterSeconds) } : {} });
  }
  cookies.set(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires: result.expiresAt });
  const { user } = result;
  return json({ user: { username: user.username, displayName: user.displayName, role: user.role, unitCode: user.unitCode } });
};

/** DELETE: signs out (the session is revoked, and its live sockets are closed). */
export const DELETE: RequestHandler = async ({ locals, cookies }) => {
  if (locals.principal.kind === 'user') {
    const db = await sql();
    await revokeSession(db, locals.principal.sessionId);
    await signOutEverywhere(db, { sessionId: locals.principal.sessionId });
  }
  cookies.delete(SESSION_COOKIE, { path: '/' });
  return new Response(null, { status: 204 });
};
