import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { sql } from '#server/db';
import { config } from '#server/config';
import { failWith, formValues } from '$lib/server/forms';
import { unitTreeOptions } from '$lib/server/admin/tokens';
import { createRule, deleteRule, listRules, RULE_FIELDS, ruleForm, setRuleEnabled, updateRule, type RuleInput } from '$lib/server/alerts/rules';
import { alertsQuerySchema, listAlerts } from '$lib/server/alerts/read';
import { m } from '$lib/paraglide/messages';
import { DEFAULT_SCHEME_KEY } from '#domain/catalogue';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const db = await sql();
  const [rules, recent, units, sources, indicators] = await Promise.all([
    listRules(db),
    listAlerts(db, locals.principal, alertsQuerySchema.parse({ limit: 30 })),
    unitTreeOptions(db),
    db<{ key: string; name: string; daily_deadline: string | null }[]>`select key, name, daily_deadline from data_sources where kind <> 'upload' order by id`,
    // The operations scheme's names (the rules watch its boards): the 766 group names dossier.on_time otherwise ("Tiến độ giải quyết").
    db<{ key: string; name_vi: string; name_en: string }[]>`
      select distinct on (i.key) i.key, i.name_vi, i.name_en from indicators i join indicator_schemes s on s.id = i.scheme_id
      order by i.key, (s.key = ${DEFAULT_SCHEME_KEY}) desc, s.active desc, i.id desc`
  ]);
  // ?edit=<id>: the form shows that rule (never its webhook secret) and saves it in place.
  const editId = Number(url.searchParams.get('edit'));
  const editValues = Number.isInteger(editId) && editId > 0 ? await ruleForm(db, editId) : null;
  const editing = editValues ? { id: editId, values: editValues } : null;
  const updated = rules.find((r) => String(r.id) === url.searchParams.get('updated'))?.name ?? null;
  return { rules, recent, editing, updated, units, sources: sources.map((s) => ({ key: s.key, name: s.name, deadline: s.daily_deadline })), indicators: indicators.map((i) => ({ key: i.key, nameVi: i.name_vi, nameEn: i.name_en })) };
};

/** The form's rule, created (id null) or saved in place; a refusal names each field in words under it. */
async function save({ request, locals, getClientAddress }: Parameters<Actions[string]>[0], id: number | null) {
  const form = await request.formData();
  const values = formValues(form);
  const roles = form.getAll('roles').filter((r): r is string => typeof r === 'string');
  const input: RuleInput = Object.fromEntries(RULE_FIELDS.map((f) => [f, values[f] ?? '']));
  input.roles = roles.join(',');
  const ctx = { secretKeyHex: config().CITYOPS_SECRET_KEY, ip: getClientAddress() };
  const result = id === null ? await createRule(await sql(), input, locals.principal, ctx) : await updateRule(await sql(), id, input, locals.principal, ctx);
  if (!result.ok) {
    const failure = failWith({ ...values, roles: roles.join(',') }, result.errors);
    // The words above the form count the fields; each field's own words stand under it.
    failure.data.message = result.errors.form ?? m.alert_err_form({ count: Object.keys(result.errors).length });
    return failure;
  }
  if (id !== null) redirect(303, `/admin/alerts?updated=${id}`);
  return { saved: m.alert_saved({ name: input.name?.trim() ?? '' }) };
}

const idSchema = z.object({ id: z.coerce.number().int().positive() });

export const actions: Actions = {
  create: async (event) => save(event, null),
  update: async (event) => {
    const id = Number(event.url.searchParams.get('edit'));
    if (!Number.isInteger(id) || id <= 0) return fail(400, { message: 'id' });
    return save(event, id);
  },
  toggle: async ({ request, locals, getClientAddress }) => {
    const form = await request.formData();
    const parsed = idSchema.safeParse(formValues(form));
    if (!parsed.success) return fail(400, { message: 'id' });
    await setRuleEnabled(await sql(), parsed.data.id, form.get('enabled') === 'true', locals.principal, getClientAddress());
    return { done: m.alert_switched() };
  },
  delete: async ({ request, locals, getClientAddress }) => {
    const parsed = idSchema.safeParse(formValues(await request.formData()));
    if (!parsed.success) return fail(400, { message: 'id' });
    await deleteRule(await sql(), parsed.data.id, locals.principal, getClientAddress());
    return { done: m.alert_deleted() };
  }
};
