import { fail } from '@sveltejs/kit';
import { sql } from '#server/db';
import { jobQueue } from '#server/jobs/sender';
import { listSources, pollNow, setEnabled } from '$lib/server/admin/sources';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ sources: await listSources(await sql()) });

const keyOf = (form: FormData) => String(form.get('key') ?? '');

export const actions: Actions = {
  enable: async ({ request, locals, getClientAddress }) => {
    const key = keyOf(await request.formData());
    // Refused (409) when it overlaps another enabled source of the same priority: the message names the overlap.
    const result = await setEnabled(await sql(), key, true, { actor: locals.principal, ip: getClientAddress(), jobs: await jobQueue() });
    if (!result.ok) return fail(result.status, { message: result.status === 404 ? m.screens_no_source({ key }) : result.message });
    return { message: m.screens_enabled_done({ key }) };
  },
  disable: async ({ request, locals, getClientAddress }) => {
    const key = keyOf(await request.formData());
    const result = await setEnabled(await sql(), key, false, { actor: locals.principal, ip: getClientAddress(), jobs: await jobQueue() });
    if (!result.ok) return fail(result.status, { message: result.status === 404 ? m.screens_no_source({ key }) : result.message });
    return { message: m.screens_disabled_done({ key }) };
  },
  // Queued straight on pg-boss; the page follows the job until its poll run is recorded.
  pollNow: async ({ request, locals, getClientAddress }) => {
    const key = keyOf(await request.formData());
    const result = await pollNow(await sql(), key, { actor: locals.principal, ip: getClientAddress(), jobs: await jobQueue() });
    if (!result.ok) return fail(result.status, { message: result.message });
    return { message: m.screens_poll_requested({ key }), pollKey: key, job: result.jobId ? { kind: 'poll' as const, id: result.jobId } : null };
  }
};
