import { sql } from '#server/db';
import { failWith, formValues, parseForm } from '$lib/server/forms';
import { adminActor } from '$lib/server/admin/users';
import { createDisplayToken, listDisplayTokens, revokeDisplayToken, SCENE_NAMES, SCENES, tokenIdSchema, unitTreeOptions } from '$lib/server/admin/tokens';
import { m } from '$lib/paraglide/messages';
import { parseDay } from '$lib/admin/dates';
import { daysShown } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
  const db = await sql();
  return { tokens: await listDisplayTokens(db), units: await unitTreeOptions(db), scenes: SCENES.map((key) => ({ key, name: SCENE_NAMES[key] })) };
};

export const actions: Actions = {
  create: async ({ request, locals, getClientAddress }) => {
    const form = await request.formData();
    // In the order the form lists them: the administrator's order.
    const scenes = form.getAll('scenes').filter((s): s is string => typeof s === 'string');
    const values: Record<string, string> = { ...formValues(form), scenes: scenes.join(',') };
    // The last day as the field sends it (ISO), or as typed (dd/mm/yyyy): refused here in the screen's words.
    const typedDay = (values.expiresOn ?? '').trim();
    const expiresOn = typedDay ? parseDay(typedDay) : '';
    if (expiresOn === null) return failWith(values, { expiresOn: m.loc16_date_bad({ field: m.loc16_field_expires(), value: typedDay }) });
    const result = await createDisplayToken(
      await sql(),
      { name: values.name ?? '', scopeCode: values.scopeCode ?? '', scenes, dwellSeconds: values.dwellSeconds ?? '', expiresOn },
      adminActor(locals.principal),
      { ip: getClientAddress() }
    );
    // The server's words write days as ISO: shown dd/mm/yyyy as everywhere on the screens.
    if (!result.ok) return failWith(values, Object.fromEntries(Object.entries(result.errors).map(([f, e]) => [f, daysShown(e)])));
    // The only time the token is ever shown: the database keeps its SHA-256 alone.
    return { created: { id: result.id, name: result.name, wallUrl: result.wallUrl } };
  },
  revoke: async ({ request, locals, getClientAddress }) => {
    const form = await request.formData();
    const parsed = parseForm(tokenIdSchema, form);
    if ('failure' in parsed) return parsed.failure;
    const result = await revokeDisplayToken(await sql(), parsed.data, adminActor(locals.principal), { ip: getClientAddress() });
    if (!result.ok) return failWith(formValues(form), result.errors);
    return { done: result.alreadyRevoked ? m.words_tokens_already_revoked() : m.words_tokens_revoked() };
  }
};
