import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { sql } from '#server/db';
import { inbox, markRead } from '$lib/server/alerts/read';
import type { Actions, PageServerLoad } from './$types';

/** The signed-in person's notification centre: the alerts they were told about, newest first. */
export const load: PageServerLoad = async ({ locals }) => {
  if (locals.principal.kind !== 'user') error(403);
  return { items: await inbox(await sql(), locals.principal.user.id), isAdmin: locals.principal.user.role === 'admin' };
};

const readSchema = z.object({ id: z.coerce.number().int().positive().optional() });

export const actions: Actions = {
  read: async ({ request, locals }) => {
    if (locals.principal.kind !== 'user') error(403);
    const parsed = readSchema.safeParse(Object.fromEntries((await request.formData()).entries()));
    if (!parsed.success) return fail(400, { message: 'id' });
    await markRead(await sql(), locals.principal.user.id, parsed.data.id ?? null);
    return { ok: true };
  }
};
