import { error } from '@sveltejs/kit';
import { sql } from '#server/db';
import { failWith, formValues, parseForm } from '$lib/server/forms';
import {
  adminActor, editUserSchema, getUser, resetPassword, resetPasswordSchema, ROLE_NAMES, setUserDisabled, unitOptions, updateUser
} from '$lib/server/admin/users';
import { m } from '$lib/paraglide/messages';
import { formatInteger } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

const userIdOf = (param: string) => {
  const id = Number(param);
  if (!Number.isInteger(id) || id <= 0) error(404, m.words_user_not_found());
  return id;
};

export const load: PageServerLoad = async ({ params, locals }) => {
  const db = await sql();
  const user = await getUser(db, userIdOf(params.id));
  if (!user) error(404, m.words_user_not_found());
  return { user, units: await unitOptions(db), roleNames: ROLE_NAMES, isMe: user.id === adminActor(locals.principal).user.id };
};

/** The form, with the user's id from the URL (never from a hidden field). */
async function formOf(request: Request, params: { id: string }) {
  const form = await request.formData();
  form.set('id', String(userIdOf(params.id)));
  return form;
}

const setDisabled = (disabled: boolean): Actions[string] => async ({ request, params, locals, getClientAddress }) => {
  const form = await formOf(request, params as { id: string });
  const result = await setUserDisabled(await sql(), { id: String(form.get('id')), disabled }, adminActor(locals.principal), { ip: getClientAddress() });
  if (!result.ok) return failWith(formValues(form), result.errors);
  return { done: disabled ? m.words_user_locked_sessions({ n: formatInteger(result.sessionsRevoked) }) : m.words_user_unlocked() };
};

export const actions: Actions = {
  update: async ({ request, params, locals, getClientAddress }) => {
    const form = await formOf(request, params);
    const parsed = parseForm(editUserSchema, form);
    if ('failure' in parsed) return parsed.failure;
    const result = await updateUser(await sql(), parsed.data, adminActor(locals.principal), { ip: getClientAddress() });
    if (!result.ok) return failWith(formValues(form), result.errors);
    return { done: m.words_saved() };
  },
  resetPassword: async ({ request, params, locals, getClientAddress }) => {
    const form = await formOf(request, params);
    const parsed = parseForm(resetPasswordSchema, form);
    if ('failure' in parsed) return parsed.failure;
    const result = await resetPassword(await sql(), parsed.data, adminActor(locals.principal), { ip: getClientAddress() });
    if (!result.ok) return failWith(formValues(form), result.errors);
    return { done: m.words_user_password_reset({ n: formatInteger(result.sessionsRevoked) }) };
  },
  disable: setDisabled(true),
  enable: setDisabled(false)
};
