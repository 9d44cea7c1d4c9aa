/**
 * pg-boss on a test database (its own schema, job spies on), and the real workers when asked
 * (`startWorkers`, without the ticker: the tests ask for every poll themselves). Waits are on the
 * jobs themselves (pg-boss's spies report each completion or failure), never on a sleep.
 */
import type { PgBoss } from 'pg-boss';
import type { Sql } from '../../db/client.ts';
import { createBoss } from '#server/jobs/boss';
import { createLogger } from '#server/log';
import { RECOMPUTE_QUEUE, type QueueName } from '#server/jobs/queues';
import { startWorkers, type WorkerOptions } from '../../workers/scheduler.ts';

export type TestJobs = Awaited<ReturnType<typeof testJobs>>;

export async function testJobs(db: { url: string; sql: Sql }, schema: string) {
  /** What the workers (and pg-boss) logged, one parsed JSON line each. */
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const boss: PgBoss = await createBoss(db.url, { schema, spies: true, onError: (err) => log.error({ err }, 'pg-boss error') });
  let workers: Awaited<ReturnType<typeof startWorkers>> | null = null;

  /** The job's output once pg-boss has stored it completed; rejects, with its output, if it failed for good. */
  function settled(queue: QueueName, id: string): Promise<object | undefined> {
    const spy = boss.getSpy(queue);
    return Promise.race([
      spy.waitForJobWithId(id, 'completed').then((j) => j.output),
      spy.waitForJobWithId(id, 'failed').then((j) => {
        throw new Error(`${queue} job ${id} failed: ${JSON.stringify(j.output)}`);
      })
    ]);
  }

  return {
    boss,
    lines,
    /** Starts the real workers on this boss (once). */
    async work(options: Partial<Omit<WorkerOptions, 'sql' | 'boss'>> = {}) {
      workers ??= await startWorkers({ sql: db.sql, boss, schedule: false, log, ...options });
    },
    settled,
    /** The failed job's output (rejects if it completes instead). */
    async failed(queue: QueueName, id: string): Promise<object | undefined> {
      const spy = boss.getSpy(queue);
      return Promise.race([
        spy.waitForJobWithId(id, 'failed').then((j) => j.output),
        spy.waitForJobWithId(id, 'completed').then(() => {
          throw new Error(`${queue} job ${id} completed, but it should have failed`);
        })
      ]);
    },
    /** Every job of a recompute batch, completed (rejects when one fails). */
    async batch(batch: string): Promise<number> {
      const jobs = await boss.findJobs(RECOMPUTE_QUEUE, { data: { batch } });
      if (!jobs.length) throw new Error(`no recompute job in batch ${batch}`);
      await Promise.all(jobs.map((j) => settled(RECOMPUTE_QUEUE, j.id)));
      return jobs.length;
    },
    async stop() {
      await workers?.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
    }
  };
}
