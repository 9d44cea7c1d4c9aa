/**
 * The briefing's mailing in the workers (docs/briefings.md, "Mailed on a schedule"): `briefings-tick`
 * every minute queues the mailings whose send time came (one per schedule, period and recipient),
 * and `mail-briefing` prints one recipient's briefing with Chromium and mails it, retried with
 * backoff. Chromium is launched for the first mailing and closed a minute after the last.
 */
import type { PgBoss } from 'pg-boss';
import type { Sql } from '#db/client';
import { queueDueMailings, mailBriefing, type BriefingMailConfig } from '#server/briefings/mailing';
import { closeBrowserWhenIdle } from '#server/briefings/browser';
import { BRIEFINGS_TICK_QUEUE, MAIL_BRIEFING_QUEUE, QUEUE_OPTIONS, briefingsTickJobSchema, mailBriefingJobSchema } from '#server/jobs/queues';
import { workParsed, type WorkerContext } from './work.ts';

/** Every minute, in the city's time. */
export const BRIEFINGS_TICK_CRON = '* * * * *';
/** A worker's Chromium is closed this long after its last print (a monthly mailing should not keep 200 MB for a month). */
const BROWSER_IDLE_MS = 60_000;

export async function scheduleBriefingsTick(boss: PgBoss): Promise<void> {
  await boss.schedule(BRIEFINGS_TICK_QUEUE, BRIEFINGS_TICK_CRON, {}, { tz: 'Asia/Ho_Chi_Minh' });
}

export async function workBriefings(ctx: WorkerContext & { sql: Sql; mail: BriefingMailConfig }): Promise<void> {
  const { sql, boss, log, mail } = ctx;
  await workParsed(ctx, BRIEFINGS_TICK_QUEUE, briefingsTickJobSchema, { pollingIntervalSeconds: 1 }, async (data) => {
    const queued = await queueDueMailings(sql, boss, data.now ? new Date(data.now) : new Date());
    if (queued.mailings) log.info(queued, 'briefings due: mailings queued');
    return queued;
  });
  const retryLimit = QUEUE_OPTIONS[MAIL_BRIEFING_QUEUE].retryLimit ?? 0;
  // One print at a time per worker process: the web shares the machine.
  await workParsed(ctx, MAIL_BRIEFING_QUEUE, mailBriefingJobSchema, { pollingIntervalSeconds: 1, localConcurrency: 1 }, async (data, job) => {
    try {
      const result = await mailBriefing(sql, data.mailingId, mail, { final: job.retryCount >= retryLimit });
      log.info({ mailingId: data.mailingId, attempt: job.retryCount + 1, ...result }, result.sent ? 'briefing mailed' : 'briefing not mailed');
      return result;
    } finally {
      closeBrowserWhenIdle(BROWSER_IDLE_MS);
    }
  });
}
