import { fail } from '@sveltejs/kit';
import { sql } from '#server/db';
import { listSources, pollNow, setEnabled } from '$lib/server/admin/sources';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ sources: await listSources(await sql()) });

const keyOf = (form: FormData) => String(form.get('key') ?? '');

export const actions: Actions = {
  enable: async ({ request, locals, getClientAddress }) => {
    const key = keyOf(await request.formData());
    if (!(await setEnabled(await sql(), key, true, { actor: locals.principal, ip: getClientAddress() }))) return fail(404, { message: `key: no source ${key}` });
    return { message: `Đã bật nguồn ${key}.` };
  },
  disable: async ({ request, locals, getClientAddress }) => {
    const key = keyOf(await request.formData());
    if (!(await setEnabled(await sql(), key, false, { actor: locals.principal, ip: getClientAddress() }))) return fail(404, { message: `key: no source ${key}` });
    return { message: `Đã tắt nguồn ${key}.` };
  },
  pollNow: async ({ request, locals, getClientAddress }) => {
    const key = keyOf(await request.formData());
    if (!(await pollNow(await sql(), key, { actor: locals.principal, ip: getClientAddress() }))) return fail(404, { message: `key: no polled source ${key}` });
    return { message: `Đã yêu cầu lấy số liệu ${key} ngay.` };
  }
};
