/**
 * Sessions in PostgreSQL. The cookie carries a random token; the table holds its SHA-256, so a
 * leaked table opens nothing. Sessions slide: each use within the lifetime pushes expiry out.
 */
import { orm, type Queryable as Sql } from '#db/client';
import { and, eq, isNull, lt, or, sql as sqlExpr } from 'drizzle-orm';
import { displayTokens, sessions, signInFailures } from '#db/schema/auth';
import { dummyHash, newToken, sha256, verifyPassword } from './crypto.ts';
import { LIMITS, signInWaitSeconds, waitMessage } from './throttle.ts';
import type { Principal, Role, SignedInUser } from './principal.ts';
import { SESSION_IDLE_HOURS as SESSION_HOURS } from '../limits.ts';

export const SESSION_COOKIE = 'cityops_session';
export { LIMITS };

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  unit_code: string | null;
  unit_name: string | null;
  disabled: boolean;
}

const toUser = (r: UserRow): SignedInUser => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role, unitCode: r.unit_code, unitName: r.unit_name
});

export type SignInResult =
  | { ok: true; token: string; user: SignedInUser; expiresAt: Date }
  | { ok: false; status: 400 | 401 | 429; message: string; retryAfterSeconds?: number };

export async function signIn(sql: Sql, input: { username: string; password: string; ip: string; userAgent?: string | null }): Promise<SignInResult> {
  const username = input.username.trim().toLowerCase();
  const [counts] = await sql<{ pair: number; pair_last: number | null; address: number; address_oldest: number | null; account: number; account_last: number | null; known: boolean; now: number }[]>`
    with f as (
      select username, ip, at from sign_in_failures
      where (username = ${username} or ip = ${input.ip}) and at > now() - make_interval(hours => ${LIMITS.pairWindowHours})
    ), recent as (select * from f where at > now() - make_interval(mins => ${LIMITS.windowMinutes}))
    select (select count(*) from f where username = ${username} and ip = ${input.ip})::int as pair,
           (select extract(epoch from max(at)) * 1000 from f where username = ${username} and ip = ${input.ip})::float8 as pair_last,
           (select count(*) from recent where ip = ${input.ip})::int as address,
           (select extract(epoch from min(at)) * 1000 from recent where ip = ${input.ip})::float8 as address_oldest,
           (select count(*) from recent where username = ${username})::int as account,
           (select extract(epoch from max(at)) * 1000 from recent where username = ${username})::float8 as account_last,
           exists (select 1 from sessions s join users u on u.id = s.user_id where u.username = ${username} and s.ip = ${input.ip}) as known,
           (extract(epoch from now()) * 1000)::float8 as now`;
  const wait = signInWaitSeconds(
    { pair: counts!.pair, pairLastAt: counts!.pair_last, address: counts!.address, addressOldestAt: counts!.address_oldest,
      account: counts!.account, accountLastAt: counts!.account_last, knownAddress: counts!.known },
    counts!.now
  );
  // Waiting: refused without looking at the password, so a guess made now tells nothing.
  if (wait > 0) return { ok: false, status: 429, retryAfterSeconds: wait, message: waitMessage(wait) };
  const [row] = await sql<UserRow[]>`
    select u.id, u.username, u.display_name, u.password_hash, u.role, un.gso_code as unit_code, un.name as unit_name, u.disabled
    from users u left join units un on un.id = u.unit_id where u.username = ${username}`;
  const ok = row ? await verifyPassword(row.password_hash, input.password) : (await verifyPassword(await dummyHash(), input.password), false);
  const db = orm(sql);
  if (!row || !ok || row.disabled) {
    await db.insert(signInFailures).values({ username, ip: input.ip });
    // Failures older than every window are of no use any more.
    await db.delete(signInFailures).where(and(eq(signInFailures.username, username), lt(signInFailures.at, sqlExpr`now() - make_interval(hours => ${LIMITS.pairWindowHours})`)));
    return { ok: false, status: 401, message: 'Tên đăng nhập hoặc mật khẩu không đúng.' };
  }
  // This address signed in: its own failures are forgiven (others' stay counted against them).
  await db.delete(signInFailures).where(and(eq(signInFailures.username, username), eq(signInFailures.ip, input.ip)));
  const token = newToken();
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
  await db.insert(sessions).values({ id: sha256(token), userId: row.id, expiresAt, ip: input.ip, userAgent: input.userAgent?.slice(0, 300) ?? null });
  return { ok: true, token, user: toUser(row), expiresAt };
}

/** The principal behind a session cookie, or null (unknown, expired, revoked, or the user disabled). */
export async function readSession(sql: Sql, token: string): Promise<Extract<Principal, { kind: 'user' }> | null> {
  const id = sha256(token);
  const [row] = await sql<(UserRow & { session_id: string })[]>`
    update sessions s set last_seen_at = now(), expires_at = greatest(s.expires_at, now() + make_interval(hours => ${SESSION_HOURS}))
    from users u left join units un on un.id = u.unit_id
    where s.id = ${id} and u.id = s.user_id and s.revoked_at is null and s.expires_at > now() and not u.disabled
    returning s.id as session_id, u.id, u.username, u.display_name, u.password_hash, u.role, un.gso_code as unit_code, un.name as unit_name, u.disabled`;
  return row ? { kind: 'user', user: toUser(row), sessionId: row.session_id } : null;
}

export async function revokeSession(sql: Sql, sessionId: string): Promise<void> {
  await orm(sql).update(sessions).set({ revokedAt: sqlExpr`now()` }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** A wall screen's token → its principal, or the reason it cannot be used. */
export async function readDisplayToken(
  sql: Sql,
  token: string
): Promise<{ principal: Extract<Principal, { kind: 'display' }> } | { refused: 'revoked' | 'expired' | 'unknown' }> {
  const [row] = await sql<{ id: number; name: string; scope_code: string; playlist: { scenes: string[]; dwellSeconds: number }; revoked_at: string | null; expired: boolean }[]>`
    select t.id, t.name, u.gso_code as scope_code, t.playlist, t.revoked_at, (t.expires_at is not null and t.expires_at <= now()) as expired
    from display_tokens t join units u on u.id = t.scope_unit_id where t.token_hash = ${sha256(token)}`;
  if (!row) return { refused: 'unknown' };
  if (row.revoked_at) return { refused: 'revoked' };
  if (row.expired) return { refused: 'expired' };
  await orm(sql)
    .update(displayTokens)
    .set({ lastUsedAt: sqlExpr`now()` })
    .where(and(eq(displayTokens.id, row.id), or(isNull(displayTokens.lastUsedAt), lt(displayTokens.lastUsedAt, sqlExpr`now() - interval '1 minute'`))));
  return { principal: { kind: 'display', tokenId: row.id, name: row.name, scopeCode: row.scope_code, playlist: row.playlist } };
}

/**
 * A user who may act now (not disabled) as a principal without a session of its own: what a print
 * ticket stands for (src/lib/server/briefings/ticket.ts). Read afresh, so a user disabled or moved to
 * another unit since the ticket was made acts as they are now; `sessionId` names the ticket.
 */
export async function readActiveUser(sql: Sql, userId: number, sessionId: string): Promise<Extract<Principal, { kind: 'user' }> | null> {
  const [row] = await sql<UserRow[]>`
    select u.id, u.username, u.display_name, u.password_hash, u.role, un.gso_code as unit_code, un.name as unit_name, u.disabled
    from users u left join units un on un.id = u.unit_id where u.id = ${userId} and not u.disabled`;
  return row ? { kind: 'user', user: toUser(row), sessionId } : null;
}
