import { fail } from '@sveltejs/kit';
import { sql } from '#server/db';
import { jobQueue } from '#server/jobs/sender';
import { importUnitsFile, unitsSummary } from '$lib/server/admin/units';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ summary: await unitsSummary(await sql()) });

export const actions: Actions = {
  import: async ({ request, locals, getClientAddress }) => {
    const form = await request.formData();
    const result = await importUnitsFile(await sql(), form.get('file'), locals.principal, { ip: getClientAddress(), jobs: await jobQueue() });
    if (!result.ok) {
      return fail(400, { problems: result.problems.map((p) => p.message), message: m.words_units_not_imported() });
    }
    return {
      counts: result.counts,
      created: result.created,
      updated: result.updated,
      merged: result.merged,
      moved: result.moved.map((x) => x.code),
      message: m.words_units_imported(),
      // The current boards are recomputed by the workers; the page follows the job.
      job: result.recompute ? { kind: 'recompute' as const, id: result.recompute.batch } : null
    };
  }
};
