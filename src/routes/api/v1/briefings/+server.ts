import { json } from '@sveltejs/kit';
import { sql } from '#server/db';
import { logger } from '#server/log';
import { canReadDetail } from '$lib/server/auth/access';
import { apiLocale } from '$lib/server/api/respond';
import { parseBriefingQuery } from '$lib/server/briefings/query';
import { briefingDefaults, briefingScope } from '$lib/server/briefings/read';
import { BriefingPageError, briefingFileNames, contentDisposition, ownOrigin, renderBriefingPdf } from '$lib/server/briefings/render';
import { ChromiumUnavailableError, PrintQueueFullError } from '$lib/server/briefings/browser';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

const say = (status: number, message: string) => json({ message }, { status, headers: { 'cache-control': 'no-store' } });

/**
 * GET /api/v1/briefings?scope=<code>&period=<kind>&date=YYYY-MM-DD → the monthly briefing as a PDF
 * (Chromium printing /briefings/print as the caller). Default: the caller's unit (an officer) or the
 * home unit, the reporting month holding today. Refusals and failures in words, in the caller's
 * language: 400 naming the parameter, 403, 404, 503 when Chromium is missing.
 */
export const GET: RequestHandler = async ({ url, locals, request }) => {
  const locale = apiLocale(request);
  const o = { locale };
  const principal = locals.principal;
  if (principal.kind !== 'user') return say(403, m.brief_forbidden({ scope: url.searchParams.get('scope') ?? '' }, o));
  const db = await sql();
  const parsed = parseBriefingQuery(url, await briefingDefaults(db, principal), locale);
  if (!parsed.ok) return say(400, parsed.message);
  const q = parsed.query;
  if (!(await canReadDetail(db, principal, q.scope))) return say(403, m.brief_forbidden({ scope: q.scope }, o));
  const scope = await briefingScope(db, q, locale);
  if (!scope.ok) return say(scope.status, scope.message);
  const unit = scope.unit;
  try {
    const pdf = await renderBriefingPdf({ ...q, userId: principal.user.id, locale, origin: ownOrigin(url.origin) });
    const names = briefingFileNames(unit, q, locale);
    return new Response(new Uint8Array(pdf), {
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': contentDisposition(names.ascii, names.words),
        'cache-control': 'no-store'
      }
    });
  } catch (e) {
    if (e instanceof ChromiumUnavailableError) {
      logger('web').error({ err: e, executablePath: e.executablePath }, 'briefing: Chromium unavailable');
      return say(503, e.reason === 'missing' ? m.brief_no_chromium({ path: e.executablePath }, o) : m.brief_chromium_failed({}, o));
    }
    if (e instanceof PrintQueueFullError) return json({ message: m.brief_busy({}, o) }, { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '30' } });
    if (e instanceof BriefingPageError) return say(e.status >= 400 && e.status < 600 ? e.status : 502, e.message);
    if (e instanceof Error && e.name === 'TimeoutError') {
      logger('web').error({ err: e, query: q }, 'briefing: printing timed out');
      return say(504, m.brief_timeout({}, o));
    }
    throw e;
  }
};
