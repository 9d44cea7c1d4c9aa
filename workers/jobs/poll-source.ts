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
import { evaluateAlerts } from '#server/alerts/evaluate';
import { RANKING_KINDS } from '#domain/alerts';
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
      log.info({ sourceId: data.sourceId, source: source?.key, trigger: data.reason }, `poll skipped: the source ${SKIP_WORDS[skip!]}`);
      return { skipped: skip };
    }
    const outcome = await pollSource(sql, source, { secretKeyHex, trigger: data.reason, retry, jobs: boss });
    const pollLog = log.child({ source: source.key, pollRunId: outcome.pollRunId });
    const { outcome: result, pollRunId, accepted, rejected, changed, error } = outcome;
    pollLog[result === 'failed' ? 'warn' : result === 'skipped' ? 'debug' : 'info']({ trigger: data.reason, accepted, rejected, changed, error: error ?? undefined }, `poll ${result}`);
    // The ranking rules, once the poll's boards committed (a poll that changed nothing moves no board).
    // An alert's failure is logged, never the poll's: its data is stored and the next poll evaluates again.
    if (outcome.changed > 0) {
      await evaluateAlerts(sql, { boss, kinds: RANKING_KINDS }).catch((err) => pollLog.error({ err }, 'alert evaluation after the poll failed'));
    }
    onPoll?.({ ...outcome, sourceId: source.id });
    return { pollRunId, outcome: result, accepted, rejected, changed, error };
  });
}
