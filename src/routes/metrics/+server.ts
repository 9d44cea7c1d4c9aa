import { METRICS_CONTENT_TYPE, metricsText } from '#server/metrics';
import { sql } from '#server/db';
import type { RequestHandler } from './$types';

/** GET /metrics, Prometheus text format (see src/lib/server/metrics.ts). */
export const GET: RequestHandler = async () =>
  new Response(await metricsText(await sql()), { headers: { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' } });
