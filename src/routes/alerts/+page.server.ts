import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { sql } from '#server/db';
import { contactOf, inbox, inboxCounts, markRead, setContact } from '$lib/server/alerts/read';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

/** The signed-in person's notification centre: the alerts they were told about, newest first, and the address they take alert mail at. */
/** Notifications per page of the centre (?page=2 for the older ones). */
const PAGE_SIZE = 50;

export const load: PageServerLoad = async ({ locals, url }) => {
  if (locals.principal.kind !== 'user') error(403);
  const db = await sql();
  const userId = locals.principal.user.id;
  const counts = await inboxCounts(db, userId);
  const pages = Math.max(1, Math.ceil(counts.total / PAGE_SIZE));
  // A page past the last (alerts deleted with their rule since) shows the last.
  const asked = Number(url.searchParams.get('page') ?? '1');
  const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pages) : 1;
  return {
    items: await inbox(db, userId, PAGE_SIZE, (page - 1) * PAGE_SIZE), ...counts, page, pages,
    contact: await contactOf(db, userId), isAdmin: locals.principal.user.role === 'admin'
  };
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
