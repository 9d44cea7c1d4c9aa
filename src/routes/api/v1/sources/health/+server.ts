import { json } from '@sveltejs/kit';
import { readSourceHealth } from '#server/sources';
import { sql } from '#server/db';
import type { RequestHandler } from './$types';

/** GET /api/v1/sources/health: every data source's state (never its credentials). */
export const GET: RequestHandler = async () => json(await readSourceHealth(await sql()));
