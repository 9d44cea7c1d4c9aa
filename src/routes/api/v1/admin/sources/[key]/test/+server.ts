import { apiContext } from '$lib/server/api/context';
import { testSourceApi } from '$lib/server/api/admin-sources';
import type { RequestHandler } from './$types';

/** POST: test connection (fetch once, map, check, store nothing); the test report as JSON. */
export const POST: RequestHandler = async (event) => testSourceApi(await apiContext(event), event.params.key);
