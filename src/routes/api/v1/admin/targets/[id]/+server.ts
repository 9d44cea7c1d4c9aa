import { json } from '@sveltejs/kit';
import { sql } from '#server/db';
import { apiError, readJsonObject } from '$lib/server/api/respond';
import { deleteTarget, listTargets, saveTarget, targetInputFromJson } from '$lib/server/admin/targets';
import type { RequestHandler } from './$types';

const idOf = (raw: string) => (/^\d{1,9}$/.test(raw) ? Number(raw) : null);
const missing = (raw: string) => apiError(404, `Không có chỉ tiêu ${raw}.`);

/** GET: one target. PUT: change it. DELETE: remove it. */
export const GET: RequestHandler = async ({ params }) => {
  const id = idOf(params.id);
  const t = id === null ? undefined : (await listTargets(await sql())).find((r) => r.id === id);
  return t ? json(t) : missing(params.id);
};

export const PUT: RequestHandler = async ({ params, request, locals, getClientAddress }) => {
  const id = idOf(params.id);
  if (id === null) return missing(params.id);
  const body = await readJsonObject(request);
  if (!body) return apiError(400, 'body: must be a JSON object');
  const result = await saveTarget(await sql(), { ...targetInputFromJson(body), id }, locals.principal, { ip: getClientAddress() });
  if (!result.ok) return result.errors.form ? missing(params.id) : apiError(400, Object.values(result.errors).join(' '), result.errors);
  return json((await listTargets(await sql())).find((t) => t.id === result.id));
};

export const DELETE: RequestHandler = async ({ params, locals, getClientAddress }) => {
  const id = idOf(params.id);
  if (id === null || !(await deleteTarget(await sql(), id, locals.principal, { ip: getClientAddress() })).ok) return missing(params.id);
  return new Response(null, { status: 204 });
};
