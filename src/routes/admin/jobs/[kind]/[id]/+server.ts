import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { jobQueue } from '#server/jobs/sender';
import { readBackfillStatus, readPollStatus, readRecomputeStatus } from '#server/jobs/status';
import { sql } from '#server/db';
import { JOB_KINDS } from '#contract/jobs';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

/**
 * GET /admin/jobs/{recompute|poll|backfill}/{id} (administrators): a job's progress, as the admin
 * pages follow it — a recompute batch (a scheme change, a units import), a "poll now", or a source's
 * history ("Nạp lịch sử": `backfill` carries its windows so far). JSON JobStatus.
 */
export const GET: RequestHandler = async ({ params }) => {
  if (!z.uuid().safeParse(params.id).success) error(404, m.words_job_bad_id({ id: params.id }));
  const boss = await jobQueue();
  const status =
    params.kind === 'recompute' ? await readRecomputeStatus(boss, params.id)
    : params.kind === 'poll' ? await readPollStatus(boss, params.id)
    : params.kind === 'backfill' ? await readBackfillStatus(boss, await sql(), params.id)
    : error(404, m.api_error_job_kind({ kinds: JOB_KINDS.join(', ') }));
  if (!status) error(404, m.api_error_no_job({ kind: params.kind, id: params.id }));
  return json(status, { headers: { 'cache-control': 'no-store' } });
};
