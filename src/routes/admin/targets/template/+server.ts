import { sql } from '#server/db';
import { targetsTemplate } from '$lib/server/admin/targets';
import type { RequestHandler } from './$types';

/** The spreadsheet to fill: ?format=xlsx (default) or csv. */
export const GET: RequestHandler = async ({ url }) => {
  const t = await targetsTemplate(await sql(), url.searchParams.get('format') === 'csv' ? 'csv' : 'xlsx');
  return new Response(t.body as BodyInit, { headers: { 'content-type': t.type, 'content-disposition': `attachment; filename="${t.name}"` } });
};
