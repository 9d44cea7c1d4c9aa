import { apiContext } from '$lib/server/api/context';
import { importUnitsApi } from '$lib/server/api/admin-units';
import type { RequestHandler } from './$types';

/** POST: import a register (multipart or JSON), optionally with its merge table and the day it takes effect. */
export const POST: RequestHandler = async (event) => importUnitsApi(await apiContext(event));
