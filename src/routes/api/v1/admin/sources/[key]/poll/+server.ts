import { apiContext } from '$lib/server/api/context';
import { pollNowApi } from '$lib/server/api/admin-sources';
import type { RequestHandler } from './$types';

/** POST: poll now (through an open circuit breaker); 202 with the job id and where to follow it. */
export const POST: RequestHandler = async (event) => pollNowApi(await apiContext(event), event.params.key);
