import { apiContext } from '$lib/server/api/context';
import { setEnabledApi } from '$lib/server/api/admin-sources';
import type { RequestHandler } from './$types';

/** POST: disable the source; the source as it now is. */
export const POST: RequestHandler = async (event) => setEnabledApi(await apiContext(event), event.params.key, false);
