/**
 * Sessions in PostgreSQL. The cookie carries a random token; the table holds its SHA-256, so a
 * leaked table opens nothing. Sessions slide: each use within the lifetime pushes expiry out.
 */
import type { Queryable as Sql } from '#db/client';
import { dummyHash, newToken, sha256, verifyPassword } from './crypto.ts';
import type { Principal, Role, SignedInUser } from './principal.ts';
import { SESSION_IDLE_HOURS as SESSION_HOURS } from '../limits.ts';

export const SESSION_COOKIE = 'cityops_session';
/** Failed sign-ins allowed per account / per address within the window. */
export const LIMITS = { perAccount: 5, perAddress: 20, windowMinutes: 15 } as const;

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
  const [counts] = await sql<{ account: number; address: number; oldest: string | null }[]>`
    select count(*) filter (where username = ${username})::int as account,
           count(*) filter (where ip = ${input.ip})::int as address,
           min(at) filter (where username = ${username} or ip = ${input.ip}) as oldest
    from sign_in_failures where at > now() - make_interval(mins => ${LIMITS.windowMinutes})`;
  if (counts && (counts.account >= LIMITS.perAccount || counts.address >= LIMITS.perAddress)) {
    const oldest = counts.oldest ? new Date(counts.oldest).getTime() : Date.now();
    const retryAfterSeconds = Math.max(60, Math.ceil((oldest + LIMITS.windowMinutes * 60_000 - Date.now()) / 1000));
    return {
      ok: false, status: 429, retryAfterSeconds,
      message: `Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau ${Math.ceil(retryAfterSeconds / 60)} phút.`
    };
  }
  const [row] = await sql<UserRow[]>`
    select u.id, u.username, u.display_name, u.password_hash, u.role, un.gso_code as unit_code, un.name as unit_name, u.disabled
    from users u left join units un on un.id = u.unit_id where u.username = ${username}`;
  const ok = row ? await verifyPassword(row.password_hash, input.password) : (await verifyPassword(await dummyHash(), input.password), false);
  if (!row || !ok || row.disabled) {
    await sql`insert into sign_in_failures (username, ip) values (${username}, ${input.ip})`;
    return { ok: false, status: 401, message: 'Tên đăng nhập hoặc mật khẩu không đúng.' };
  }
  await sql`delete from sign_in_failures where username = ${username}`;
  const token = newToken();
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
  await sql`insert into sessions (id, user_id, expires_at, ip, user_agent)
            values (${sha256(token)}, ${row.id}, ${expiresAt.toISOString()}, ${input.ip}, ${input.userAgent?.slice(0, 300) ?? null})`;
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
  await sql`update sessions set revoked_at = now() where id = ${sessionId} and revoked_at is null`;
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
  await sql`update display_tokens set last_used_at = now() where id = ${row.id} and (last_used_at is null or last_used_at < now() - interval '1 minute')`;
  return { principal: { kind: 'display', tokenId: row.id, name: row.name, scopeCode: row.scope_code, playlist: row.playlist } };
}
