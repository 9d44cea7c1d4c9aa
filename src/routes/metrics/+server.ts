import { readSourceRows, renderMetrics } from '#server/sources';
import { sql } from '#server/db';
import type { RequestHandler } from './$types';

/**
 * GET /metrics, Prometheus text format. The counters live in the database (source_health), so one
 * scrape of any web node covers every worker process, and a restart does not reset them.
 */
export const GET: RequestHandler = async () => {
  const db = await sql();
  const [w] = await db<{ alive: number }[]>`select count(*)::int as alive from worker_heartbeats where last_seen_at > now() - interval '30 seconds'`;
  return new Response(renderMetrics(await readSourceRows(db), w?.alive ?? 0), {
    headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' }
  });
};
