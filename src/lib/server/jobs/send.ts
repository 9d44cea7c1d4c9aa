/**
 * Small helpers that put work on the queues, for the web, the workers and the seed alike. Where the
 * work that asks for a job runs in a transaction (a poll, a scheme change, a units import), the job
 * is written in that same transaction (`inTransaction(tx)` as pg-boss's `db`): a rolled-back
 * change leaves no job behind, and a committed one always has its job.
 */
import { randomUUID } from 'node:crypto';
import type { Db as BossDb, JobInsert, PgBoss } from 'pg-boss';
import type { Queryable } from '#db/client';
import type { Period } from '#domain/periods';
import { BIG_BOARDS_DELAY_SECONDS, LONG_BOARDS_DELAY_SECONDS } from '#server/ranking/slow-boards';
import {
  HISTORY_QUEUE, POLL_QUEUE, RECOMPUTE_QUEUE, SOURCE_BACKFILL_QUEUE, type HistoryJob, type PollJob, type RecomputeCause, type RecomputeJob, type SourceBackfillJob
} from './queues.ts';

/** pg-boss's statements run on a postgres.js transaction (or pool), so a job commits or rolls back with it. */
export function inTransaction(tx: Queryable): BossDb {
  return { executeSql: async (text, values) => ({ rows: await tx.unsafe(text, (values ?? []) as never[]) }) };
}

const pollKey = (sourceId: number) => `source:${sourceId}`;

/**
 * Asks for a poll of a source. At most one waits per source (the queue is stately, keyed by source):
 * a request while one waits is absorbed and answers null. A scheduled poll also takes a slot of
 * `intervalSeconds`, so several worker processes ticking at once ask once.
 */
export function requestPoll(boss: PgBoss, sourceId: number, reason: PollJob['reason'] = 'manual', intervalSeconds?: number): Promise<string | null> {
  return boss.send(POLL_QUEUE, { sourceId, reason } satisfies PollJob, {
    singletonKey: pollKey(sourceId),
    ...(intervalSeconds ? { singletonSeconds: intervalSeconds } : {})
  });
}

/**
 * A person's "poll now": the job that will answer it — a new one, or the poll of this source already
 * waiting (a request is absorbed only by a waiting one). Null only if that one started between the
 * two steps and the second request was absorbed too.
 */
export async function pollNowJob(boss: PgBoss, sourceId: number): Promise<string | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const id = await requestPoll(boss, sourceId, 'manual');
    if (id) return id;
    const [waiting] = await boss.findJobs(POLL_QUEUE, { key: pollKey(sourceId), queued: true });
    if (waiting) return waiting.id;
  }
  return null;
}

/** Drops the polls of a source that are waiting (it was disabled or deleted); a poll already running finishes. */
export async function dropQueuedPolls(boss: PgBoss, sourceId: number): Promise<number> {
  const queued = await boss.findJobs(POLL_QUEUE, { key: pollKey(sourceId), queued: true });
  if (queued.length) await boss.deleteJob(POLL_QUEUE, queued.map((j) => j.id));
  return queued.length;
}

/**
 * The long boards a change touched (quarter, year and their reporting periods): one job per period,
 * starting LONG_BOARDS_DELAY_SECONDS later. While it waits, every other poll touching the same period
 * is absorbed into it (its singleton key), so the polls of those minutes cost one recompute.
 */
export async function queueLongBoards(boss: PgBoss, tx: Queryable, periods: Period[]): Promise<void> {
  if (!periods.length) return;
  const jobs: JobInsert<RecomputeJob>[] = periods.map((p) => ({
    data: { period: { kind: p.kind, start: p.start }, cause: 'long_boards' },
    singletonKey: `long:${p.kind}:${p.start}`,
    startAfter: LONG_BOARDS_DELAY_SECONDS
  }));
  await boss.insert(RECOMPUTE_QUEUE, jobs, { db: inTransaction(tx) });
}

/**
 * The big boards (the country's) a poll reached but left: recomputed BIG_BOARDS_DELAY_SECONDS later,
 * one job per period absorbing every poll of those seconds (one queued job per key: the queue is stately).
 */
export async function queueBigBoards(boss: PgBoss, tx: Queryable, periods: Period[], scopes: readonly number[], schemes: readonly string[]): Promise<void> {
  if (!periods.length || !scopes.length) return;
  const jobs: JobInsert<RecomputeJob>[] = periods.map((p) => ({
    data: { period: { kind: p.kind, start: p.start }, cause: 'big_boards', scopes: [...scopes].sort((a, b) => a - b), ...(schemes.length ? { schemes: [...schemes] } : {}) },
    singletonKey: `big:${p.kind}:${p.start}:${[...scopes].sort((a, b) => a - b).join(',')}`,
    startAfter: BIG_BOARDS_DELAY_SECONDS
  }));
  await boss.insert(RECOMPUTE_QUEUE, jobs, { db: inTransaction(tx) });
}

/**
 * Boards recomputed for an administrator's change (a scheme, a units import): one job per period,
 * all under one batch id, which the admin screens follow (see status.ts). Returns the batch id.
 */
export async function queueRecompute(
  boss: PgBoss,
  tx: Queryable,
  request: { periods: Period[]; schemes?: string[]; cause: RecomputeCause }
): Promise<string> {
  const batch = randomUUID();
  const jobs: JobInsert<RecomputeJob>[] = request.periods.map((p) => ({
    data: { period: { kind: p.kind, start: p.start }, cause: request.cause, batch, ...(request.schemes ? { schemes: request.schemes } : {}) },
    singletonKey: `${batch}:${p.kind}:${p.start}`
  }));
  await boss.insert(RECOMPUTE_QUEUE, jobs, { db: inTransaction(tx) });
  return batch;
}

/** The older history, backfilled by a worker after start (the seed leaves it). One at a time. */
export function queueHistory(boss: PgBoss, range: HistoryJob): Promise<string | null> {
  return boss.send(HISTORY_QUEUE, range, { singletonKey: 'history' });
}

/**
 * A source's history over a range ("Nạp lịch sử"). Per source at most one waits (and one runs): a
 * second request while one waits answers null.
 */
export function queueSourceBackfill(boss: PgBoss, job: SourceBackfillJob): Promise<string | null> {
  return boss.send(SOURCE_BACKFILL_QUEUE, job, { singletonKey: `source:${job.sourceId}` });
}
