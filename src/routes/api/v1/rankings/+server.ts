import { error, json } from '@sveltejs/kit';
import { boardQuerySchema } from '#contract/dto';
import { today } from '#domain/periods';
import { NotFoundError, readBoard, rootUnitCode } from '#server/boards';
import { sql } from '#server/db';
import { parseQuery } from '#server/http';
import type { RequestHandler } from './$types';

/** GET /api/v1/rankings?scope=<GSO code>&period=day|month&date=YYYY-MM-DD */
export const GET: RequestHandler = async ({ url }) => {
  const db = await sql();
  const query = parseQuery(boardQuerySchema, url, { scope: await rootUnitCode(db), period: 'month', date: today() });
  try {
    return json(await readBoard(db, query));
  } catch (e) {
    if (e instanceof NotFoundError) error(404, e.message);
    throw e;
  }
};
