/**
 * `poll-source`: one poll of one source. A source that was disabled or deleted after its poll was
 * queued is skipped with a log line (the job completes: nothing to retry); a poll's own failure is
 * an outcome (recorded as a run), not a failed job — only a crash of the handler is retried.
 */
import type { Sql } from '#db/client';
import { loadSource, pollSource, type PollOutcome } from '#server/pipeline/poll';
import type { RetryPolicy } from '#server/pipeline/client';
import { POLL_QUEUE, pollJobSchema } from '#server/jobs/queues';
import type { PollSkip } from '#contract/jobs';
import { workParsed, type WorkerContext } from './work.ts';

const SKIP_WORDS: Record<PollSkip, string> = { missing: 'no longer exists', disabled: 'is disabled', upload: 'takes uploads only' };

export interface PollWorkerOptions extends WorkerContext {
  sql: Sql;
  secretKeyHex?: string;
  onPoll?: (outcome: PollOutcome & { sourceId: number }) => void;
  retry?: RetryPolicy;
  /** Polls run side by side in this process, so one slow source holds up no other. */
  concurrency: number;
}

export function workPolls(ctx: PollWorkerOptions): Promise<string> {
  const { sql, boss, log, secretKeyHex, onPoll, retry, concurrency } = ctx;
  return workParsed(ctx, POLL_QUEUE, pollJobSchema, { pollingIntervalSeconds: 0.5, localConcurrency: concurrency }, async (data) => {
    const source = await loadSource(sql, data.sourceId);
    const skip: PollSkip | null = !source ? 'missing' : !source.enabled ? 'disabled' : source.kind === 'upload' ? 'upload' : null;
    if (!source || skip) {
      log(`poll skipped: source ${source?.key ?? data.sourceId} ${SKIP_WORDS[skip!]}`);
      return { skipped: skip };
    }
    const outcome = await pollSource(sql, source, { secretKeyHex, trigger: data.reason, retry, jobs: boss });
    if (outcome.outcome !== 'skipped') {
      log(`poll ${source.key}: ${outcome.outcome}, ${outcome.accepted} accepted, ${outcome.rejected} rejected, ${outcome.changed} changed${outcome.error ? ` — ${outcome.error}` : ''}`);
    }
    onPoll?.({ ...outcome, sourceId: source.id });
    const { pollRunId, accepted, rejected, changed, error } = outcome;
    return { pollRunId, outcome: outcome.outcome, accepted, rejected, changed, error };
  });
}
