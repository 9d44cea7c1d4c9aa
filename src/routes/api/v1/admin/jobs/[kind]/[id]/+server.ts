import { apiContext } from '$lib/server/api/context';
import { jobStatusApi } from '$lib/server/api/jobs';
import type { RequestHandler } from './$types';

/** GET: a job's progress (a poll now, a recompute batch): state, done / total, the outcome. */
export const GET: RequestHandler = async (event) => jobStatusApi(await apiContext(event), event.params.kind, event.params.id);
