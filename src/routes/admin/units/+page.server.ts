import { fail } from '@sveltejs/kit';
import { sql } from '#server/db';
import { jobQueue } from '#server/jobs/sender';
import { unitsSummary } from '$lib/server/admin/units';
import { importUnitsForm } from '$lib/server/admin/units-reform';
import { UNITS_IMPORT_MAX_BYTES } from '$lib/server/limits';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ summary: await unitsSummary(await sql()), maxMegabytes: UNITS_IMPORT_MAX_BYTES / 1048576 });

/** The codes a result lists: the first ones (the page says how many more). */
const SHOWN_CODES = 60;
const shown = (codes: string[]) => ({ codes: codes.slice(0, SHOWN_CODES), more: Math.max(0, codes.length - SHOWN_CODES) });
/** Problems shown (a register of another country's size could give thousands). */
const SHOWN_PROBLEMS = 500;

export const actions: Actions = {
  import: async ({ request, locals, getClientAddress }) => {
    const form = await request.formData();
    const lang = getLocale();
    const labels = { register: m.import_field_register(), merges: m.import_field_merges(), effectiveFrom: m.import_field_effective() };
    const typed = { effectiveFrom: String(form.get('effectiveFrom') ?? '') };
    const result = await importUnitsForm(
      await sql(),
      // `file`: the field's name before the merge table came.
      { register: form.get('register') ?? form.get('file'), merges: form.get('merges'), effectiveFrom: form.get('effectiveFrom') },
      locals.principal,
      { ip: getClientAddress(), jobs: await jobQueue(), lang, labels }
    );
    if (!result.ok) {
      const fieldErrors: Record<string, string> = {};
      for (const p of result.problems) if (p.field && p.line === null && !p.file) fieldErrors[p.field] ??= p.message;
      return fail(400, {
        problems: result.problems.slice(0, SHOWN_PROBLEMS).map((p) => p.message),
        more: Math.max(0, result.problems.length - SHOWN_PROBLEMS),
        total: result.problems.length,
        fieldErrors,
        typed,
        message: m.words_units_not_imported()
      });
    }
    // The boards are recomputed by the workers; the page follows the batch.
    const job = result.recompute ? { kind: 'recompute' as const, id: result.recompute.batch, periods: result.recompute.periods } : null;
    if (result.kind === 'reform') {
      return {
        kind: 'reform' as const,
        counts: result.counts,
        created: shown(result.created),
        newVersions: shown(result.newVersions),
        updated: shown(result.updated),
        ended: shown(result.ended),
        typed,
        job
      };
    }
    return {
      kind: 'register' as const,
      counts: result.counts,
      created: shown(result.created),
      updated: shown(result.updated),
      merged: shown(result.merged),
      moved: shown(result.moved.map((x) => x.code)),
      message: m.words_units_imported(),
      typed,
      job
    };
  }
};
