import { json } from '@sveltejs/kit';
import { sql } from '#server/db';
import { apiError, readJsonObject } from '$lib/server/api/respond';
import { listTargets, saveTarget, targetInputFromJson } from '$lib/server/admin/targets';
import type { RequestHandler } from './$types';

/** GET: every target (docs/targets.md). POST: set one (a target at the same indicator, unit and period takes the new value). */
export const GET: RequestHandler = async () => json({ targets: await listTargets(await sql()) });

export const POST: RequestHandler = async ({ request, locals, getClientAddress }) => {
  const body = await readJsonObject(request);
  if (!body) return apiError(400, 'body: must be a JSON object');
  const result = await saveTarget(await sql(), { ...targetInputFromJson(body), id: undefined }, locals.principal, { ip: getClientAddress() });
  if (!result.ok) return apiError(400, Object.values(result.errors).join(' '), result.errors);
  return json((await listTargets(await sql())).find((t) => t.id === result.id), { status: result.created ? 201 : 200 });
};
