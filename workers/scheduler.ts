/**
 * The worker process's jobs and its ticker. Handlers (workers/jobs/*) take polls, recomputes, the
 * history and the daily creation of samples' month partitions off the pg-boss queues; the ticker
 * asks, once per its interval, for a poll of each enabled source (each worker process ticks;
 * pg-boss keeps one waiting poll per source, so the duplicates are absorbed).
 */
import type { PgBoss } from 'pg-boss';
import type { Sql } from '#db/client';
import type { PollOutcome } from '#server/pipeline/poll';
import type { RetryPolicy } from '#server/pipeline/client';
import { requestPoll } from '#server/jobs/send';
import type { Logger } from '#server/log';
import { workPolls } from './jobs/poll-source.ts';
import { workRecomputes } from './jobs/recompute-boards.ts';
import { workHistory } from './jobs/history.ts';
import { workSourceBackfills } from './jobs/backfill-source.ts';
import { schedulePartitions, workPartitions } from './jobs/sample-partitions.ts';
import { scheduleAlertsTick, workAlerts } from './jobs/alerts.ts';
import type { DeliveryConfig } from '#server/alerts/deliver';
import type { BriefingMailConfig } from '#server/briefings/mailing';
import { scheduleBriefingsTick, workBriefings } from './jobs/briefings.ts';

export interface WorkerOptions {
  sql: Sql;
  boss: PgBoss;
  secretKeyHex?: string;
  /** The worker process's logger; each job logs through a child carrying what it works on. */
  log: Logger;
  onPoll?: (outcome: PollOutcome & { sourceId: number }) => void;
  /** Retries inside one poll (tests shorten the waits). */
  retry?: RetryPolicy;
  /** Polls run side by side in this process, so one slow source holds up no other. */
  concurrency?: number;
  /** Whether this process asks for the scheduled polls and the daily partitions job (tests that ask for every job by hand turn it off). */
  schedule?: boolean;
  /** Where alert mail and webhooks go (SMTP_URL, ALERT_MAIL_FROM, the links' origin); default: no SMTP, links to localhost. */
  delivery?: DeliveryConfig;
  /** How the briefing's mailing prints and sends (BRIEFING_PRINT_ORIGIN, SMTP_URL …); default: no SMTP, a web node on localhost:3000. */
  briefingMail?: Omit<BriefingMailConfig, 'secretKeyHex'>;
}

export async function startWorkers({ sql, boss, secretKeyHex, log, onPoll, retry, concurrency = 4, schedule = true, delivery, briefingMail }: WorkerOptions) {
  await workPolls({ sql, boss, log, secretKeyHex, onPoll, retry, concurrency });
  await workRecomputes({ sql, boss, log });
  await workHistory({ sql, boss, log, secretKeyHex });
  await workSourceBackfills({ sql, boss, log, secretKeyHex });
  await workPartitions({ sql, boss, log });
  await workAlerts({ sql, boss, log, delivery: { mailFrom: 'City Ops <canh-bao@localhost>', linkBase: 'http://localhost:3000', ...delivery, secretKeyHex } });
  await workBriefings({
    sql, boss, log,
    mail: { mailFrom: 'City Ops <canh-bao@localhost>', linkBase: 'http://localhost:3000', printOrigin: 'http://127.0.0.1:3000', ...briefingMail, secretKeyHex }
  });
  // The month partitions of samples ahead of the data: daily, and once now. The alerts' and the briefings' minute ticks.
  if (schedule) {
    await schedulePartitions(boss);
    await scheduleAlertsTick(boss);
    await scheduleBriefingsTick(boss);
  }

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
  const timer = schedule
    ? setInterval(() => {
        if (!stopped) tick().catch((err) => log.error({ err }, 'scheduler tick failed'));
      }, 1000)
    : undefined;
  if (schedule) await tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
    }
  };
}
