/** Read model of the data sources' health (table source_health + the time now). */
import { DateTime } from 'luxon';
import type { Queryable as Sql } from '#db/client';
import { isoTimestamp } from '#db/client';
import type { SourceHealth } from '#contract/dto';
import { ZONE } from '#domain/periods';
import { sourceHealthRows, sourceKeysCovering, type SourceHealthRow } from './read/sources-queries.ts';

type Row = SourceHealthRow;

/** Derives what changes with time alone (stale, a missed deadline, a breaker ready for its trial). */
export function toSourceHealth(r: Row, now: Date = new Date()): SourceHealth {
  const lastSuccess = r.last_success_at ? new Date(r.last_success_at) : null;
  const stale = r.enabled && (lastSuccess === null ? r.last_poll_at !== null : now.getTime() - lastSuccess.getTime() > r.stale_after_seconds * 1000);
  let missedDeadline = false;
  if (r.enabled && r.daily_deadline) {
    const local = DateTime.fromJSDate(now, { zone: ZONE });
    const [h, m] = r.daily_deadline.split(':').map(Number);
    const deadline = local.set({ hour: h, minute: m, second: 0, millisecond: 0 });
    missedDeadline = local >= deadline && (lastSuccess === null || lastSuccess < local.startOf('day').toJSDate());
  }
  const retryAt = r.breaker_retry_at ? new Date(r.breaker_retry_at) : null;
  const breakerState: SourceHealth['breaker']['state'] =
    r.breaker_state === 'open' ? (retryAt && retryAt > now ? 'open' : 'half_open') : 'closed';
  const failures = r.consecutive_failures ?? 0;
  const status: SourceHealth['status'] = !r.enabled
    ? 'disabled'
    : breakerState !== 'closed'
      ? 'circuit_open'
      : stale
        ? 'stale'
        : failures > 0
          ? 'failing'
          : r.last_outcome === 'partial'
            ? 'partial'
            : r.last_outcome
              ? 'ok'
              : 'never_polled';
  return {
    key: r.key,
    name: r.name,
    family: r.family,
    kind: r.kind,
    enabled: r.enabled,
    status,
    lastPollAt: isoTimestamp(r.last_poll_at),
    lastSuccessAt: isoTimestamp(r.last_success_at),
    lastOutcome: r.last_outcome,
    lastError: r.last_error,
    lastErrorStage: r.last_error_stage ?? null,
    consecutiveFailures: failures,
    breaker: { state: breakerState, retryAt: breakerState === 'closed' ? null : isoTimestamp(r.breaker_retry_at) },
    stale,
    staleAfterSeconds: r.stale_after_seconds,
    dailyDeadline: r.daily_deadline,
    missedDeadline,
    coveredThrough: r.covered_through
  };
}

export async function readSourceHealth(sql: Sql, now: Date = new Date()): Promise<SourceHealth[]> {
  return (await sourceHealthRows(sql)).map((r) => toSourceHealth(r, now));
}

/**
 * The health of the sources behind a unit's figures, in the sources' order: those with no scope
 * (every unit), those scoped to the unit itself or to one of its ancestors, and those scoped to one
 * of its descendants (they feed part of its totals, e.g. a commune's uploaded template in its
 * district's figures).
 */
export async function readSourceHealthForUnit(sql: Sql, unitCode: string, now: Date = new Date()): Promise<SourceHealth[]> {
  const [keys, health] = await Promise.all([sourceKeysCovering(sql, unitCode), readSourceHealth(sql, now)]);
  const covering = new Set(keys);
  return health.filter((h) => covering.has(h.key));
}

/** The Prometheus text exposition (format 0.0.4) of the sources' counters and states. */
export function renderMetrics(rows: Row[], workersAlive: number, now: Date = new Date()): string {
  const out: string[] = [];
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const family = (name: string, type: string, help: string, samples: [Record<string, string>, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels).map(([k, v]) => `${k}="${esc(v)}"`).join(',');
      out.push(`${name}${l ? `{${l}}` : ''} ${Number.isFinite(value) ? value : 0}`);
    }
  };
  const health = rows.map((r) => ({ r, h: toSourceHealth(r, now) }));
  family('cityops_source_polls_total', 'counter', 'Polls of a data source by outcome.', health.flatMap(({ r }) => [
    [{ source: r.key, outcome: 'success' }, r.polls_success ?? 0],
    [{ source: r.key, outcome: 'partial' }, r.polls_partial ?? 0],
    [{ source: r.key, outcome: 'failed' }, r.polls_failed ?? 0],
    [{ source: r.key, outcome: 'skipped' }, r.polls_skipped ?? 0]
  ] as [Record<string, string>, number][]));
  family('cityops_source_samples_ingested_total', 'counter', 'Samples accepted from a data source (stored or unchanged).',
    health.map(({ r }) => [{ source: r.key }, r.samples_accepted ?? 0]));
  family('cityops_source_rows_rejected_total', 'counter', 'Rows of a data source rejected by validation.',
    health.map(({ r }) => [{ source: r.key }, r.rows_rejected ?? 0]));
  family('cityops_source_poll_duration_seconds', 'summary', 'Time spent in polls of a data source.', health.flatMap(({ r }) => [
    [{ source: r.key, __suffix: '_sum' }, (r.poll_duration_ms_sum ?? 0) / 1000],
    [{ source: r.key, __suffix: '_count' }, (r.polls_success ?? 0) + (r.polls_partial ?? 0) + (r.polls_failed ?? 0)]
  ] as [Record<string, string>, number][]));
  family('cityops_source_breaker_state', 'gauge', 'Circuit breaker of a data source: 1 for its current state.', health.flatMap(({ r, h }) =>
    (['closed', 'open', 'half_open'] as const).map((state) => [{ source: r.key, state }, h.breaker.state === state ? 1 : 0] as [Record<string, string>, number])));
  family('cityops_source_stale', 'gauge', '1 when a data source has had no success within its stale-after time.',
    health.map(({ r, h }) => [{ source: r.key }, h.stale ? 1 : 0]));
  family('cityops_source_consecutive_failures', 'gauge', 'Failed polls in a row.', health.map(({ r, h }) => [{ source: r.key }, h.consecutiveFailures]));
  family('cityops_source_last_success_timestamp_seconds', 'gauge', 'Unix time of the last successful poll (0 = never).',
    health.map(({ r }) => [{ source: r.key }, r.last_success_at ? new Date(r.last_success_at).getTime() / 1000 : 0]));
  family('cityops_workers_alive', 'gauge', 'Worker processes with a heartbeat in the last 30 s.', [[{}, workersAlive]]);
  // A summary's samples carry a suffix on the name, not a label.
  return out.map((line) => line.replace(/^(\w+)\{(.*?),?__suffix="(_sum|_count)"\}/, '$1$3{$2}')).join('\n') + '\n';
}
