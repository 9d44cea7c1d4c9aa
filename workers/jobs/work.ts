/**
 * The one way a job handler is registered: its payload parsed by the queue's zod schema first. A
 * payload that does not parse fails at once and for good, with its reason in words as the job's
 * output (a retry could not make it parse); a handler that throws fails that job alone, with the
 * error's message as its output, and pg-boss retries it as the queue says. What the handler returns
 * is the job's output. Jobs fetched together (batchSize) run one after the other.
 */
import type { Job, JobResult, PgBoss, WorkOptions } from 'pg-boss';
import type { z } from 'zod';
import { payloadError, type QueueName } from '#server/jobs/queues';
import type { Logger } from '#server/log';

export interface WorkerContext {
  boss: PgBoss;
  log: Logger;
}

export function workParsed<S extends z.ZodType>(
  { boss, log }: WorkerContext,
  queue: QueueName,
  schema: S,
  options: Omit<WorkOptions, 'perJobResults' | 'transactional'>,
  run: (data: z.output<S>, job: Job<unknown>) => Promise<object>
): Promise<string> {
  return boss.work(queue, { batchSize: 1, ...options, perJobResults: true as const }, async (jobs: Job<unknown>[]) => {
    const results: JobResult[] = [];
    for (const job of jobs) {
      const parsed = schema.safeParse(job.data);
      if (!parsed.success) {
        const message = payloadError(parsed.error);
        log.warn({ queue, jobId: job.id }, `job refused: ${message}`);
        // 'deadletter' fails it for good, retries left or not (the queues have no dead-letter queue).
        results.push({ id: job.id, status: 'deadletter', output: { message } });
        continue;
      }
      try {
        results.push({ id: job.id, status: 'completed', output: await run(parsed.data, job) });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        log.error({ queue, jobId: job.id, err: e }, 'job failed (retried while retries are left)');
        results.push({ id: job.id, status: 'failed', output: { message } });
      }
    }
    return results;
  });
}
