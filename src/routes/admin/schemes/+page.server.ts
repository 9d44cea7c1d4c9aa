import { sql } from '#server/db';
import { FAMILY_NAMES } from '#domain/catalogue';
import { failWith, formValues } from '$lib/server/forms';
import { adminActor } from '$lib/server/admin/users';
import { MAX_BANDS, readActiveScheme, saveSchemeFromForm, schemeHistory } from '$lib/server/admin/schemes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
  const db = await sql();
  const active = await readActiveScheme(db);
  return { active, history: active ? await schemeHistory(db, active.key) : [], familyNames: FAMILY_NAMES, maxBands: MAX_BANDS };
};

export const actions: Actions = {
  save: async ({ request, locals, getClientAddress }) => {
    const form = await request.formData();
    const values = formValues(form);
    const result = await saveSchemeFromForm(await sql(), values, adminActor(locals.principal), { ip: getClientAddress() });
    if (!result.ok) return failWith(values, result.errors);
    return { done: `Đã lưu phiên bản ${result.scheme.version}; bảng xếp hạng hôm nay và tháng này đã được tính lại theo phiên bản mới.` };
  }
};
