import { fail, redirect } from '@sveltejs/kit';
import { sql } from '#server/db';
import { safeNext } from '$lib/server/auth/request';
import { SESSION_COOKIE, signIn } from '$lib/server/auth/sessions';
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
    if (!username.trim()) return fail(400, { username, field: 'username', message: 'Nhập tên đăng nhập.' });
    if (!password) return fail(400, { username, field: 'password', message: 'Nhập mật khẩu.' });
    if (password.length > 500) return fail(400, { username, field: 'password', message: 'Mật khẩu quá dài.' });
    const result = await signIn(await sql(), { username, password, ip: getClientAddress(), userAgent: request.headers.get('user-agent') });
    if (!result.ok) return fail(result.status, { username, field: result.status === 429 ? null : 'password', message: result.message });
    cookies.set(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires: result.expiresAt });
    // An officer lands on their own unit.
    redirect(303, next === '/' && result.user.unitCode ? `/units/${result.user.unitCode}` : next);
  }
};
