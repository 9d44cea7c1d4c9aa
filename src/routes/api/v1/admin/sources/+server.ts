import { apiContext } from '$lib/server/api/context';
import { createSourceApi, listSourcesApi } from '$lib/server/api/admin-sources';
import type { RequestHandler } from './$types';

/** GET: every source with its health. POST: create a source (the admin form's fields, as JSON). */
export const GET: RequestHandler = async (event) => listSourcesApi(await apiContext(event));
export const POST: RequestHandler = async (event) => createSourceApi(await apiContext(event));
