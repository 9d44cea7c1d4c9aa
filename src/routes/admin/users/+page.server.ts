import { sql } from '#server/db';
import { failWith, formValues, parseForm } from '$lib/server/forms';
import { adminActor, createUser, listUsers, newUserSchema, ROLE_NAMES, setUserDisabled, unitOptions, userIdSchema } from '$lib/server/admin/users';
import { m } from '$lib/paraglide/messages';
import { formatInteger } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const db = await sql();
  return { users: await listUsers(db), units: await unitOptions(db), roleNames: ROLE_NAMES, meId: adminActor(locals.principal).user.id };
};

/** Disable / enable from the list: the row's `id`. */
const setDisabled = (disabled: boolean): Actions[string] => async ({ request, locals, getClientAddress }) => {
  const form = await request.formData();
  const parsed = parseForm(userIdSchema, form);
  if ('failure' in parsed) return parsed.failure;
  const result = await setUserDisabled(await sql(), { id: parsed.data.id, disabled }, adminActor(locals.principal), { ip: getClientAddress() });
  if (!result.ok) return failWith(formValues(form), result.errors);
  const username = result.user.username;
  return { done: disabled ? m.words_users_locked_done({ username, n: formatInteger(result.sessionsRevoked) }) : m.words_users_unlocked_done({ username }) };
};

export const actions: Actions = {
  create: async ({ request, locals, getClientAddress }) => {
    const form = await request.formData();
    const parsed = parseForm(newUserSchema, form);
    if ('failure' in parsed) return parsed.failure;
    const result = await createUser(await sql(), parsed.data, adminActor(locals.principal), { ip: getClientAddress() });
    if (!result.ok) return failWith(formValues(form), result.errors);
    return { done: m.words_users_created({ username: result.user.username }) };
  },
  disable: setDisabled(true),
  enable: setDisabled(false)
};
