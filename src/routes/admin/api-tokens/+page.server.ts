import { sql } from '#server/db';
import { failWith, formValues, parseForm } from '$lib/server/forms';
import { adminActor } from '$lib/server/admin/users';
import { apiTokenIdSchema, createApiToken, listApiTokens, revokeApiToken } from '$lib/server/admin/api-tokens';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ tokens: await listApiTokens(await sql()) });

export const actions: Actions = {
  create: async ({ request, locals, getClientAddress }) => {
    const values = formValues(await request.formData());
    const result = await createApiToken(await sql(), { name: values.name ?? '' }, adminActor(locals.principal), { ip: getClientAddress() });
    if (!result.ok) return failWith(values, result.errors);
    // The only time the token is ever shown: the database keeps its SHA-256 alone.
    return { created: { id: result.id, name: result.name, token: result.token } };
  },
  revoke: async ({ request, locals, getClientAddress }) => {
    const form = await request.formData();
    const parsed = parseForm(apiTokenIdSchema, form);
    if ('failure' in parsed) return parsed.failure;
    const result = await revokeApiToken(await sql(), parsed.data, adminActor(locals.principal), { ip: getClientAddress() });
    if (!result.ok) return failWith(formValues(form), result.errors);
    return { done: result.alreadyRevoked ? m.api_tokens_already_revoked() : m.api_tokens_revoked_now() };
  }
};
