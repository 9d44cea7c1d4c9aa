import { sql } from '#server/db';
import { jobQueue } from '#server/jobs/sender';
import { FAMILY_NAMES } from '#domain/catalogue';
import { failWith, formValues } from '$lib/server/forms';
import { adminActor } from '$lib/server/admin/users';
import { MAX_BANDS, readActiveSchemes, saveSchemeFromForm, schemeHistory } from '$lib/server/admin/schemes';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

/** Every scheme (operations, national_766, …): its version in force, editable, and its history. */
export const load: PageServerLoad = async () => {
  const db = await sql();
  const actives = await readActiveSchemes(db);
  const schemes = await Promise.all(actives.map(async (active) => ({ active, history: await schemeHistory(db, active.key) })));
  return { schemes, familyNames: FAMILY_NAMES, maxBands: MAX_BANDS };
};

export const actions: Actions = {
  save: async ({ request, locals, getClientAddress }) => {
    const form = await request.formData();
    const values = formValues(form);
    const result = await saveSchemeFromForm(await sql(), values, adminActor(locals.principal), { ip: getClientAddress(), jobs: await jobQueue() });
    if (!result.ok) return failWith(values, result.errors);
    // The recompute runs in the workers, never in this request; the page follows the job.
    return {
      scheme: result.scheme.key,
      done: m.words_scheme_saved({ version: String(result.scheme.version) }),
      job: { kind: 'recompute' as const, id: result.recompute.batch }
    };
  }
};
