/**
 * People, as an administrator manages them: list, create, edit (name, role, unit), reset a
 * password, disable / enable. Disabling someone or resetting their password revokes every session
 * they hold and closes their open sockets. An administrator cannot disable or demote themselves.
 * Every change is in the audit log — never a password or its hash.
 *
 * Plain functions `(sql, input, actor, context?) → result`, testable without HTTP; the form actions
 * in src/routes/admin/users only parse the form and call them.
 */
import { error } from '@sveltejs/kit';
import { and, asc, eq, isNull, max, ne, sql as expr } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable as Sql } from '#db/client';
import { isoTimestamp, orm } from '#db/client';
import { sessions, users } from '#db/schema/auth';
import { units } from '#db/schema/units';
import { recordAudit } from '../auth/audit.ts';
import { hashPassword } from '../auth/crypto.ts';
import { ROLES, type Principal, type Role } from '../auth/principal.ts';
import { signOutEverywhere, sessionRoom } from '../auth/revoke.ts';
import { AUTH_CHANNEL } from '#contract/notify';

/** The signed-in administrator who makes a change. */
export type Actor = Extract<Principal, { kind: 'user' }>;
/** Where a change came from, for the audit log; `now` for tests. */
export interface ChangeContext {
  ip?: string | null;
  now?: Date;
}
/** A change either happened, or did not — with each bad field named, in words. */
export type Outcome<T> = ({ ok: true } & T) | { ok: false; errors: Record<string, string> };

/** The actor of an admin action: hooks.server.ts has already refused everyone but administrators. */
export function adminActor(principal: Principal): Actor {
  if (principal.kind !== 'user' || principal.user.role !== 'admin') error(403, 'Chỉ quản trị viên được thực hiện thao tác này.');
  return principal;
}

/** Runs `fn` in a transaction (or in the caller's, when `sql` is already one). */
export async function inTransaction<T>(sql: Sql, fn: (tx: Sql) => Promise<T>): Promise<T> {
  if ('savepoint' in sql) return fn(sql);
  return (await sql.begin((tx) => fn(tx))) as T;
}

/** zod issues → { 'a.b.c': message }, the first message per field. */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : 'form';
    errors[field] ??= issue.message;
  }
  return errors;
}

export const ROLE_NAMES: Record<Role, string> = { leader: 'Lãnh đạo', officer: 'Cán bộ', admin: 'Quản trị' };

const username = z
  .string({ error: 'Nhập tên đăng nhập.' })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,40}$/, 'Tên đăng nhập gồm 3–40 ký tự a-z, 0-9, dấu chấm, gạch dưới hoặc gạch ngang.');
const displayName = z
  .string({ error: 'Nhập họ tên.' })
  .trim()
  .min(1, 'Nhập họ tên.')
  .max(100, 'Họ tên dài tối đa 100 ký tự.');
const role = z.enum(ROLES, { error: 'Chọn vai trò: lãnh đạo, cán bộ hoặc quản trị.' });
const unitCode = z
  .string()
  .trim()
  .max(20, 'Mã đơn vị dài tối đa 20 ký tự.')
  .nullish()
  .transform((v) => (v ? v : null));
const password = z
  .string({ error: 'Nhập mật khẩu.' })
  .min(10, 'Mật khẩu phải có ít nhất 10 ký tự.')
  .max(500, 'Mật khẩu dài tối đa 500 ký tự.');
const id = z.coerce.number({ error: 'Thiếu mã người dùng.' }).int('Mã người dùng không hợp lệ.').positive('Mã người dùng không hợp lệ.');

/** An officer sees their own unit's detail: the unit is required for them (and dropped for the others). */
const officerNeedsUnit = (v: { role?: unknown; unitCode?: unknown }) => v.role !== 'officer' || Boolean(v.unitCode);
const officerRule = {
  path: ['unitCode'],
  message: 'Cán bộ phải gắn với một đơn vị: nhập mã GSO của đơn vị.',
  // Run even when another field is wrong, so every mistake is named at once.
  when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null
};

export const newUserSchema = z
  .object({ username, displayName, role, unitCode, password })
  .refine((v) => officerNeedsUnit(v), officerRule);
export type NewUserInput = z.input<typeof newUserSchema>;

export const editUserSchema = z.object({ id, displayName, role, unitCode }).refine((v) => officerNeedsUnit(v), officerRule);
export type EditUserInput = z.input<typeof editUserSchema>;

export const resetPasswordSchema = z.object({ id, password });
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;

export const userIdSchema = z.object({ id });

export interface UserListRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitCode: string | null;
  unitName: string | null;
  disabled: boolean;
  /** The newest session's start (ISO), or null: never signed in. */
  lastSignInAt: string | null;
  createdAt: string;
}

async function selectUsers(sql: Sql, userId: number | null): Promise<UserListRow[]> {
  const db = orm(sql);
  const newestSession = db
    .select({ at: max(sessions.createdAt).as('last_sign_in_at') })
    .from(sessions)
    .where(eq(sessions.userId, users.id))
    .as('newest_session');
  const rows = await db
    .select({
      id: users.id, username: users.username, displayName: users.displayName, role: users.role,
      unitCode: units.gsoCode, unitName: units.name, disabled: users.disabled, lastSignInAt: newestSession.at, createdAt: users.createdAt
    })
    .from(users)
    .leftJoin(units, eq(units.id, users.unitId))
    .leftJoinLateral(newestSession, expr`true`)
    .where(userId === null ? undefined : eq(users.id, userId))
    .orderBy(asc(users.disabled), asc(users.username));
  return rows.map((r) => ({ ...r, lastSignInAt: isoTimestamp(r.lastSignInAt), createdAt: isoTimestamp(r.createdAt)! }));
}

/** Every person: username, name, role, unit, disabled, last sign-in. */
export const listUsers = (sql: Sql) => selectUsers(sql, null);

export async function getUser(sql: Sql, userId: number): Promise<UserListRow | null> {
  return (await selectUsers(sql, userId))[0] ?? null;
}

/** Units to pick from (a current unit, by GSO code), for the unit fields' suggestions. */
export async function unitOptions(sql: Sql): Promise<{ code: string; name: string; level: string }[]> {
  return orm(sql)
    .select({ code: units.gsoCode, name: units.name, level: units.level })
    .from(units)
    .where(isNull(units.validTo))
    .orderBy(expr`length(${units.gsoCode})`, units.gsoCode);
}

/** A current unit's id by GSO code, or null. */
export async function unitIdOf(sql: Sql, code: string): Promise<number | null> {
  const [row] = await orm(sql).select({ id: units.id }).from(units).where(and(eq(units.gsoCode, code), isNull(units.validTo)));
  return row?.id ?? null;
}

/** What the audit log keeps of a person: never the password or its hash. */
const auditView = (u: UserListRow) => ({
  username: u.username, displayName: u.displayName, role: u.role, unitCode: u.unitCode, disabled: u.disabled
});

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';

const USERNAME_TAKEN = 'Tên đăng nhập này đã có người dùng.';
const noUnit = (code: string) => `Không có đơn vị nào (đang hiệu lực) với mã ${code}.`;

export async function createUser(sql: Sql, input: NewUserInput, actor: Actor, ctx: ChangeContext = {}): Promise<Outcome<{ user: UserListRow }>> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const v = parsed.data;
  const errors: Record<string, string> = {};
  const unitCodeOf = v.role === 'officer' ? v.unitCode : null;
  const unitId = unitCodeOf ? await unitIdOf(sql, unitCodeOf) : null;
  if (unitCodeOf && unitId === null) errors.unitCode = noUnit(unitCodeOf);
  const [taken] = await orm(sql).select({ id: users.id }).from(users).where(eq(users.username, v.username));
  if (taken) errors.username = USERNAME_TAKEN;
  if (Object.keys(errors).length) return { ok: false, errors };
  const passwordHash = await hashPassword(v.password);
  try {
    return await inTransaction(sql, async (tx) => {
      const [row] = await orm(tx)
        .insert(users)
        .values({ username: v.username, displayName: v.displayName, passwordHash, role: v.role, unitId })
        .returning({ id: users.id });
      const user = (await getUser(tx, row!.id))!;
      await recordAudit(tx, { actor, action: 'create', entity: 'user', entityId: user.id, after: auditView(user), ip: ctx.ip });
      return { ok: true as const, user };
    });
  } catch (e) {
    // Someone else took the name between the check and the insert.
    if (isUniqueViolation(e)) return { ok: false, errors: { username: USERNAME_TAKEN } };
    throw e;
  }
}

/** Revokes every session of a user (but `keep`), and closes the sockets of the revoked ones. Returns how many. */
async function revokeSessionsOf(tx: Sql, userId: number, keep: string | null): Promise<number> {
  const revoked = await orm(tx)
    .update(sessions)
    .set({ revokedAt: expr`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), ne(sessions.id, keep ?? '')))
    .returning({ id: sessions.id });
  if (keep === null) await signOutEverywhere(tx, { userId });
  // Sparing the current session: close the sockets of the others one by one (the user room holds them all).
  else for (const s of revoked) await tx`select pg_notify(${AUTH_CHANNEL}, ${JSON.stringify({ room: sessionRoom(s.id) })})`;
  return revoked.length;
}

export async function updateUser(sql: Sql, input: EditUserInput, actor: Actor, ctx: ChangeContext = {}): Promise<Outcome<{ user: UserListRow }>> {
  const parsed = editUserSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const v = parsed.data;
  const before = await getUser(sql, v.id);
  if (!before) return { ok: false, errors: { form: 'Không tìm thấy người dùng này.' } };
  if (v.id === actor.user.id && v.role !== 'admin') {
    return { ok: false, errors: { role: 'Bạn không thể tự hạ quyền quản trị của chính mình. Hãy nhờ một quản trị viên khác.' } };
  }
  const unitCodeOf = v.role === 'officer' ? v.unitCode : null;
  const unitId = unitCodeOf ? await unitIdOf(sql, unitCodeOf) : null;
  if (unitCodeOf && unitId === null) return { ok: false, errors: { unitCode: noUnit(unitCodeOf) } };
  return inTransaction(sql, async (tx) => {
    await orm(tx).update(users).set({ displayName: v.displayName, role: v.role, unitId, updatedAt: expr`now()` }).where(eq(users.id, v.id));
    const user = (await getUser(tx, v.id))!;
    // A new role or unit changes what their open live pages may receive: close those sockets (the sessions stay).
    if (user.role !== before.role || user.unitCode !== before.unitCode) await signOutEverywhere(tx, { userId: v.id });
    await recordAudit(tx, { actor, action: 'update', entity: 'user', entityId: v.id, before: auditView(before), after: auditView(user), ip: ctx.ip });
    return { ok: true as const, user };
  });
}

/**
 * A new password; every session of the person is revoked and their sockets closed (an administrator
 * resetting their own password keeps the session they are using).
 */
export async function resetPassword(
  sql: Sql, input: ResetPasswordInput, actor: Actor, ctx: ChangeContext = {}
): Promise<Outcome<{ sessionsRevoked: number }>> {
  const parsed = resetPasswordSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const v = parsed.data;
  const user = await getUser(sql, v.id);
  if (!user) return { ok: false, errors: { form: 'Không tìm thấy người dùng này.' } };
  const passwordHash = await hashPassword(v.password);
  return inTransaction(sql, async (tx) => {
    await orm(tx).update(users).set({ passwordHash, updatedAt: expr`now()` }).where(eq(users.id, v.id));
    const sessionsRevoked = await revokeSessionsOf(tx, v.id, v.id === actor.user.id ? actor.sessionId : null);
    await recordAudit(tx, {
      actor, action: 'reset_password', entity: 'user', entityId: v.id, before: { username: user.username }, after: { username: user.username, sessionsRevoked }, ip: ctx.ip
    });
    return { ok: true as const, sessionsRevoked };
  });
}

/** Disables (revoking every session and closing the sockets) or enables a person. Never oneself. */
export async function setUserDisabled(
  sql: Sql, input: { id: number | string; disabled: boolean }, actor: Actor, ctx: ChangeContext = {}
): Promise<Outcome<{ user: UserListRow; sessionsRevoked: number }>> {
  const parsed = userIdSchema.safeParse({ id: input.id });
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const userId = parsed.data.id;
  if (input.disabled && userId === actor.user.id) {
    return { ok: false, errors: { form: 'Bạn không thể tự khóa tài khoản của chính mình. Hãy nhờ một quản trị viên khác.' } };
  }
  const before = await getUser(sql, userId);
  if (!before) return { ok: false, errors: { form: 'Không tìm thấy người dùng này.' } };
  return inTransaction(sql, async (tx) => {
    await orm(tx).update(users).set({ disabled: input.disabled, updatedAt: expr`now()` }).where(eq(users.id, userId));
    const sessionsRevoked = input.disabled ? await revokeSessionsOf(tx, userId, null) : 0;
    const user = (await getUser(tx, userId))!;
    await recordAudit(tx, {
      actor, action: input.disabled ? 'disable' : 'enable', entity: 'user', entityId: userId,
      before: auditView(before), after: { ...auditView(user), ...(input.disabled ? { sessionsRevoked } : {}) }, ip: ctx.ip
    });
    return { ok: true as const, user, sessionsRevoked };
  });
}
