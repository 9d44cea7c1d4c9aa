import { error } from '@sveltejs/kit';
import { NotFoundError } from '#server/boards';
import { sql } from '#server/db';
import { canReadDetail } from '$lib/server/auth/access';
import { parseBriefingQuery } from '$lib/server/briefings/query';
import { briefingDefaults, briefingScope, readBriefing } from '$lib/server/briefings/read';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

/** Printed, not used: no script is sent (nothing runs in the print, nothing live on paper). */
export const csr = false;

/**
 * The monthly briefing (báo cáo giao ban) as an A4 page, which Chromium prints to PDF
 * (GET /api/v1/briefings) and a person may open and print too. Read as the unit page's detail is: a
 * leader or administrator any scope, an officer their own unit and below. Default: an officer's own
 * unit (else the home unit), the reporting month holding today.
 */
export const load: PageServerLoad = async ({ url, locals }) => {
  const db = await sql();
  const locale = getLocale();
  const parsed = parseBriefingQuery(url, await briefingDefaults(db, locals.principal), locale);
  if (!parsed.ok) error(400, parsed.message);
  const { query } = parsed;
  if (!(await canReadDetail(db, locals.principal, query.scope))) error(403, m.brief_forbidden({ scope: query.scope }, { locale }));
  const scope = await briefingScope(db, query, locale);
  if (!scope.ok) error(scope.status, scope.message);
  try {
    return { briefing: await readBriefing(db, query), generatedAt: new Date().toISOString() };
  } catch (e) {
    if (e instanceof NotFoundError) error(404, e.message);
    throw e;
  }
};
