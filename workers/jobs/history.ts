/** `backfill-history`: the older history the seed left, backfilled from every enabled source and ranked. */
import type { Sql } from '#db/client';
import { runHistory } from '#server/pipeline/history';
import { HISTORY_QUEUE, historyJobSchema } from '#server/jobs/queues';
import { workParsed, type WorkerContext } from './work.ts';

export function workHistory(ctx: WorkerContext & { sql: Sql; secretKeyHex?: string }): Promise<string> {
  return workParsed(ctx, HISTORY_QUEUE, historyJobSchema, { pollingIntervalSeconds: 1 }, (range) =>
    runHistory(ctx.sql, range, { secretKeyHex: ctx.secretKeyHex, log: ctx.log })
  );
}
