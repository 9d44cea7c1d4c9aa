/**
 * What the admin screens show of a job: read from pg-boss's own job rows, and for a backfill from
 * the poll runs its windows recorded (naming the job).
 */
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import type { Queryable } from '#db/client';
import type { Granularity } from '#db/schema/sources';
import type { BackfillWindow, JobState, JobStatus, PollJobOutcome, PollSkip } from '#contract/jobs';
import { backfillWindows } from '../pipeline/source-backfill.ts';
import { sourcePeriods } from '../pipeline/periods.ts';
import type { ValuePeriodKind } from '#db/schema/samples';
import { POLL_QUEUE, RECOMPUTE_QUEUE, SOURCE_BACKFILL_QUEUE, payloadError, sourceBackfillJobSchema } from './queues.ts';

const STATE: Record<JobWithMetadata['state'], JobState> = {
  created: 'queued', retry: 'retrying', active: 'running', completed: 'done', failed: 'failed', cancelled: 'failed'
};

/** The message of a job's output: what the handler returned on failure, or the error pg-boss stored. */
function messageOf(output: unknown): string | null {
  if (output && typeof output === 'object' && 'message' in output && typeof output.message === 'string') return output.message;
  return null;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** A batch of recompute jobs as one: failed if any failed, done when all are, running once any started. */
export async function readRecomputeStatus(boss: PgBoss, batch: string): Promise<JobStatus | null> {
  const jobs = await boss.findJobs(RECOMPUTE_QUEUE, { data: { batch } });
  if (!jobs.length) return null;
  const states = jobs.map((j) => STATE[j.state]);
  const done = states.filter((s) => s === 'done').length;
  const failed = jobs.find((j) => STATE[j.state] === 'failed');
  const retrying = jobs.find((j) => j.state === 'retry');
  const state: JobState = failed
    ? 'failed'
    : done === jobs.length
      ? 'done'
      : retrying
        ? 'retrying'
        : states.some((s) => s === 'running') || done > 0
          ? 'running'
          : 'queued';
  const finished = jobs.map((j) => j.completedOn).filter((d): d is Date => Boolean(d));
  return {
    kind: 'recompute', state, done, total: jobs.length,
    error: messageOf((failed ?? retrying)?.output) ?? (failed ? 'the job failed without a message' : null),
    finishedAt: state === 'done' || state === 'failed' ? iso(finished.sort((a, b) => +new Date(a) - +new Date(b)).at(-1)) : null,
    poll: null
  };
}

/** One "poll now": its state, and the poll run it recorded once it ran. */
export async function readPollStatus(boss: PgBoss, id: string): Promise<JobStatus | null> {
  const [job] = await boss.findJobs(POLL_QUEUE, { id });
  if (!job) return null;
  const state = STATE[job.state];
  const out = (job.output ?? {}) as Partial<{ pollRunId: number | null; outcome: PollJobOutcome['outcome']; accepted: number; rejected: number; error: string | null; skipped: PollSkip }>;
  const poll: PollJobOutcome | null =
    state !== 'done'
      ? null
      : out.skipped
        ? { runId: null, outcome: 'skipped', accepted: 0, rejected: 0, error: null, skipped: out.skipped }
        : { runId: out.pollRunId ?? null, outcome: out.outcome ?? 'success', accepted: out.accepted ?? 0, rejected: out.rejected ?? 0, error: out.error ?? null, skipped: null };
  return {
    kind: 'poll', state, done: state === 'done' ? 1 : 0, total: 1,
    error: state === 'failed' || state === 'retrying' ? (messageOf(job.output) ?? 'the poll failed without a message') : null,
    finishedAt: state === 'done' || state === 'failed' ? iso(job.completedOn) : null,
    poll
  };
}

/**
 * A source's backfill ("Nạp lịch sử"): the job's state from pg-boss, and its windows from the poll
 * runs that name the job (written as each window finishes, so they are read while it runs).
 */
export async function readBackfillStatus(boss: PgBoss, sql: Queryable, id: string): Promise<JobStatus | null> {
  const [job] = await boss.findJobs(SOURCE_BACKFILL_QUEUE, { id });
  if (!job) return null;
  const data = sourceBackfillJobSchema.safeParse(job.data);
  if (!data.success) return { kind: 'backfill', state: 'failed', done: 0, total: 0, error: payloadError(data.error), finishedAt: iso(job.completedOn), poll: null, backfill: null };
  const { sourceId, from, to } = data.data;
  const [source] = await sql<{ key: string; name: string; granularity: Granularity; periods: ValuePeriodKind[] | null }[]>`
    select key, name, granularity, periods from data_sources where id = ${sourceId}`;
  const runs = await sql<{ id: number; from: string; to: string; outcome: string; accepted: number; rejected: number; error: string | null }[]>`
    select distinct on (window_from, window_to) id, window_from::text as from, window_to::text as to, outcome, accepted, rejected, error
    from poll_runs where job_id = ${id} order by window_from, window_to, id desc`;
  const windows: BackfillWindow[] = runs.map((r) => ({
    from: r.from, to: r.to, state: r.outcome === 'failed' ? 'failed' : 'done', accepted: r.accepted, rejected: r.rejected,
    error: r.outcome === 'failed' ? r.error : null, runId: r.id
  }));
  const refused = (job.output as { refused?: unknown } | null)?.refused;
  let state = STATE[job.state];
  let error = state === 'failed' || state === 'retrying' ? (messageOf(job.output) ?? 'việc nạp lịch sử dừng mà không rõ lý do') : null;
  if (state === 'done' && typeof refused === 'string') [state, error] = ['failed', refused];
  return {
    kind: 'backfill', state, done: windows.length,
    total: source ? backfillWindows(source.granularity, { from, to }, sourcePeriods(source.periods)).length : windows.length,
    error, finishedAt: state === 'done' || state === 'failed' ? iso(job.completedOn) : null, poll: null,
    backfill: {
      sourceKey: source?.key ?? `#${sourceId}`, sourceName: source?.name ?? '', from, to, windows,
      samples: windows.reduce((n, w) => n + w.accepted, 0), rejected: windows.reduce((n, w) => n + w.rejected, 0),
      failed: windows.filter((w) => w.state === 'failed').length
    }
  };
}
