/**
 * GET /metrics: this web process's own figures (prom-client's default Node.js metrics: memory,
 * event-loop lag, GC) followed by the data sources' counters, which live in the database
 * (source_health) so that one scrape covers every worker process and survives restarts.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Queryable as Sql } from '#db/client';
import { readSourceRows, renderMetrics } from './sources.ts';
import { WORKER_ALIVE_SECONDS } from './limits.ts';

const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'cityops_web_' });

export const METRICS_CONTENT_TYPE = registry.contentType;

export async function metricsText(sql: Sql): Promise<string> {
  const [w] = await sql<{ alive: number }[]>`select count(*)::int as alive from worker_heartbeats where last_seen_at > now() - make_interval(secs => ${WORKER_ALIVE_SECONDS})`;
  return (await registry.metrics()) + '\n' + renderMetrics(await readSourceRows(sql), w?.alive ?? 0);
}
