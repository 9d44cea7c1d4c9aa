/** What the admin screens show of a job: read from pg-boss's own job rows, nothing kept beside them. */
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import type { JobState, JobStatus, PollJobOutcome, PollSkip } from '#contract/jobs';
import { POLL_QUEUE, RECOMPUTE_QUEUE } from './queues.ts';

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
