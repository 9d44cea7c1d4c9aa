import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { sql } from '#server/db';
import { contactOf, inbox, markRead, setContact } from '$lib/server/alerts/read';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

/** The signed-in person's notification centre: the alerts they were told about, newest first, and the address they take alert mail at. */
export const load: PageServerLoad = async ({ locals }) => {
  if (locals.principal.kind !== 'user') error(403);
  const db = await sql();
  return { items: await inbox(db, locals.principal.user.id), contact: await contactOf(db, locals.principal.user.id), isAdmin: locals.principal.user.role === 'admin' };
};

const readSchema = z.object({ id: z.coerce.number().int().positive().optional() });

export const actions: Actions = {
  read: async ({ request, locals }) => {
    if (locals.principal.kind !== 'user') error(403);
    const parsed = readSchema.safeParse(Object.fromEntries((await request.formData()).entries()));
    if (!parsed.success) return fail(400, { message: 'id' });
    await markRead(await sql(), locals.principal.user.id, parsed.data.id ?? null);
    return { ok: true };
  },
  contact: async ({ request, locals }) => {
    if (locals.principal.kind !== 'user') error(403);
    const email = String((await request.formData()).get('email') ?? '').trim();
    if (!(await setContact(await sql(), locals.principal.user.id, email))) {
      return fail(400, { contactError: m.alert_err_contact({ value: email.slice(0, 100) }), contactValue: email });
    }
    return { contactDone: email ? m.alert_contact_saved({ email }) : m.alert_contact_cleared() };
  }
};
