import { json } from '@sveltejs/kit';
import { sql } from '#server/db';
import { config } from '#server/config';
import { apiError, readJsonObject } from '$lib/server/api/respond';
import { deleteRule, listRules, ruleInputFromJson, setRuleEnabled, updateRule } from '$lib/server/alerts/rules';
import type { RequestHandler } from './$types';

const idOf = (raw: string) => (/^\d{1,9}$/.test(raw) ? Number(raw) : null);
const missing = (raw: string) => apiError(404, `Không có quy tắc cảnh báo ${raw}.`);

/**
 * GET: one rule (never its webhook secret). PUT: replace it (a webhook secret left out keeps the saved
 * one). PATCH { "enabled": false }: switch it off (or on) and nothing else. DELETE: remove it and its alerts.
 */
export const GET: RequestHandler = async ({ params }) => {
  const id = idOf(params.id);
  const rule = id === null ? undefined : (await listRules(await sql())).find((r) => r.id === id);
  return rule ? json(rule) : missing(params.id);
};

export const PUT: RequestHandler = async ({ params, request, locals, getClientAddress }) => {
  const id = idOf(params.id);
  if (id === null) return missing(params.id);
  const body = await readJsonObject(request);
  if (!body) return apiError(400, 'body: must be a JSON object');
  const result = await updateRule(await sql(), id, ruleInputFromJson(body), locals.principal, { secretKeyHex: config().CITYOPS_SECRET_KEY, ip: getClientAddress() });
  if (!result.ok) return result.errors.form ? missing(params.id) : apiError(400, Object.values(result.errors).join(' '), result.errors);
  return json((await listRules(await sql())).find((r) => r.id === id));
};

export const PATCH: RequestHandler = async ({ params, request, locals, getClientAddress }) => {
  const id = idOf(params.id);
  if (id === null) return missing(params.id);
  const body = await readJsonObject(request);
  if (!body) return apiError(400, 'body: must be a JSON object');
  const others = Object.keys(body).filter((k) => k !== 'enabled');
  if (others.length) return apiError(400, `${others.join(', ')}: PATCH đổi được mỗi enabled (bật/tắt); muốn đổi cả quy tắc, dùng PUT.`, Object.fromEntries(others.map((k) => [k, 'PATCH đổi được mỗi enabled.'])));
  if (typeof body.enabled !== 'boolean') return apiError(400, 'enabled: phải là true hoặc false.', { enabled: 'phải là true hoặc false.' });
  if (!(await setRuleEnabled(await sql(), id, body.enabled, locals.principal, getClientAddress()))) return missing(params.id);
  return json((await listRules(await sql())).find((r) => r.id === id));
};

export const DELETE: RequestHandler = async ({ params, locals, getClientAddress }) => {
  const id = idOf(params.id);
  if (id === null || !(await deleteRule(await sql(), id, locals.principal, getClientAddress()))) return missing(params.id);
  return new Response(null, { status: 204 });
};
