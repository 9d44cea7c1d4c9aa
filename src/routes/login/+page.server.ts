import { fail, redirect } from '@sveltejs/kit';
import { sql } from '#server/db';
import { safeNext } from '$lib/server/auth/request';
import { SESSION_COOKIE, signIn } from '$lib/server/auth/sessions';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.principal.kind === 'user') redirect(303, safeNext(url.searchParams.get('next')));
  return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
  default: async ({ request, cookies, url, getClientAddress }) => {
    const form = await request.formData();
    const username = String(form.get('username') ?? '').slice(0, 100);
    const password = String(form.get('password') ?? '');
    const next = safeNext(String(form.get('next') ?? '/'));
    // Messages in the reader's language (the hook set it for this request).
    if (!username.trim()) return fail(400, { username, field: 'username', message: m.login_username_missing() });
    if (!password) return fail(400, { username, field: 'password', message: m.login_password_missing() });
    if (password.length > 500) return fail(400, { username, field: 'password', message: m.login_password_too_long() });
    const result = await signIn(await sql(), { username, password, ip: getClientAddress(), userAgent: request.headers.get('user-agent') });
    if (!result.ok) return fail(result.status, { username, field: result.status === 429 ? null : 'password', message: signInMessage(result) });
    cookies.set(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires: result.expiresAt });
    // An officer lands on their own unit.
    redirect(303, next === '/' && result.user.unitCode ? `/units/${result.user.unitCode}` : next);
  }
};

/** Why a sign-in failed, in the reader's language (the same words as signIn's Vietnamese ones). */
function signInMessage(result: { status: number; message: string; retryAfterSeconds?: number }): string {
  if (result.status === 401) return m.login_wrong();
  if (result.status === 429 && result.retryAfterSeconds !== undefined) {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return m.login_too_many({ minutes, n: String(minutes) });
  }
  return result.message;
}
