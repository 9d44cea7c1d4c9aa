import { error } from '@sveltejs/kit';
import { sql } from '#server/db';
import { renderTemplate, UploadError } from '#server/uploads';
import type { RequestHandler } from './$types';

/** GET /api/v1/templates/{dossier|eid|payment|task}?format=xlsx|csv: the template to fill for an upload source. */
export const GET: RequestHandler = async ({ params, url }) => {
  try {
    const t = await renderTemplate(await sql(), params.family, url.searchParams.get('format') ?? 'xlsx');
    return new Response(t.body as BodyInit, { headers: { 'content-type': t.type, 'content-disposition': `attachment; filename="${t.name}"` } });
  } catch (e) {
    if (e instanceof UploadError) error(e.status, e.message);
    throw e;
  }
};
