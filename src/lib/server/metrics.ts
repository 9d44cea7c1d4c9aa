/**
 * GET /metrics: this web process's own figures (prom-client's default Node.js metrics: memory,
 * event-loop lag, GC) followed by the data sources' counters, which live in the database
 * (source_health) so that one scrape covers every worker process and survives restarts, and the
 * restarts of the processes `npm start`'s supervisor keeps running. While the database cannot be
 * reached, the scrape still answers: the process's figures, the restarts and
 * `cityops_database_up 0`.
 */
import { readFileSync } from 'node:fs';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Queryable as Sql } from '#db/client';
import { config } from './config.ts';
import { isDatabaseUnavailable } from './outage.ts';
import { renderMetrics } from './sources.ts';
import { sourceHealthRows } from './read/sources-queries.ts';
import { workerLiveness } from './read/heartbeats-queries.ts';

const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'cityops_web_' });

export const METRICS_CONTENT_TYPE = registry.contentType;

export async function metricsText(sql: Sql): Promise<string> {
  const head = (await registry.metrics()) + '\n' + renderRestarts(readRestarts(config().CITYOPS_RESTARTS_FILE));
  try {
    const { alive } = await workerLiveness(sql);
    return head + databaseUp(1) + renderMetrics(await sourceHealthRows(sql), alive);
  } catch (e) {
    if (!isDatabaseUnavailable(e)) throw e;
    return head + databaseUp(0);
  }
}

const databaseUp = (up: 0 | 1) =>
  `# HELP cityops_database_up 1 when the web process could read the database for this scrape.\n# TYPE cityops_database_up gauge\ncityops_database_up ${up}\n`;

/** The supervisor's count of restarts per process since it started (DATA_DIR/restarts.json), or null without one. */
export function readRestarts(file: string | undefined): Record<string, number> | null {
  if (!file) return null;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { processes?: Record<string, unknown> };
    const out: Record<string, number> = {};
    for (const [name, n] of Object.entries(parsed.processes ?? {})) if (typeof n === 'number' && Number.isFinite(n)) out[name] = n;
    return out;
  } catch {
    return null; // not written yet, or not under a supervisor
  }
}

export function renderRestarts(restarts: Record<string, number> | null): string {
  if (!restarts) return '';
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const lines = [
    '# HELP cityops_process_restarts_total Restarts of a process by npm start\'s supervisor since it started (web, workers, simulator, the embedded postgres).',
    '# TYPE cityops_process_restarts_total counter',
    ...Object.entries(restarts).map(([name, n]) => `cityops_process_restarts_total{process="${esc(name)}"} ${n}`)
  ];
  return lines.join('\n') + '\n';
}
