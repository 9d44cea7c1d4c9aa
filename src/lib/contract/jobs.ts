/**
 * A job's progress as the admin screens read it (GET /admin/jobs/{kind}/{id}): a recompute batch
 * (a scheme change, a units import: one job per board period), a "poll now", or a source's history
 * ("Nạp lịch sử": one piece per window the source answers in one go).
 */
export const JOB_KINDS = ['recompute', 'poll', 'backfill'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATES = ['queued', 'running', 'retrying', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Why a poll job did not poll: its source was disabled, deleted, or takes uploads only. */
export const POLL_SKIPS = ['disabled', 'missing', 'upload'] as const;
export type PollSkip = (typeof POLL_SKIPS)[number];

export interface PollJobOutcome {
  /** The poll run it recorded (null when skipped before any run). */
  runId: number | null;
  outcome: 'success' | 'partial' | 'failed' | 'skipped';
  accepted: number;
  rejected: number;
  /** Why the poll failed, or was skipped by an open circuit breaker, in the worker's words. */
  error: string | null;
  /** Set when the job did not poll at all. */
  skipped: PollSkip | null;
}

/** One window of a source's backfill, once it has run: stored (some rows may be rejected), or failed with its reason. */
export interface BackfillWindow {
  from: string;
  to: string;
  state: 'done' | 'failed';
  /** Samples stored, and source rows rejected (with reasons in the poll run). */
  accepted: number;
  rejected: number;
  /** Why the window failed (the vendor's own message included when it gave one); null when it was stored. */
  error: string | null;
  /** Its poll run (trigger "backfill"): the rejected rows' reasons, the body kept on a failure. */
  runId: number;
}

export interface BackfillProgress {
  sourceKey: string;
  sourceName: string;
  /** The range asked (ISO dates). */
  from: string;
  to: string;
  /** The windows finished so far, in date order (JobStatus.done of JobStatus.total). */
  windows: BackfillWindow[];
  samples: number;
  rejected: number;
  /** Windows that failed (the job goes on after each). */
  failed: number;
}

export interface JobStatus {
  kind: JobKind;
  state: JobState;
  /** Pieces finished, and in all: the board periods of a recompute; 1 for a poll. */
  done: number;
  total: number;
  /** Why it failed (or why the last attempt failed, while it is retried), in the worker's words. */
  error: string | null;
  /** When the last piece finished (ISO 8601 UTC), once done or failed. */
  finishedAt: string | null;
  /** A poll's outcome, once it ran. */
  poll: PollJobOutcome | null;
  /** A backfill's windows so far (kind "backfill"; absent or null for the other kinds). */
  backfill?: BackfillProgress | null;
}
