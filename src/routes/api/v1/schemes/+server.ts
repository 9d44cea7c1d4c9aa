import { json } from '@sveltejs/kit';
import { readSchemeListing } from '#server/boards';
import { sql } from '#server/db';
import type { RequestHandler } from './$types';

/** GET /api/v1/schemes: every active scheme (operations, national_766, national_766_progress, …) with its groups and indicators. */
export const GET: RequestHandler = async () => json({ schemes: await readSchemeListing(await sql()) });
