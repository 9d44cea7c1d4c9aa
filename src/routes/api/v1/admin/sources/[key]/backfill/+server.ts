import { apiContext } from '$lib/server/api/context';
import { backfillApi } from '$lib/server/api/admin-sources';
import type { RequestHandler } from './$types';

/** POST {from, to}: load the source's history over that range as a job; 202 with the job id and where to follow it. */
export const POST: RequestHandler = async (event) => backfillApi(await apiContext(event), event.params.key);
