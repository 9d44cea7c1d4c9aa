/**
 * Alerts in the workers (docs/alerts.md): `alerts-tick` every minute (every rule: the source rules —
 * a missed daily deadline, a stale source — which only time changes, and the ranking rules again,
 * for boards a recompute job changed; then the held deliveries whose time came: quiet hours over,
 * the digest's hour), and `deliver-alert`, one job per mail or webhook call, retried with backoff.
 * The ranking rules are also evaluated right after each poll that changed something (poll-source.ts).
 */
import type { PgBoss } from 'pg-boss';
import type { Sql } from '#db/client';
import { evaluateAlerts, releaseDue } from '#server/alerts/evaluate';
import { deliver, type DeliveryConfig } from '#server/alerts/deliver';
import { ALERTS_TICK_QUEUE, DELIVER_ALERT_QUEUE, QUEUE_OPTIONS, alertsTickJobSchema, deliverAlertJobSchema } from '#server/jobs/queues';
import { workParsed, type WorkerContext } from './work.ts';

/** Every minute, in the city's time. */
export const ALERTS_TICK_CRON = '* * * * *';

export async function scheduleAlertsTick(boss: PgBoss): Promise<void> {
  await boss.schedule(ALERTS_TICK_QUEUE, ALERTS_TICK_CRON, {}, { tz: 'Asia/Ho_Chi_Minh' });
}

export async function workAlerts(ctx: WorkerContext & { sql: Sql; delivery: DeliveryConfig }): Promise<void> {
  const { sql, boss, log, delivery } = ctx;
  await workParsed(ctx, ALERTS_TICK_QUEUE, alertsTickJobSchema, { pollingIntervalSeconds: 1 }, async (data) => {
    const now = data.now ? new Date(data.now) : new Date();
    const evaluated = await evaluateAlerts(sql, { now, boss });
    const released = await releaseDue(sql, boss, now);
    if (evaluated.raised.length || released) log.info({ raised: evaluated.raised, cleared: evaluated.cleared, released }, 'alerts tick');
    return { ...evaluated, released };
  });
  const retryLimit = QUEUE_OPTIONS[DELIVER_ALERT_QUEUE].retryLimit ?? 0;
  await workParsed(ctx, DELIVER_ALERT_QUEUE, deliverAlertJobSchema, { pollingIntervalSeconds: 0.5, localConcurrency: 2 }, async (data, job) => {
    const result = await deliver(sql, data.deliveryIds, delivery, { final: job.retryCount >= retryLimit });
    log.info({ deliveryIds: data.deliveryIds, attempt: job.retryCount + 1 }, 'alert delivered');
    return result;
  });
}
