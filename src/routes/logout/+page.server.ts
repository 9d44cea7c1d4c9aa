import { redirect } from '@sveltejs/kit';
import { sql } from '#server/db';
import { revokeSession, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { signOutEverywhere } from '$lib/server/auth/revoke';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ locals, cookies }) => {
    if (locals.principal.kind === 'user') {
      const db = await sql();
      await revokeSession(db, locals.principal.sessionId);
      await signOutEverywhere(db, { sessionId: locals.principal.sessionId });
    }
    cookies.delete(SESSION_COOKIE, { path: '/' });
    redirect(303, '/login');
  }
};
