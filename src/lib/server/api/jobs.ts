/** GET /api/v1/admin/jobs/{kind}/{id}: a job's progress, as the admin screens follow it (jobs/status.ts). */
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import type { JobStatus } from '#contract/jobs';
import { readBackfillStatus, readPollStatus, readRecomputeStatus } from '../jobs/status.ts';
import { m } from '$lib/paraglide/messages';
import type { ApiContext } from './admin-sources.ts';
import { apiError } from './respond.ts';

type Reader = (ctx: ApiContext, id: string) => Promise<JobStatus | null>;

/** The kinds of job the API follows, and how each one's progress is read. */
export const API_JOB_KINDS: Record<string, Reader> = {
  poll: async (ctx, id) => readPollStatus(await ctx.jobs(), id),
  recompute: async (ctx, id) => readRecomputeStatus(await ctx.jobs(), id),
  backfill: async (ctx, id) => readBackfillStatus(await ctx.jobs(), ctx.sql, id)
};

export async function jobStatusApi(ctx: ApiContext, kind: string, id: string): Promise<Response> {
  const read = API_JOB_KINDS[kind];
  if (!read) return apiError(404, m.api_error_job_kind({ kinds: Object.keys(API_JOB_KINDS).join(', ') }, { locale: ctx.locale }));
  const status = z.uuid().safeParse(id).success ? await read(ctx, id) : null;
  if (!status) return apiError(404, m.api_error_no_job({ kind, id }, { locale: ctx.locale }));
  return json(status, { headers: { 'cache-control': 'no-store' } });
}
