/**
 * Display tokens: a wall screen's revocable read-only access, scoped to a unit, with a playlist of
 * scenes. The token is random (256 bits), stored only as its SHA-256, and shown once — at
 * creation, inside the wall's URL. Revoking it closes the screen's sockets at once.
 */
import { and, desc, eq, isNull, sql as expr } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Queryable as Sql } from '#db/client';
import { isoTimestamp, orm } from '#db/client';
import { displayTokens, users } from '#db/schema/auth';
import { units } from '#db/schema/units';
import { ZONE, today } from '#domain/periods';
import { SUPPORTED_DATES, UNIT_CODE_PATTERN, UNIT_CODE_RULE_VI } from '#contract/dto';
import { recordAudit } from '../auth/audit.ts';
import { newToken, sha256 } from '../auth/crypto.ts';
import { signOutEverywhere } from '../auth/revoke.ts';
import { fieldErrors, inTransaction, unitIdOf, type Actor, type ChangeContext, type Outcome } from './users.ts';

import { isScene, SCENE_NAMES, SCENES, type Scene } from '$lib/wall/scenes';
export { SCENES, SCENE_NAMES, type Scene } from '$lib/wall/scenes';

/** The playlist's scenes, in the order given: each a known scene, each once, at least one. */
export const scenesSchema = z
  .union([z.string(), z.array(z.string())], { error: 'Chọn ít nhất một cảnh.' })
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .superRefine((value, ctx) => {
    const unknown = value.filter((s) => !isScene(s));
    const twice = [...new Set(value.filter((s, i) => value.indexOf(s) !== i))];
    if (unknown.length) ctx.addIssue({ code: 'custom', message: `Không có cảnh: ${unknown.join(', ')}. Chọn trong: ${SCENES.join(', ')}.` });
    else if (twice.length) ctx.addIssue({ code: 'custom', message: `Mỗi cảnh chỉ chọn một lần: ${twice.map((s) => SCENE_NAMES[s as Scene]).join(', ')} có nhiều lần.` });
    else if (value.length === 0) ctx.addIssue({ code: 'custom', message: 'Chọn ít nhất một cảnh.' });
  })
  // The administrator's order is the wall's order.
  .transform((v) => v as Scene[]);

export const newTokenSchema = z.object({
  name: z.string({ error: 'Nhập tên màn hình.' }).trim().min(1, 'Nhập tên màn hình.').max(100, 'Tên dài tối đa 100 ký tự.'),
  scopeCode: z.string({ error: 'Nhập mã đơn vị.' }).trim().regex(UNIT_CODE_PATTERN, `Mã đơn vị gồm ${UNIT_CODE_RULE_VI}.`),
  scenes: scenesSchema,
  dwellSeconds: z.coerce
    .number({ error: 'Thời gian mỗi cảnh phải là một số giây.' })
    .int('Thời gian mỗi cảnh là số giây nguyên.')
    .min(10, 'Thời gian mỗi cảnh từ 10 đến 600 giây.')
    .max(600, 'Thời gian mỗi cảnh từ 10 đến 600 giây.'),
  /** The last day the token works (YYYY-MM-DD, Hà Nội time); empty: no expiry. */
  expiresOn: z
    .string()
    .trim()
    .nullish()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v, { zone: ZONE }).isValid), 'Ngày hết hạn không hợp lệ (YYYY-MM-DD).')
    .refine((v) => v === null || v <= SUPPORTED_DATES.to, `Ngày hết hạn không được sau ${SUPPORTED_DATES.to}.`)
});
export type NewTokenInput = z.input<typeof newTokenSchema>;

export const tokenIdSchema = z.object({
  id: z.coerce.number({ error: 'Thiếu mã màn hình.' }).int('Mã màn hình không hợp lệ.').positive('Mã màn hình không hợp lệ.')
});

export interface UnitTreeOption {
  code: string;
  name: string;
  level: string;
  /** 0 for the city (a root), 1 for its districts, 2 for their communes … */
  depth: number;
}

/**
 * The current units as a tree walked depth first (pure): each root (no current parent), then its
 * children in code order under it, each with its depth. A unit whose parent is not current is a
 * root; a loop in the data cannot hang the walk (each unit is listed once).
 */
export function unitTree(rows: readonly { code: string; name: string; level: string; parentCode: string | null }[]): UnitTreeOption[] {
  const byCode = (a: { code: string }, b: { code: string }) => a.code.length - b.code.length || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const current = new Set(rows.map((r) => r.code));
  const children = new Map<string, typeof rows[number][]>();
  const roots: (typeof rows)[number][] = [];
  for (const r of rows) {
    if (r.parentCode === null || r.parentCode === r.code || !current.has(r.parentCode)) roots.push(r);
    else children.set(r.parentCode, [...(children.get(r.parentCode) ?? []), r]);
  }
  const out: UnitTreeOption[] = [];
  const seen = new Set<string>();
  const walk = (r: (typeof rows)[number], depth: number) => {
    if (seen.has(r.code)) return;
    seen.add(r.code);
    out.push({ code: r.code, name: r.name, level: r.level, depth });
    for (const c of [...(children.get(r.code) ?? [])].sort(byCode)) walk(c, depth + 1);
  };
  for (const r of [...roots].sort(byCode)) walk(r, 0);
  // Units only reachable through a loop: listed last, at the top level, rather than lost.
  for (const r of [...rows].sort(byCode)) walk(r, 0);
  return out;
}

/** The current units for the scope picker, as a tree (city → districts → communes). */
export async function unitTreeOptions(sql: Sql): Promise<UnitTreeOption[]> {
  const parent = alias(units, 'parent');
  const rows = await orm(sql)
    .select({ code: units.gsoCode, name: units.name, level: units.level, parentCode: parent.gsoCode })
    .from(units)
    .leftJoin(parent, and(eq(parent.id, units.parentId), isNull(parent.validTo)))
    .where(isNull(units.validTo));
  return unitTree(rows);
}

export type TokenStatus = 'active' | 'revoked' | 'expired';

export interface TokenListRow {
  id: number;
  name: string;
  scopeCode: string;
  scopeName: string;
  scenes: Scene[];
  dwellSeconds: number;
  expiresAt: string | null;
  /** The last day (YYYY-MM-DD, Hà Nội time) the token works, or null: no expiry. */
  validThrough: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  createdBy: string | null;
  status: TokenStatus;
}

async function selectTokens(sql: Sql, tokenId: number | null): Promise<TokenListRow[]> {
  const t = displayTokens;
  const creator = alias(users, 'creator');
  const rows = await orm(sql)
    .select({
      id: t.id, name: t.name, scopeCode: units.gsoCode, scopeName: units.name, playlist: t.playlist, expiresAt: t.expiresAt,
      revokedAt: t.revokedAt, lastUsedAt: t.lastUsedAt, createdAt: t.createdAt, createdBy: creator.username,
      // On the database's clock, as the wall's sign-in checks it.
      expired: expr`(${t.expiresAt} is not null and ${t.expiresAt} <= now())`.mapWith(Boolean)
    })
    .from(t)
    .innerJoin(units, eq(units.id, t.scopeUnitId))
    .leftJoin(creator, eq(creator.id, t.createdBy))
    .where(tokenId === null ? undefined : eq(t.id, tokenId))
    .orderBy(expr`(${t.revokedAt} is not null)`, desc(t.createdAt), desc(t.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scopeCode: r.scopeCode,
    scopeName: r.scopeName,
    scenes: r.playlist.scenes as Scene[],
    dwellSeconds: r.playlist.dwellSeconds,
    expiresAt: isoTimestamp(r.expiresAt),
    // The instant the token stops working is the start of the day after its last one (Hà Nội time).
    validThrough: r.expiresAt === null ? null : DateTime.fromJSDate(r.expiresAt, { zone: ZONE }).minus({ milliseconds: 1 }).toISODate(),
    revokedAt: isoTimestamp(r.revokedAt),
    lastUsedAt: isoTimestamp(r.lastUsedAt),
    createdAt: isoTimestamp(r.createdAt)!,
    createdBy: r.createdBy,
    status: r.revokedAt ? 'revoked' : r.expired ? 'expired' : 'active'
  }));
}

/** Every display token (never the token: only its hash is stored, and not even that is read here). */
export const listDisplayTokens = (sql: Sql) => selectTokens(sql, null);

export async function getDisplayToken(sql: Sql, tokenId: number): Promise<TokenListRow | null> {
  return (await selectTokens(sql, tokenId))[0] ?? null;
}

/** The wall's address for a token (relative to the site). */
export const wallUrl = (token: string) => `/wall?token=${encodeURIComponent(token)}`;

const auditView = (t: TokenListRow) => ({
  name: t.name, scopeCode: t.scopeCode, scenes: t.scenes, dwellSeconds: t.dwellSeconds, expiresAt: t.expiresAt, revokedAt: t.revokedAt
});

/**
 * Creates a display token. The result carries the token and the wall URL: the only time they are
 * ever seen — the database keeps the SHA-256 alone.
 */
export async function createDisplayToken(
  sql: Sql, input: NewTokenInput, actor: Actor, ctx: ChangeContext = {}
): Promise<Outcome<{ id: number; name: string; token: string; wallUrl: string; expiresAt: string | null }>> {
  const parsed = newTokenSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const v = parsed.data;
  const errors: Record<string, string> = {};
  const scopeUnitId = await unitIdOf(sql, v.scopeCode);
  if (scopeUnitId === null) errors.scopeCode = `Không có đơn vị nào (đang hiệu lực) với mã ${v.scopeCode}.`;
  if (v.expiresOn !== null && v.expiresOn < today(ctx.now)) errors.expiresOn = 'Ngày hết hạn đã qua: chọn hôm nay hoặc một ngày sau.';
  if (Object.keys(errors).length) return { ok: false, errors };
  // Valid through the whole last day, Hà Nội time.
  const expiresAt = v.expiresOn === null ? null : DateTime.fromISO(v.expiresOn, { zone: ZONE }).plus({ days: 1 }).toUTC().toISO()!;
  const token = newToken();
  return inTransaction(sql, async (tx) => {
    const [row] = await orm(tx)
      .insert(displayTokens)
      .values({
        name: v.name, tokenHash: sha256(token), scopeUnitId: scopeUnitId!, playlist: { scenes: v.scenes, dwellSeconds: v.dwellSeconds },
        expiresAt: expiresAt === null ? null : new Date(expiresAt), createdBy: actor.user.id
      })
      .returning({ id: displayTokens.id });
    const created = (await getDisplayToken(tx, row!.id))!;
    await recordAudit(tx, { actor, action: 'create', entity: 'display_token', entityId: created.id, after: auditView(created), ip: ctx.ip });
    return { ok: true as const, id: created.id, name: created.name, token, wallUrl: wallUrl(token), expiresAt: created.expiresAt };
  });
}

/** Revokes a display token and closes the wall's sockets. Revoking a revoked token changes nothing. */
export async function revokeDisplayToken(
  sql: Sql, input: { id: number | string }, actor: Actor, ctx: ChangeContext = {}
): Promise<Outcome<{ alreadyRevoked: boolean }>> {
  const parsed = tokenIdSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const tokenId = parsed.data.id;
  const before = await getDisplayToken(sql, tokenId);
  if (!before) return { ok: false, errors: { form: 'Không tìm thấy màn hình này.' } };
  if (before.revokedAt) return { ok: true, alreadyRevoked: true };
  return inTransaction(sql, async (tx) => {
    await orm(tx).update(displayTokens).set({ revokedAt: expr`now()` }).where(and(eq(displayTokens.id, tokenId), isNull(displayTokens.revokedAt)));
    await signOutEverywhere(tx, { displayTokenId: tokenId });
    const after = (await getDisplayToken(tx, tokenId))!;
    await recordAudit(tx, { actor, action: 'revoke', entity: 'display_token', entityId: tokenId, before: auditView(before), after: auditView(after), ip: ctx.ip });
    return { ok: true as const, alreadyRevoked: false };
  });
}
