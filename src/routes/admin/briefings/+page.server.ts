import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { sql } from '#server/db';
import { config } from '#server/config';
import { jobQueue } from '#server/jobs/sender';
import { failWith, formValues } from '$lib/server/forms';
import { unitTreeOptions } from '$lib/server/admin/tokens';
import {
  createSchedule, deleteSchedule, listMailings, listSchedules, SCHEDULE_FIELDS, SCHEDULE_PERIOD_KINDS, scheduleForm, setScheduleEnabled, updateSchedule,
  type ScheduleInput
} from '$lib/server/briefings/schedules';
import { queueMailingNow } from '$lib/server/briefings/mailing';
import { recordAudit } from '$lib/server/auth/audit';
import { formatPeriod } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
  const db = await sql();
  const [schedules, mailings, tree, people] = await Promise.all([
    listSchedules(db),
    listMailings(db, { limit: 40 }),
    unitTreeOptions(db),
    db<{ username: string; display_name: string; role: string; unit_name: string | null; email: string | null }[]>`
      select u.username, u.display_name, u.role, un.name as unit_name, c.email
      from users u left join units un on un.id = u.unit_id left join alert_contacts c on c.user_id = u.id
      where not u.disabled order by u.role, u.display_name`
  ]);
  // Only a unit with units under it has a briefing (a commune's own is not ranked against anything).
  const parents = new Set(tree.map((u, i) => (tree[i + 1]?.depth ?? -1) > u.depth ? u.code : null).filter(Boolean));
  const editId = Number(url.searchParams.get('edit'));
  const editValues = Number.isInteger(editId) && editId > 0 ? await scheduleForm(db, editId) : null;
  return {
    schedules,
    mailings,
    units: tree.filter((u) => parents.has(u.code)),
    people: people.map((p) => ({ username: p.username, name: p.display_name, role: p.role, unitName: p.unit_name, email: p.email })),
    periodKinds: [...SCHEDULE_PERIOD_KINDS],
    editing: editValues ? { id: editId, values: editValues } : null,
    updated: schedules.find((s) => String(s.id) === url.searchParams.get('updated'))?.name ?? null,
    smtp: !!config().SMTP_URL
  };
};

async function save({ request, locals, getClientAddress }: Parameters<Actions[string]>[0], id: number | null) {
  const form = await request.formData();
  const values = formValues(form);
  const usernames = form.getAll('usernames').filter((u): u is string => typeof u === 'string');
  const input: ScheduleInput = Object.fromEntries(SCHEDULE_FIELDS.map((f) => [f, values[f] ?? '']));
  input.usernames = usernames.join(',');
  input.enabled = values.enabled ?? '';
  const db = await sql();
  const result = id === null ? await createSchedule(db, input, locals.principal, getClientAddress()) : await updateSchedule(db, id, input, locals.principal, getClientAddress());
  if (!result.ok) {
    const failure = failWith({ ...values, usernames: usernames.join(',') }, result.errors);
    failure.data.message = result.errors.form ?? m.bsched_err_form({ count: Object.keys(result.errors).length });
    return failure;
  }
  if (id !== null) redirect(303, `/admin/briefings?updated=${id}`);
  return { saved: m.bsched_saved({ name: input.name?.trim() ?? '' }) };
}

const idSchema = z.object({ id: z.coerce.number().int().positive() });

export const actions: Actions = {
  create: async (event) => save(event, null),
  update: async (event) => {
    const id = Number(event.url.searchParams.get('edit'));
    if (!Number.isInteger(id) || id <= 0) return fail(400, { message: m.bsched_err_missing() });
    return save(event, id);
  },
  toggle: async ({ request, locals, getClientAddress }) => {
    const form = await request.formData();
    const parsed = idSchema.safeParse(formValues(form));
    if (!parsed.success || !(await setScheduleEnabled(await sql(), parsed.data.id, form.get('enabled') === 'true', locals.principal, getClientAddress()))) {
      return fail(404, { message: m.bsched_err_missing() });
    }
    return { done: m.bsched_switched() };
  },
  delete: async ({ request, locals, getClientAddress }) => {
    const parsed = idSchema.safeParse(formValues(await request.formData()));
    if (!parsed.success || !(await deleteSchedule(await sql(), parsed.data.id, locals.principal, getClientAddress()))) return fail(404, { message: m.bsched_err_missing() });
    return { done: m.bsched_deleted() };
  },
  // "Gửi ngay": the period it would brief now, to every recipient, printed and mailed by the workers.
  sendNow: async ({ request, locals, getClientAddress }) => {
    const parsed = idSchema.safeParse(formValues(await request.formData()));
    if (!parsed.success) return fail(404, { message: m.bsched_err_missing() });
    const db = await sql();
    const queued = await queueMailingNow(db, await jobQueue(), parsed.data.id);
    if (!queued) return fail(404, { message: m.bsched_err_missing() });
    await recordAudit(db, { actor: locals.principal, action: 'send_now', entity: 'briefing_schedule', entityId: parsed.data.id, after: queued, ip: getClientAddress() });
    return { done: m.bsched_sent_now({ count: String(queued.mailings), period: formatPeriod(queued.period.kind, queued.period.start) }) };
  }
};
