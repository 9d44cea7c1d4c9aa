/** The audit log: who changed what, before and after, when. Secrets never reach it. */
import { orm, type Queryable as Sql } from '#db/client';
import { auditLog } from '#db/schema/auth';
import type { Principal } from './principal.ts';

const SECRET_KEY = /pass(word)?|secret|token|credential|api[_-]?key|^key$|authorization|hash/i;

/** Replaces every secret-looking field, at any depth, with "•••". */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? (v === null || v === undefined ? v : '•••') : maskSecrets(v)]));
  }
  return value;
}

/** Who did it, as the audit log names them: a username, `display:<name>`, `api:<token name>`, or the product's own (`provisioning`). */
export function actorName(a: Principal): string {
  return a.kind === 'user' ? a.user.username
    : a.kind === 'display' ? `display:${a.name}`
    : a.kind === 'api_token' ? `api:${a.name}`
    : a.kind === 'system' ? a.name
    : 'anonymous';
}

export async function recordAudit(
  sql: Sql,
  entry: { actor: Principal; action: string; entity: string; entityId?: string | number | null; before?: unknown; after?: unknown; ip?: string | null }
): Promise<void> {
  const name = actorName(entry.actor);
  const actorId = entry.actor.kind === 'user' ? entry.actor.user.id : null;
  await orm(sql)
    .insert(auditLog)
    .values({
      actorUserId: actorId, actorName: name, action: entry.action, entity: entry.entity,
      entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      before: entry.before === undefined ? null : maskSecrets(entry.before), after: entry.after === undefined ? null : maskSecrets(entry.after),
      ip: entry.ip ?? null
    });
}
