/** What a /api/v1/admin route hands the API functions: the web pool, the job queue, who asks, in which language. */
import type { RequestEvent } from '@sveltejs/kit';
import { sql } from '#server/db';
import { jobQueue } from '#server/jobs/sender';
import type { ApiContext } from './admin-sources.ts';
import { apiLocale } from './respond.ts';

export async function apiContext(event: RequestEvent): Promise<ApiContext> {
  return { sql: await sql(), jobs: jobQueue, actor: event.locals.principal, ip: event.getClientAddress(), locale: apiLocale(event.request), request: event.request };
}
