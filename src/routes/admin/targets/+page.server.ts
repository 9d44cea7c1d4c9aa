import { fail } from '@sveltejs/kit';
import { sql } from '#server/db';
import { failWith, formValues } from '$lib/server/forms';
import { adminActor } from '$lib/server/admin/users';
import { unitTreeOptions } from '$lib/server/admin/tokens';
import { deleteTarget, importTargets, listTargets, saveTarget } from '$lib/server/admin/targets';
import { readSchemeIndicators } from '$lib/server/boards';
import { PERIOD_KINDS } from '#domain/periods';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

/** Uploads are ≤ 10 MB (BODY_SIZE_LIMIT 11M). */
const MAX_BYTES = 10 * 1024 * 1024;

export const load: PageServerLoad = async () => {
  const db = await sql();
  const [targets, indicators, units] = await Promise.all([listTargets(db), readSchemeIndicators(db), unitTreeOptions(db)]);
  return { targets, indicators: indicators.map((i) => ({ key: i.key, nameVi: i.nameVi, nameEn: i.nameEn })), units, periodKinds: PERIOD_KINDS };
};

export const actions: Actions = {
  save: async ({ request, locals, getClientAddress }) => {
    const values = formValues(await request.formData());
    const result = await saveTarget(await sql(), values, adminActor(locals.principal), { ip: getClientAddress() });
    if (!result.ok) return failWith(values, result.errors);
    return { saved: result.id };
  },
  delete: async ({ request, locals, getClientAddress }) => {
    const values = formValues(await request.formData());
    const id = Number(values.id);
    const result = await deleteTarget(await sql(), Number.isInteger(id) ? id : -1, adminActor(locals.principal), { ip: getClientAddress() });
    if (!result.ok) return failWith(values, result.errors, 404);
    return { deleted: true };
  },
  import: async ({ request, locals, getClientAddress }) => {
    const form = await request.formData();
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return fail(400, { importError: m.target_import_no_file() });
    if (file.size > MAX_BYTES) return fail(400, { importError: m.target_import_unreadable({ reason: `> ${MAX_BYTES / 1048576} MB` }) });
    const result = await importTargets(await sql(), new Uint8Array(await file.arrayBuffer()), adminActor(locals.principal), { ip: getClientAddress() });
    return { imported: { file: file.name, saved: result.saved, problems: result.problems } };
  }
};
