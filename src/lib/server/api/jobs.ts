/** GET /api/v1/admin/jobs/{kind}/{id}: a job's progress, as the admin screens follow it (jobs/status.ts). */
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import type { JobStatus } from '#contract/jobs';
import { readPollStatus, readRecomputeStatus } from '../jobs/status.ts';
import { m } from '$lib/paraglide/messages';
import type { ApiContext } from './admin-sources.ts';
import { apiError } from './respond.ts';

/** The kinds of job the API follows, and how each one's progress is read. */
export const API_JOB_KINDS = {
  poll: readPollStatus,
  recompute: readRecomputeStatus
} satisfies Record<string, (boss: Awaited<ReturnType<ApiContext['jobs']>>, id: string) => Promise<JobStatus | null>>;

export async function jobStatusApi(ctx: ApiContext, kind: string, id: string): Promise<Response> {
  const read = (API_JOB_KINDS as Record<string, (typeof API_JOB_KINDS)[keyof typeof API_JOB_KINDS]>)[kind];
  if (!read) return apiError(404, m.api_error_job_kind({ kinds: Object.keys(API_JOB_KINDS).join(', ') }, { locale: ctx.locale }));
  const status = z.uuid().safeParse(id).success ? await read(await ctx.jobs(), id) : null;
  if (!status) return apiError(404, m.api_error_no_job({ kind, id }, { locale: ctx.locale }));
  return json(status, { headers: { 'cache-control': 'no-store' } });
}
