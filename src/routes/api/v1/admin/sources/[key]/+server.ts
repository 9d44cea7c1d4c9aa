import { apiContext } from '$lib/server/api/context';
import { getSourceApi, updateSourceApi } from '$lib/server/api/admin-sources';
import type { RequestHandler } from './$types';

/** GET: one source (credentials never: `hasCredentials`). PUT: replace it. PATCH: change the fields given. */
export const GET: RequestHandler = async (event) => getSourceApi(await apiContext(event), event.params.key);
export const PUT: RequestHandler = async (event) => updateSourceApi(await apiContext(event), event.params.key, 'replace');
export const PATCH: RequestHandler = async (event) => updateSourceApi(await apiContext(event), event.params.key, 'merge');
