/**
 * `backfill-source`: one source's history over a range an administrator chose, window by window
 * (src/lib/server/pipeline/source-backfill.ts). A source deleted, disabled or turned into an upload
 * source since the request is not backfilled: the job completes with `{ refused: <words> }` (a retry
 * could not help), which the job status shows as failed, with those words.
 */
import type { Sql } from '#db/client';
import { loadSource } from '#server/pipeline/poll';
import { runSourceBackfill } from '#server/pipeline/source-backfill';
import { SOURCE_BACKFILL_QUEUE, sourceBackfillJobSchema } from '#server/jobs/queues';
import { workParsed, type WorkerContext } from './work.ts';

export function workSourceBackfills(ctx: WorkerContext & { sql: Sql; secretKeyHex?: string }): Promise<string> {
  return workParsed(ctx, SOURCE_BACKFILL_QUEUE, sourceBackfillJobSchema, { pollingIntervalSeconds: 1 }, async (data, job) => {
    const source = await loadSource(ctx.sql, data.sourceId);
    const refused = !source
      ? `Nguồn số ${data.sourceId} không còn nữa: không nạp lịch sử được.`
      : source.kind === 'upload'
        ? `Nguồn ${source.key} nhận tệp tải lên, không lấy số liệu qua mạng: không nạp lịch sử được.`
        : !source.enabled
          ? `Nguồn ${source.key} đang tắt: bật nguồn rồi mới nạp lịch sử được.`
          : null;
    if (!source || refused) {
      ctx.log.info({ sourceId: data.sourceId, jobId: job.id }, `source backfill refused: ${refused}`);
      return { refused };
    }
    ctx.log.info({ source: source.key, jobId: job.id, from: data.from, to: data.to, requestedBy: data.requestedBy }, 'source backfill started');
    return runSourceBackfill(ctx.sql, source, { from: data.from, to: data.to }, { jobId: job.id, secretKeyHex: ctx.secretKeyHex, log: ctx.log });
  });
}
