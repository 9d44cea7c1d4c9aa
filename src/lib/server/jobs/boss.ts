/**
 * One way to open pg-boss, for the two kinds of process that use it:
 *  - `worker` (the worker process, and the supervisor while it seeds): installs or migrates pg-boss's
 *    schema, creates the queues, supervises (expired jobs, missed heartbeats, retention);
 *  - `sender` (the web process): only sends and reads jobs — no supervision, no cron, no migrations,
 *    no registry heartbeat; it expects the workers to have installed the schema and the queues.
 */
import { PgBoss } from 'pg-boss';
import { logger } from '../log.ts';
import { QUEUE_NAMES, QUEUE_OPTIONS } from './queues.ts';

export type Boss = PgBoss;

export interface BossOptions {
  /** pg-boss's own schema (tests give each file its own). */
  schema?: string;
  role?: 'worker' | 'sender';
  /** pg-boss's job spies (`boss.getSpy(queue)`): tests wait on a job's completion with them. Never in production. */
  spies?: boolean;
  /** pg-boss's own errors (a lost connection, a failed maintenance pass): logged, never thrown. */
  onError?: (error: Error) => void;
}

export async function createBoss(url: string, { schema = 'pgboss', role = 'worker', spies = false, onError }: BossOptions = {}): Promise<PgBoss> {
  const boss =
    role === 'worker'
      ? // A short supervise interval: a job whose worker died is noticed (missed heartbeat) within seconds.
        new PgBoss({ connectionString: url, schema, max: 4, application_name: 'city-ops-boss', superviseIntervalSeconds: 5, monitorIntervalSeconds: 5, __test__enableSpies: spies })
      : new PgBoss({
          connectionString: url, schema, max: 2, application_name: 'city-ops-web-boss',
          supervise: false, schedule: false, migrate: false, registerInstance: false, __test__enableSpies: spies
        });
  // An EventEmitter's unhandled 'error' would end the process.
  boss.on('error', onError ?? ((err) => logger('pg-boss').error({ err }, 'pg-boss error')));
  await boss.start();
  if (role === 'worker') {
    for (const name of QUEUE_NAMES) await boss.createQueue(name, QUEUE_OPTIONS[name]);
  }
  if (spies) for (const name of QUEUE_NAMES) boss.getSpy(name); // a spy sees only what happens after it exists
  return boss;
}
