/**
 * API tokens as an administrator manages them (/admin/api-tokens): create (the token is shown
 * once), list with created / last used, revoke (refused at once from the next request). The
 * token itself is never stored: only its SHA-256 (auth/api-tokens.ts reads it).
 */
import { and, desc, eq, isNull, sql as expr } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { isoTimestamp, orm, type Queryable as Sql } from '#db/client';
import { apiTokens, users } from '#db/schema/auth';
import { recordAudit } from '../auth/audit.ts';
import { newApiToken } from '../auth/api-tokens.ts';
import { sha256 } from '../auth/crypto.ts';
import { fieldErrors, inTransaction, type Actor, type ChangeContext, type Outcome } from './users.ts';

export const newApiTokenSchema = z.object({
  name: z
    .string({ error: 'Nhập tên mã API.' })
    .trim()
    .min(1, 'Nhập tên mã API.')
    .max(100, 'Tên dài tối đa 100 ký tự.')
    .regex(/^[^\p{Cc}]+$/u, 'Tên không được chứa ký tự điều khiển.')
});

export const apiTokenIdSchema = z.object({
  id: z.coerce.number({ error: 'Thiếu mã số của mã API.' }).int('Mã số không hợp lệ.').positive('Mã số không hợp lệ.')
});

export interface ApiTokenRow {
  id: number;
  name: string;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

async function selectTokens(sql: Sql, id: number | null): Promise<ApiTokenRow[]> {
  const t = apiTokens;
  const creator = alias(users, 'creator');
  const revoker = alias(users, 'revoker');
  const rows = await orm(sql)
    .select({
      id: t.id, name: t.name, createdAt: t.createdAt, createdBy: creator.username, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt,
      revokedBy: revoker.username
    })
    .from(t)
    .leftJoin(creator, eq(creator.id, t.createdBy))
    .leftJoin(revoker, eq(revoker.id, t.revokedBy))
    .where(id === null ? undefined : eq(t.id, id))
    .orderBy(expr`(${t.revokedAt} is not null)`, desc(t.createdAt), desc(t.id));
  return rows.map((r) => ({
    ...r, createdAt: isoTimestamp(r.createdAt)!, lastUsedAt: isoTimestamp(r.lastUsedAt), revokedAt: isoTimestamp(r.revokedAt)
  }));
}

/** Every API token (never the token: not even its hash is read here), active ones first. */
export const listApiTokens = (sql: Sql) => selectTokens(sql, null);

export const getApiToken = async (sql: Sql, id: number) => (await selectTokens(sql, id))[0] ?? null;

const auditView = (t: ApiTokenRow) => ({ name: t.name, revokedAt: t.revokedAt });

/** Creates a token; the result carries it — the only time it is ever seen. */
export async function createApiToken(
  sql: Sql, input: { name?: unknown }, actor: Actor, ctx: ChangeContext = {}
): Promise<Outcome<{ id: number; name: string; token: string }>> {
  const parsed = newApiTokenSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const { name } = parsed.data;
  const [taken] = await orm(sql).select({ id: apiTokens.id }).from(apiTokens).where(and(eq(apiTokens.name, name), isNull(apiTokens.revokedAt)));
  // Every use is audited under the name: two live tokens must not share one.
  if (taken) return { ok: false, errors: { name: `Đã có một mã API đang dùng tên "${name}": chọn tên khác.` } };
  const token = newApiToken();
  return inTransaction(sql, async (tx) => {
    const [row] = await orm(tx).insert(apiTokens).values({ name, tokenHash: sha256(token), createdBy: actor.user.id }).returning({ id: apiTokens.id });
    const created = (await getApiToken(tx, row!.id))!;
    await recordAudit(tx, { actor, action: 'create', entity: 'api_token', entityId: created.id, after: auditView(created), ip: ctx.ip });
    return { ok: true as const, id: created.id, name: created.name, token };
  });
}

/** Revokes a token: its next request gets 401. Revoking a revoked token changes nothing. */
export async function revokeApiToken(
  sql: Sql, input: { id: unknown }, actor: Actor, ctx: ChangeContext = {}
): Promise<Outcome<{ alreadyRevoked: boolean }>> {
  const parsed = apiTokenIdSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const id = parsed.data.id;
  const before = await getApiToken(sql, id);
  if (!before) return { ok: false, errors: { form: 'Không tìm thấy mã API này.' } };
  if (before.revokedAt) return { ok: true, alreadyRevoked: true };
  return inTransaction(sql, async (tx) => {
    await orm(tx).update(apiTokens).set({ revokedAt: expr`now()`, revokedBy: actor.user.id }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
    const after = (await getApiToken(tx, id))!;
    await recordAudit(tx, { actor, action: 'revoke', entity: 'api_token', entityId: id, before: auditView(before), after: auditView(after), ip: ctx.ip });
    return { ok: true as const, alreadyRevoked: false };
  });
}
