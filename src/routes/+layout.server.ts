import { sql } from '#server/db';
import { unreadCount } from '$lib/server/alerts/read';
import type { LayoutServerLoad } from './$types';

/** The signed-in person for the header (never more than the header needs), and their bell's unread count. */
export const load: LayoutServerLoad = async ({ locals, route }) => {
  const p = locals.principal;
  // The wall has no header (and no person): no count to read. The database away: the page's own load says so; the bell shows none.
  const unread = p.kind === 'user' && !route.id?.startsWith('/wall') ? await sql().then((db) => unreadCount(db, p.user.id)).catch(() => 0) : 0;
  return {
    me: p.kind === 'user' ? { username: p.user.username, displayName: p.user.displayName, role: p.user.role, unitCode: p.user.unitCode, unitName: p.user.unitName, unread } : null
  };
};
