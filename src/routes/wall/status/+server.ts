import { json } from '@sveltejs/kit';
import { sql } from '#server/db';
import { DISPLAY_COOKIE } from '$lib/server/auth/request';
import { readDisplayToken } from '$lib/server/auth/sessions';
import { RELEASE } from '$lib/server/release';
import type { RequestHandler } from './$types';

/**
 * What a running wall asks when its socket is refused, and once a minute: is its token still good
 * (revoked, expired), and which deployment answers. Public: it tells nothing but the caller's own state.
 */
export const GET: RequestHandler = async ({ cookies, locals }) => {
  let state: 'ok' | 'revoked' | 'expired' | 'unknown' | 'missing' = 'ok';
  if (locals.principal.kind === 'anonymous') {
    const cookie = cookies.get(DISPLAY_COOKIE);
    state = cookie ? await readDisplayToken(await sql(), cookie).then((d) => ('refused' in d ? d.refused : 'unknown')) : 'missing';
  }
  return json({ state, release: RELEASE }, { headers: { 'cache-control': 'no-store' } });
};
