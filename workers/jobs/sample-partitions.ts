/**
 * `sample-partitions`: every day (and once when a worker process starts), the month partitions of
 * samples from this month to MONTHS_AHEAD after it, created if missing (src/lib/server/partitions.ts).
 * Its queue and schedule are the workers' own: the web never sends it. A month left for later (its
 * lock not granted in time) fails the job, which pg-boss retries.
 */
import { z } from 'zod';
import type { PgBoss } from 'pg-boss';
import type { Sql } from '#db/client';
import { today } from '#domain/periods';
import { ensureMonthsAhead } from '#server/partitions';
import { payloadError } from '#server/jobs/queues';
import type { WorkerContext } from './work.ts';

export const PARTITIONS_QUEUE = 'sample-partitions';
/** 00:15 in the city, every day. */
export const PARTITIONS_CRON = '15 0 * * *';

/** The day to count the months from (default: today in the city). */
export const partitionsJobSchema = z.object({ today: z.iso.date('must be a date written YYYY-MM-DD').optional() });

export async function createPartitionsQueue(boss: PgBoss): Promise<void> {
  // stately, as every queue here: at most one waiting and one running, whoever asks (each worker process at its start).
  // A day missed while the workers were down runs once on their return (the schedule's `missed: 'once'`).
  await boss.createQueue(PARTITIONS_QUEUE, { policy: 'stately', retryLimit: 5, retryDelay: 60, retryBackoff: true, expireInSeconds: 600 });
}

/** The schedule, and one run now (a worker process started after a long pause catches up at once). */
export async function schedulePartitions(boss: PgBoss): Promise<void> {
  await boss.schedule(PARTITIONS_QUEUE, PARTITIONS_CRON, {}, { tz: 'Asia/Ho_Chi_Minh', missed: 'once' });
  await boss.send(PARTITIONS_QUEUE, {});
}

export async function workPartitions({ boss, log, sql }: WorkerContext & { sql: Sql }): Promise<string> {
  await createPartitionsQueue(boss);
  return boss.work(PARTITIONS_QUEUE, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
    const parsed = partitionsJobSchema.safeParse(job!.data ?? {});
    if (!parsed.success) throw new Error(payloadError(parsed.error));
    const result = await ensureMonthsAhead(sql, parsed.data.today ?? today());
    if (result.created.length) log.info({ created: result.created, moved: result.moved }, 'sample partitions created');
    if (result.deferred.length) throw new Error(`sample partitions ${result.deferred.join(', ')} not created: their lock was not granted in time`);
    return result;
  });
}
