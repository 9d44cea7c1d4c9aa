import { error, fail } from '@sveltejs/kit';
import { sql } from '#server/db';
import { jobQueue } from '#server/jobs/sender';
import { PLACEHOLDER_HELP } from '#server/pipeline/request';
import { parseDay } from '$lib/admin/dates';
import { startSourceBackfill } from '$lib/server/admin/backfill';
import { sourceActions } from '$lib/server/admin/source-actions';
import { m } from '$lib/paraglide/messages';
import { daysShown } from '$lib/format';
import { codeSystems, pollHistory, pollNow, readSourceView } from '$lib/server/admin/sources';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
  const db = await sql();
  const source = await readSourceView(db, params.key);
  if (!source) error(404, `Không có nguồn dữ liệu ${params.key}`);
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  return {
    source, runs: await pollHistory(db, params.key, page), page, saved: url.searchParams.has('saved'),
    /** "Lưu và kiểm tra": the page runs the test once open. */
    testNow: url.searchParams.has('test'),
    codeSystems: await codeSystems(db),
    placeholders: PLACEHOLDER_HELP
  };
};

export const actions: Actions = {
  ...sourceActions((event) => event.params.key),
  // Queued straight on pg-boss; the page follows the job until its poll run is recorded.
  pollNow: async ({ params, locals, getClientAddress }) => {
    const result = await pollNow(await sql(), params.key, { actor: locals.principal, ip: getClientAddress(), jobs: await jobQueue() });
    if (!result.ok) return fail(result.status, { pollMessage: result.message });
    return { pollJob: result.jobId };
  },
  // "Nạp lịch sử": days typed as shown (dd/MM/yyyy); the page follows the job window by window.
  backfill: async ({ params, request, locals, getClientAddress }) => {
    const form = await request.formData();
    const typed = { from: String(form.get('from') ?? ''), to: String(form.get('to') ?? '') };
    const from = parseDay(typed.from);
    const to = parseDay(typed.to);
    const backfillErrors: Record<string, string> = {};
    const labels = { from: m.screens_backfill_from(), to: m.screens_backfill_to() };
    if (!from) backfillErrors.from = m.loc16_date_bad({ field: labels.from, value: typed.from });
    if (!to) backfillErrors.to = m.loc16_date_bad({ field: labels.to, value: typed.to });
    if (!from || !to) return fail(400, { backfillValues: typed, backfillErrors, backfillMessage: Object.values(backfillErrors).join(' ') });
    const result = await startSourceBackfill(await sql(), await jobQueue(), params.key, { from, to }, { actor: locals.principal, ip: getClientAddress() });
    if (!result.ok) {
      // The server names the field by its key ("from: …") and writes ISO days: the screen's label and dd/mm/yyyy instead.
      const field = result.field;
      const message = daysShown(field ? `${labels[field]}: ${result.message.replace(new RegExp(`^${field}:\\s*`), '')}` : result.message);
      return fail(result.status, { backfillValues: typed, backfillErrors: field ? { [field]: message } : {}, backfillMessage: message });
    }
    return { backfillValues: typed, backfillJob: result.jobId };
  }
};
