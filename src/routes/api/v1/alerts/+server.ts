import { json } from '@sveltejs/kit';
import { sql } from '#server/db';
import { parseQuery } from '#server/http';
import { alertsQuerySchema, listAlerts } from '$lib/server/alerts/read';
import type { RequestHandler } from './$types';

/**
 * GET /api/v1/alerts[?from=YYYY-MM-DD&to=YYYY-MM-DD&unit=<code>&limit=N]: every alert raised (days in
 * Hà Nội time), newest first, with its deliveries. An officer sees those about their unit's subtree.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
  const query = parseQuery(alertsQuerySchema, url);
  return json({ alerts: await listAlerts(await sql(), locals.principal, query) });
};
