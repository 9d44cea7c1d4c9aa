import { fail } from '@sveltejs/kit';
import { sql } from '#server/db';
import { jobQueue } from '#server/jobs/sender';
import { listSources, pollNow, setEnabled } from '$lib/server/admin/sources';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ sources: await listSources(await sql()) });

const keyOf = (form: FormData) => String(form.get('key') ?? '');

export const actions: Actions = {
  enable: async ({ request, locals, getClientAddress }) => {
    const key = keyOf(await request.formData());
    // Refused (409) when it overlaps another enabled source of the same priority: the message names the overlap.
    const result = await setEnabled(await sql(), key, true, { actor: locals.principal, ip: getClientAddress(), jobs: await jobQueue() });
    if (!result.ok) return fail(result.status, { message: result.message });
    return { message: `Đã bật nguồn ${key}.` };
  },
  disable: async ({ request, locals, getClientAddress }) => {
    const key = keyOf(await request.formData());
    const result = await setEnabled(await sql(), key, false, { actor: locals.principal, ip: getClientAddress(), jobs: await jobQueue() });
    if (!result.ok) return fail(result.status, { message: result.message });
    return { message: `Đã tắt nguồn ${key}; các lần lấy số liệu đang chờ của nguồn đã được huỷ.` };
  },
  // Queued straight on pg-boss; the page follows the job until its poll run is recorded.
  pollNow: async ({ request, locals, getClientAddress }) => {
    const key = keyOf(await request.formData());
    const result = await pollNow(await sql(), key, { actor: locals.principal, ip: getClientAddress(), jobs: await jobQueue() });
    if (!result.ok) return fail(result.status, { message: result.message });
    return { message: `Đã yêu cầu lấy số liệu ${key} ngay.`, pollKey: key, job: result.jobId ? { kind: 'poll' as const, id: result.jobId } : null };
  }
};
