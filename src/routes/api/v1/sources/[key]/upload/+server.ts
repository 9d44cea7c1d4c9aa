import { error, json } from '@sveltejs/kit';
import { sql } from '#server/db';
import { handleUpload, UploadError } from '#server/uploads';
import { jobQueue } from '#server/jobs/sender';
import type { RequestHandler } from './$types';

/**
 * POST /api/v1/sources/{key}/upload, multipart form with "file" (.xlsx or .csv, ≤ 10 MB):
 * a filled template for a unit with no API. Answers like a poll: accepted, rejected, and every
 * refused row with its reason (a check, or a source of higher priority that already reports it);
 * 202 with `approval: "pending"` when the installation holds uploads for an administrator's approval.
 */
export const POST: RequestHandler = async ({ params, request, locals, getClientAddress }) => {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    error(400, 'file: send the file as multipart/form-data in the field "file"');
  }
  try {
    const p = locals.principal;
    const onlyUnit = p.kind === 'user' && p.user.role === 'officer' ? (p.user.unitCode ?? '-') : null;
    const answer = await handleUpload(await sql(), params.key, form.get('file') as File | null, onlyUnit, { actor: p, ip: getClientAddress() }, await jobQueue());
    return json(answer, { status: answer.outcome === 'failed' ? 422 : answer.approval === 'pending' ? 202 : 200 });
  } catch (e) {
    if (e instanceof UploadError) error(e.status, e.message);
    throw e;
  }
};
