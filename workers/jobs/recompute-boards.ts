/**
 * `recompute-boards`: one board period recomputed (every scheme, or the ones named) and announced.
 * One job at a time per process (recomputes wait for each other anyway: an advisory lock); each
 * settles as it ends, so a batch's progress shows period by period.
 */
import type { Sql } from '#db/client';
import { recomputeBoards } from '#server/ranking/slow-boards';
import { periodOfRef, RECOMPUTE_QUEUE, recomputeJobSchema } from '#server/jobs/queues';
import { workParsed, type WorkerContext } from './work.ts';

export function workRecomputes(ctx: WorkerContext & { sql: Sql }): Promise<string> {
  return workParsed(ctx, RECOMPUTE_QUEUE, recomputeJobSchema, { pollingIntervalSeconds: 0.5 }, async (data) => {
    const period = periodOfRef(data.period);
    const t0 = performance.now();
    const scopeIds = await recomputeBoards(ctx.sql, [period], { schemes: data.schemes, scopes: data.scopes });
    ctx.log.info(
      { period: `${period.kind} ${period.start}`, cause: data.cause, schemes: data.schemes, batch: data.batch, scopes: scopeIds.length, ms: Math.round(performance.now() - t0) },
      'boards recomputed'
    );
    return { scopes: scopeIds.length };
  });
}
