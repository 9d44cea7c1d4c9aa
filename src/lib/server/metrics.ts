/**
 * GET /metrics: this web process's own figures (prom-client's default Node.js metrics: memory,
 * event-loop lag, GC) followed by the data sources' counters, which live in the database
 * (source_health) so that one scrape covers every worker process and survives restarts.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Queryable as Sql } from '#db/client';
import { renderMetrics } from './sources.ts';
import { sourceHealthRows } from './read/sources-queries.ts';
import { workerLiveness } from './read/heartbeats-queries.ts';

const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'cityops_web_' });

export const METRICS_CONTENT_TYPE = registry.contentType;

export async function metricsText(sql: Sql): Promise<string> {
  const { alive } = await workerLiveness(sql);
  return (await registry.metrics()) + '\n' + renderMetrics(await sourceHealthRows(sql), alive);
}
