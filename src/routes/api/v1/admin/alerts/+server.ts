import { json } from '@sveltejs/kit';
import { sql } from '#server/db';
import { config } from '#server/config';
import { apiError, readJsonObject } from '$lib/server/api/respond';
import { createRule, listRules, ruleInputFromJson } from '$lib/server/alerts/rules';
import type { RequestHandler } from './$types';

/** GET: every alert rule. POST: create one (the admin form's fields as JSON; lists as arrays or comma-separated; booleans as true/false). */
export const GET: RequestHandler = async () => json({ rules: await listRules(await sql()) });

export const POST: RequestHandler = async ({ request, locals, getClientAddress }) => {
  const body = await readJsonObject(request);
  if (!body) return apiError(400, 'body: must be a JSON object');
  const result = await createRule(await sql(), ruleInputFromJson(body), locals.principal, { secretKeyHex: config().CITYOPS_SECRET_KEY, ip: getClientAddress() });
  if (!result.ok) return apiError(400, Object.values(result.errors).join(' '), result.errors);
  return json({ id: result.id }, { status: 201 });
};
