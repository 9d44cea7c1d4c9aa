/**
 * A revoked session, a disabled user or a revoked display token loses its live sockets too: one
 * NOTIFY, and every web node disconnects the sockets in the matching room.
 */
import type { Queryable as Sql } from '#db/client';
import { AUTH_CHANNEL } from '#contract/notify';

export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const userRoom = (userId: number) => `user:${userId}`;
export const displayRoom = (tokenId: number) => `display:${tokenId}`;

export async function signOutEverywhere(sql: Sql, who: { sessionId?: string; userId?: number; displayTokenId?: number }): Promise<void> {
  const room = who.sessionId ? sessionRoom(who.sessionId) : who.userId !== undefined ? userRoom(who.userId) : displayRoom(who.displayTokenId!);
  await sql`select pg_notify(${AUTH_CHANNEL}, ${JSON.stringify({ room })})`;
}
