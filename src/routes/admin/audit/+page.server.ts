import { sql } from '#server/db';
import { ACTION_NAMES, AUDIT_ENTITIES, auditQueryOf, ENTITY_NAMES, readAuditLog } from '$lib/server/admin/audit-read';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
  const log = await readAuditLog(await sql(), auditQueryOf(url.searchParams));
  return {
    log,
    entities: AUDIT_ENTITIES.map((key) => ({ key, name: ENTITY_NAMES[key] })),
    actionNames: ACTION_NAMES
  };
};
