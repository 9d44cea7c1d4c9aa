import { json } from '@sveltejs/kit';
import { OPENAPI } from '$lib/server/api/openapi';
import type { RequestHandler } from './$types';

/** GET: the OpenAPI 3.1 description of the admin API (public: it holds no data). */
export const GET: RequestHandler = () => json(OPENAPI, { headers: { 'cache-control': 'no-cache' } });
