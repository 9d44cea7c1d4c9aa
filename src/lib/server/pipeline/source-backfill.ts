/**
 * One source's history over a range an administrator chose ("Nạp lịch sử"), as the `backfill-source`
 * job runs it: window by window (the pieces the source answers in one go, splitWindow), each stored
 * by backfillSource and recorded as a poll run naming the job, so that progress and a result per
 * window are read while it runs (jobs/status.ts). A window that fails is recorded as a failed run,
 * with its reason, and the job goes on to the next; a job retried after a crash skips the windows
 * already stored. After each window, a NOTIFY on the sources channel (as a poll sends), so screens
 * and tests following the job hear of it. The boards of the range are recomputed once, at the end.
 *
 * There is no range limit here: a backfill reaches as far back as the source answers (a source that
 * refuses old dates fails those windows, in its own words). A scheduled poll keeps its short window.
 */
import { sql as expr } from 'drizzle-orm';
import { orm, type Sql } from '#db/client';
import { ERROR_STAGES, pollRuns, type ErrorStage, type Granularity } from '#db/schema/sources';
import { SOURCES_CHANNEL } from '#contract/notify';
import { FAILED_BODY_KEPT_CHARS } from '../limits.ts';
import type { Logger } from '../log.ts';
import { backfillSource, recomputePeriodBoards, recomputeRange } from './backfill.ts';
import { splitWindow, type SourceRow } from './poll.ts';
import { periodPieces } from './periods.ts';
import type { ValuePeriodKind } from '#db/schema/samples';
import type { Window } from './mapping/validate.ts';

/**
 * The windows a backfill of `range` asks for, in order: whole months for a monthly source; for a
 * periodic source (`periods`), every period of its kinds that overlaps the range, oldest first.
 */
export function backfillWindows(granularity: Granularity, range: Window, periods?: readonly ValuePeriodKind[] | null): Window[] {
  if (periods?.length) return periodPieces(range, periods);
  const from = granularity === 'month' ? `${range.from.slice(0, 7)}-01` : range.from;
  return splitWindow({ from, to: range.to }, granularity);
}

export interface SourceBackfillSummary {
  windows: number;
  failed: number;
  /** Samples stored (accepted) and rows rejected, over every window of the job (a retried job's earlier windows included). */
  samples: number;
  rejected: number;
}

/** A failure in words, with the vendor's own message when the error carries one that is not in it yet. */
function describe(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const vendor = e && typeof e === 'object' && 'vendorMessage' in e && typeof e.vendorMessage === 'string' ? e.vendorMessage : null;
  return vendor && !message.includes(vendor) ? `${message} — ${vendor}` : message;
}

export async function runSourceBackfill(
  sql: Sql,
  source: SourceRow,
  range: Window,
  options: { jobId: string; secretKeyHex?: string; log?: Logger }
): Promise<SourceBackfillSummary> {
  const log = options.log?.child({ source: source.key, jobId: options.jobId });
  const windows = backfillWindows(source.granularity, range, source.periods);
  const periodic = !!source.periods?.length;
  const stored = await sql<{ from: string; to: string }[]>`
    select window_from::text as from, window_to::text as to from poll_runs where job_id = ${options.jobId} and outcome <> 'failed'`;
  const done = new Set(stored.map((w) => `${w.from}|${w.to}`));
  const changedWindows: Window[] = [];
  const changedPeriods: { kind: ValuePeriodKind; start: string }[] = [];
  const changedMetricIds = new Set<number>();
  for (const w of windows) {
    if (done.has(`${w.from}|${w.to}`)) continue; // a retried job: this window is already stored
    const startedAt = new Date();
    const t0 = performance.now();
    try {
      const r = await backfillSource(sql, source, w, { secretKeyHex: options.secretKeyHex, log, recompute: false, jobId: options.jobId });
      if (r.changed > 0) changedWindows.push(w);
      changedPeriods.push(...r.changedPeriods);
      for (const id of r.changedMetricIds) changedMetricIds.add(id);
    } catch (e) {
      const stage = e && typeof e === 'object' && 'stage' in e && (ERROR_STAGES as readonly unknown[]).includes(e.stage) ? (e.stage as ErrorStage) : null;
      const httpStatus = e && typeof e === 'object' && 'httpStatus' in e && typeof e.httpStatus === 'number' ? e.httpStatus : null;
      const body = e && typeof e === 'object' && 'body' in e && typeof e.body === 'string' ? e.body : null;
      const attempts = e && typeof e === 'object' && 'attempts' in e && typeof e.attempts === 'number' ? e.attempts : 1;
      await orm(sql).insert(pollRuns).values({
        sourceId: source.id, startedAt, finishedAt: expr`clock_timestamp()`, durationMs: Math.round(performance.now() - t0), outcome: 'failed',
        httpStatus, trigger: 'backfill', attempts, windowFrom: w.from, windowTo: w.to, error: describe(e), errorStage: stage,
        rawBody: body ? body.slice(0, FAILED_BODY_KEPT_CHARS) : null, jobId: options.jobId
      });
      log?.warn({ from: w.from, to: w.to, err: e }, 'backfill window failed; going on with the next');
    }
    // A window's run is in the source's history now: the screens following the source (and the job) hear of it.
    await sql`select pg_notify(${SOURCES_CHANNEL}, ${JSON.stringify({ sourceId: source.id })})`;
  }
  // Only the boards the job changed: a second backfill of the same range recomputes nothing. A
  // resumed job cannot know what its first attempt changed, so it recomputes the whole range.
  if (periodic) {
    if (stored.length) await recomputePeriodBoards(sql, { changedPeriods: windows.flatMap((w) => (w.period ? [w.period] : [])), changedMetricIds: null });
    else if (changedPeriods.length) await recomputePeriodBoards(sql, { changedPeriods, changedMetricIds });
  } else if (stored.length) await recomputeRange(sql, { from: windows[0]!.from, to: windows.at(-1)!.to }, log);
  else if (changedWindows.length) await recomputeRange(sql, { from: changedWindows[0]!.from, to: changedWindows.at(-1)!.to }, log);
  const [totals] = await sql<{ failed: number; samples: number; rejected: number }[]>`
    select count(*) filter (where outcome = 'failed')::int as failed, coalesce(sum(accepted), 0)::int as samples, coalesce(sum(rejected), 0)::int as rejected
    from (select distinct on (window_from, window_to) outcome, accepted, rejected from poll_runs where job_id = ${options.jobId}
          order by window_from, window_to, id desc) last`;
  const summary = { windows: windows.length, ...totals! };
  log?.info({ from: range.from, to: range.to, ...summary }, 'source backfilled');
  return summary;
}
