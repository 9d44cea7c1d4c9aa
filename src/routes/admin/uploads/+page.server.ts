import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { sql } from '#server/db';
import { jobQueue } from '#server/jobs/sender';
import { approveUpload, listUploads, rejectUpload, setUploadsRequireApproval, uploadsRequireApproval } from '$lib/server/uploads';
import { m } from '$lib/paraglide/messages';
import { formatInteger } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

/** Uploads held for approval ("chờ duyệt"), the last ones reviewed, and the setting that holds them. */
export const load: PageServerLoad = async () => {
  const db = await sql();
  return {
    requireApproval: await uploadsRequireApproval(db),
    pending: await listUploads(db, 'pending'),
    reviewed: await listUploads(db, 'reviewed')
  };
};

const idSchema = z.coerce.number({ error: 'id: thiếu mã tệp tải lên' }).int('id: mã không hợp lệ').positive('id: mã không hợp lệ');

async function review(request: Request, act: typeof approveUpload | typeof rejectUpload, ctx: Parameters<typeof approveUpload>[2]) {
  const parsed = idSchema.safeParse((await request.formData()).get('id') ?? undefined);
  if (!parsed.success) return fail(400, { message: parsed.error.issues[0]!.message });
  // The long boards an approval touches are queued for the workers, as after any upload.
  const result = await act(await sql(), parsed.data, ctx, await jobQueue());
  if (!result.ok) return fail(result.status, { message: result.message });
  return { id: parsed.data, outcome: result.outcome, refused: result.rejections };
}

export const actions: Actions = {
  setting: async ({ request, locals, getClientAddress }) => {
    const on = (await request.formData()).get('requireApproval') === 'on';
    await setUploadsRequireApproval(await sql(), on, { actor: locals.principal, ip: getClientAddress() });
    return { ok: true, message: on ? m.words_uploads_setting_on() : m.words_uploads_setting_off() };
  },
  approve: async ({ request, locals, getClientAddress }) => {
    const r = await review(request, approveUpload, { actor: locals.principal, ip: getClientAddress() });
    if (!('id' in r)) return r;
    const o = r.outcome!;
    const refused = r.refused.length ? m.words_uploads_approved_refused({ n: formatInteger(r.refused.length) }) : '';
    return { ok: true, message: m.words_uploads_approved({ id: String(r.id), accepted: formatInteger(o.accepted), changed: formatInteger(o.changed), refused }), refused: r.refused };
  },
  reject: async ({ request, locals, getClientAddress }) => {
    const r = await review(request, rejectUpload, { actor: locals.principal, ip: getClientAddress() });
    if (!('id' in r)) return r;
    return { ok: true, message: m.words_uploads_rejected({ id: String(r.id) }) };
  }
};
