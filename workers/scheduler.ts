/**
 * pg-boss wiring: one queue of polls, at most one poll of a source queued and one running at a
 * time across every worker process (policy "stately", keyed by source); each worker process ticks
 * and asks for a poll of each enabled source once per its interval (pg-boss drops the duplicates).
 */
import { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Sql } from '#db/client';
import { loadSource, pollSource, type PollOutcome } from '#server/pipeline/poll';
import { runPendingHistory } from '#server/pipeline/history';
import { runSlowBoards, SLOW_BOARDS_SECONDS } from '#server/ranking/slow-boards';
import type { RetryPolicy } from '#server/pipeline/client';
import { POLL_NOW_CHANNEL, pollNowSchema } from '#contract/notify';
import type { Logger } from '#server/log';

export const POLL_QUEUE = 'poll-source';
export const HISTORY_QUEUE = 'backfill-history';

export const pollJobSchema = z.object({ sourceId: z.number().int().positive(), reason: z.enum(['schedule', 'manual']).default('schedule') });
export type PollJob = z.infer<typeof pollJobSchema>;

export async function createBoss(url: string, schema = 'pgboss'): Promise<PgBoss> {
  // A short supervise interval: a poll whose worker died is noticed (missed heartbeat) within seconds.
  const boss = new PgBoss({ connectionString: url, schema, max: 4, application_name: 'city-ops-boss', superviseIntervalSeconds: 5, monitorIntervalSeconds: 5 } as never);
  await boss.start();
  // heartbeatSeconds: a worker killed in the middle of a poll stops beating, and the poll is retried
  // by another worker within about 10 s instead of waiting for the job to expire.
  await boss.createQueue(POLL_QUEUE, {
    policy: 'stately', retryLimit: 2, retryDelay: 1, retryBackoff: true, expireInSeconds: 600, heartbeatSeconds: 10
  });
  await boss.createQueue(HISTORY_QUEUE, { policy: 'stately', retryLimit: 3, retryDelay: 10, expireInSeconds: 3600 });
  return boss;
}

/** Ask for a poll now (also the "poll now" command of the admin screens). */
export function requestPoll(boss: PgBoss, sourceId: number, reason: PollJob['reason'] = 'manual', intervalSeconds?: number) {
  return boss.send(POLL_QUEUE, { sourceId, reason } satisfies PollJob, {
    singletonKey: `source:${sourceId}`,
    ...(intervalSeconds ? { singletonSeconds: intervalSeconds } : {})
  });
}

export interface WorkerOptions {
  sql: Sql;
  boss: PgBoss;
  secretKeyHex?: string;
  /** The worker process's logger; each poll logs through a child carrying its source and poll run. */
  log: Logger;
  onPoll?: (outcome: PollOutcome & { sourceId: number }) => void;
  /** Retries inside one poll (tests shorten the waits). */
  retry?: RetryPolicy;
  /** Polls run side by side in this process, so one slow source holds up no other. */
  concurrency?: number;
  /** How often the long boards marked by polls are recomputed. */
  slowBoardsSeconds?: number;
}

export async function startWorkers({ sql, boss, secretKeyHex, log, onPoll, retry, concurrency = 4, slowBoardsSeconds = SLOW_BOARDS_SECONDS }: WorkerOptions) {
  await boss.work<PollJob>(POLL_QUEUE, { pollingIntervalSeconds: 0.5, localConcurrency: concurrency }, async (jobs) => {
    for (const job of jobs) {
      const data = pollJobSchema.parse(job.data);
      const source = await loadSource(sql, data.sourceId);
      if (!source || source.kind === 'upload') {
        log.info({ sourceId: data.sourceId }, `poll skipped: the source ${source ? 'takes uploads only' : 'no longer exists'}`);
        continue;
      }
      const outcome = await pollSource(sql, source, { secretKeyHex, trigger: data.reason, retry });
      const pollLog = log.child({ source: source.key, pollRunId: outcome.pollRunId });
      const { outcome: result, accepted, rejected, changed, error } = outcome;
      pollLog[result === 'failed' ? 'warn' : result === 'skipped' ? 'debug' : 'info']({ trigger: data.reason, accepted, rejected, changed, error: error ?? undefined }, `poll ${result}`);
      onPoll?.({ ...outcome, sourceId: source.id });
    }
  });
  await boss.work(HISTORY_QUEUE, { pollingIntervalSeconds: 1 }, async () => {
    await runPendingHistory(sql, { secretKeyHex, log });
  });
  // "Poll now" from the admin screens arrives as a NOTIFY (the web process has no pg-boss).
  const pollNow = await sql.listen(POLL_NOW_CHANNEL, (payload) => {
    const parsed = pollNowSchema.safeParse((() => { try { return JSON.parse(payload); } catch { return null; } })());
    if (!parsed.success) return log.warn({ payload }, 'ignored a malformed poll-now NOTIFY');
    requestPoll(boss, parsed.data.sourceId, 'manual').catch((err) => log.error({ err }, 'poll now failed'));
  });
  const [pending] = await sql`select 1 from app_meta where key = 'history_pending'`;
  if (pending) await boss.send(HISTORY_QUEUE, {}, { singletonKey: 'history' });

  // The ticker: each enabled source, once per its interval.
  const lastAsked = new Map<number, number>();
  let stopped = false;
  async function tick() {
    const sources = await sql<{ id: number; interval_seconds: number }[]>`
      select id, interval_seconds from data_sources where enabled and kind <> 'upload'`;
    const now = Date.now();
    for (const s of sources) {
      if (now - (lastAsked.get(s.id) ?? 0) >= s.interval_seconds * 1000) {
        lastAsked.set(s.id, now);
        await requestPoll(boss, s.id, 'schedule', s.interval_seconds);
      }
    }
  }
  const timer = setInterval(() => {
    if (!stopped) tick().catch((err) => log.error({ err }, 'scheduler tick failed'));
  }, 1000);
  // The long boards (quarter, year, reporting quarter and year) touched since the last pass.
  const slow = setInterval(() => {
    if (stopped) return;
    runSlowBoards(sql)
      .then((n) => n && log.info({ boards: n }, 'long boards recomputed'))
      .catch((err) => log.error({ err }, 'long boards failed'));
  }, slowBoardsSeconds * 1000);
  await tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(slow);
      await pollNow.unlisten();
    }
  };
}
