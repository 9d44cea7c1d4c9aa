/**
 * API tokens: an administrator's token for scripts and provisioning pipelines. It acts as an
 * administrator on /api/v1/admin/* only (hooks.server.ts looks it up there and nowhere else). The
 * token is `cop_` + 256 random bits (base64url), shown once; the table keeps its SHA-256. Every use
 * is audited under the token's name; a revoked token is refused at once.
 */
import { and, eq, isNull, lt, or, sql as sqlExpr } from 'drizzle-orm';
import { orm, type Queryable as Sql } from '#db/client';
import { apiTokens } from '#db/schema/auth';
import { recordAudit } from './audit.ts';
import { newToken, sha256 } from './crypto.ts';
import type { Principal } from './principal.ts';

/** Tells an API token from a wall screen's display token (both are Bearer tokens). */
export const API_TOKEN_PREFIX = 'cop_';

export type ApiTokenPrincipal = Extract<Principal, { kind: 'api_token' }>;

export const newApiToken = () => `${API_TOKEN_PREFIX}${newToken()}`;

export const isApiToken = (bearer: string) => bearer.startsWith(API_TOKEN_PREFIX);

/** The bearer of an `Authorization: Bearer …` header, or null. */
export function bearerOf(authorization: string | null): string | null {
  if (!authorization?.startsWith('Bearer ')) return null;
  return authorization.slice(7).trim() || null;
}

/** An API token → its principal, or why it cannot be used. */
export async function readApiToken(sql: Sql, token: string): Promise<{ principal: ApiTokenPrincipal } | { refused: 'revoked' | 'unknown' }> {
  const [row] = await orm(sql)
    .select({ id: apiTokens.id, name: apiTokens.name, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, sha256(token)));
  if (!row) return { refused: 'unknown' };
  if (row.revokedAt) return { refused: 'revoked' };
  return { principal: { kind: 'api_token', tokenId: row.id, name: row.name } };
}

/**
 * One use of a token, after its answer: the audit log gets who (the token's name), what (method
 * and path), the answer's status and the address; `last_used_at` moves (at most once a second).
 */
export async function recordApiTokenUse(
  sql: Sql, principal: ApiTokenPrincipal, use: { method: string; path: string; status: number; ip: string | null }
): Promise<void> {
  await orm(sql)
    .update(apiTokens)
    .set({ lastUsedAt: sqlExpr`now()` })
    .where(and(eq(apiTokens.id, principal.tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sqlExpr`now() - interval '1 second'`))));
  await recordAudit(sql, {
    actor: principal, action: 'api_request', entity: 'api_token', entityId: principal.tokenId, ip: use.ip,
    after: { method: use.method, path: use.path, status: use.status }
  });
}
