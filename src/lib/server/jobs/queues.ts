/**
 * The pg-boss queues both processes know: their names, how each behaves (policy, retries, time
 * limits) and the zod schema of each payload. The workers parse every payload with these before
 * doing anything; a payload that does not parse fails at once, in words, and is not retried.
 */
import { z } from 'zod';
import type { Queue } from 'pg-boss';
import { PERIOD_KINDS, periodOf, type Period } from '#domain/periods';
import { schemeKeySchema } from '#contract/dto';

/** One poll of one source (scheduled by the workers' ticker, or a person's "poll now"). */
export const POLL_QUEUE = 'poll-source';
/** The older history the seed leaves to the workers. */
export const HISTORY_QUEUE = 'backfill-history';
/** One board period recomputed (for every scheme, or some): the long boards after polls, a scheme change, a units import. */
export const RECOMPUTE_QUEUE = 'recompute-boards';
/** One source's history over a range an administrator chose ("Nạp lịch sử"), window by window. */
export const SOURCE_BACKFILL_QUEUE = 'backfill-source';

/** Alerts (docs/alerts.md): the minute tick (source rules, held deliveries whose time came) … */
export const ALERTS_TICK_QUEUE = 'alerts-tick';
/** … and one mail or webhook call (one alert, or a digest of several), retried with backoff. */
export const DELIVER_ALERT_QUEUE = 'deliver-alert';

/** The briefing's mailing (docs/briefings.md): the minute tick queues the mailings whose send time came … */
export const BRIEFINGS_TICK_QUEUE = 'briefings-tick';
/** … and one briefing printed and mailed to one recipient, retried with backoff. */
export const MAIL_BRIEFING_QUEUE = 'mail-briefing';

export const QUEUE_NAMES = [
  POLL_QUEUE, HISTORY_QUEUE, RECOMPUTE_QUEUE, SOURCE_BACKFILL_QUEUE, ALERTS_TICK_QUEUE, DELIVER_ALERT_QUEUE, BRIEFINGS_TICK_QUEUE, MAIL_BRIEFING_QUEUE
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * Every queue is `stately`: per singleton key at most one job waiting and one running, so a second
 * request while one waits is absorbed. heartbeatSeconds: a worker killed in the middle of a job stops
 * beating and the job is retried by another worker within seconds instead of waiting for it to expire.
 */
export const QUEUE_OPTIONS: Record<QueueName, Omit<Queue, 'name'>> = {
  [POLL_QUEUE]: { policy: 'stately', retryLimit: 2, retryDelay: 1, retryBackoff: true, expireInSeconds: 600, heartbeatSeconds: 10 },
  [HISTORY_QUEUE]: { policy: 'stately', retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 3600, heartbeatSeconds: 30 },
  [RECOMPUTE_QUEUE]: { policy: 'stately', retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 3600, heartbeatSeconds: 30 },
  // Years of history may take long; a retried job (a worker killed) resumes after the windows already stored.
  [SOURCE_BACKFILL_QUEUE]: { policy: 'stately', retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 6 * 3600, heartbeatSeconds: 30 },
  [ALERTS_TICK_QUEUE]: { policy: 'stately', retryLimit: 1, retryDelay: 5, expireInSeconds: 300 },
  // Not stately: every delivery is a job of its own. 6 attempts over about a minute (1, 2, 4, 8, 16 s … with jitter), capped at 5 min.
  [DELIVER_ALERT_QUEUE]: { policy: 'standard', retryLimit: 5, retryDelay: 1, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 120 },
  [BRIEFINGS_TICK_QUEUE]: { policy: 'stately', retryLimit: 1, retryDelay: 5, expireInSeconds: 300 },
  // One recipient's briefing: a print (seconds) and a mail. 4 attempts over about two minutes (5, 10, 20 s … with jitter).
  [MAIL_BRIEFING_QUEUE]: { policy: 'standard', retryLimit: 3, retryDelay: 5, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 300 }
};

const isoDay = () => z.iso.date('must be a date written YYYY-MM-DD');

export const pollJobSchema = z.object({
  sourceId: z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive'),
  reason: z.enum(['schedule', 'manual'], { error: 'must be schedule or manual' }).default('schedule')
});
export type PollJob = z.infer<typeof pollJobSchema>;

export const historyJobSchema = z
  .object({ from: isoDay(), to: isoDay() })
  .refine((r) => r.from <= r.to, { message: 'must not be before from', path: ['to'] });
export type HistoryJob = z.infer<typeof historyJobSchema>;

export const sourceBackfillJobSchema = z
  .object({
    sourceId: z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive'),
    from: isoDay(),
    to: isoDay(),
    /** Who asked (a username), for the logs. */
    requestedBy: z.string({ error: 'must be text' }).max(200, 'at most 200 characters')
  })
  .refine((r) => r.from <= r.to, { message: 'must not be before from', path: ['to'] });
export type SourceBackfillJob = z.infer<typeof sourceBackfillJobSchema>;

/** A minute tick; `now` (ISO 8601) lets tests drive the clock. */
export const alertsTickJobSchema = z.object({ now: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional() });
export type AlertsTickJob = z.infer<typeof alertsTickJobSchema>;

export const deliverAlertJobSchema = z.object({
  deliveryIds: z.array(z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive')).min(1, 'name at least one delivery')
});
export type DeliverAlertJob = z.infer<typeof deliverAlertJobSchema>;

/** A minute tick of the briefing's mailing; `now` (ISO 8601) lets tests drive the clock. */
export const briefingsTickJobSchema = z.object({ now: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional() });
export type BriefingsTickJob = z.infer<typeof briefingsTickJobSchema>;

export const mailBriefingJobSchema = z.object({
  mailingId: z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive')
});
export type MailBriefingJob = z.infer<typeof mailBriefingJobSchema>;

export const periodRefSchema = z
  .object({
    kind: z.enum(PERIOD_KINDS, { error: `must be one of ${PERIOD_KINDS.join(', ')}` }),
    start: isoDay()
  })
  .refine((p) => periodOf(p.kind, p.start).start === p.start, { message: 'must be the first day of its period', path: ['start'] });

/** Why boards are recomputed: the long boards a poll touched, the big ones it left (the country's), an administrator's scheme change, a units import, a source's new priority. */
export const RECOMPUTE_CAUSES = ['long_boards', 'big_boards', 'scheme', 'units', 'priority'] as const;
export type RecomputeCause = (typeof RECOMPUTE_CAUSES)[number];

export const recomputeJobSchema = z.object({
  period: periodRefSchema,
  /** Only these schemes' boards; absent: every active scheme. */
  schemes: z.array(schemeKeySchema).min(1, 'name at least one scheme, or leave it out for every scheme').optional(),
  /** Only these scopes' boards (units.id); absent: every scope's. */
  scopes: z.array(z.number({ error: 'must be a unit id' }).int('must be a unit id').positive('must be a unit id')).min(1, 'name at least one scope, or leave it out for every scope').optional(),
  cause: z.enum(RECOMPUTE_CAUSES, { error: `must be one of ${RECOMPUTE_CAUSES.join(', ')}` }),
  /** The jobs one request made together (one per period), followed as one on the admin screens. */
  batch: z.uuid('must be a UUID').optional()
});
export type RecomputeJob = z.infer<typeof recomputeJobSchema>;

export const periodOfRef = (ref: { kind: Period['kind']; start: string }): Period => periodOf(ref.kind, ref.start);

/** A zod error as one line of words naming each field: "payload: to: must not be before from". */
export function payloadError(error: z.ZodError): string {
  return `payload: ${error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`;
}
