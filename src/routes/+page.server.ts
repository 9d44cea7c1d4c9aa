import { boardQuerySchema } from '#contract/dto';
import { today } from '#domain/periods';
import { readBoard, rootUnitCode } from '#server/boards';
import { sql } from '#server/db';
import { readSourceHealth } from '#server/sources';
import { parseQuery } from '#server/http';
import type { PageServerLoad } from './$types';

/** Overview: the city's districts ranked, for the chosen period (default: this month). */
export const load: PageServerLoad = async ({ url }) => {
  const db = await sql();
  const query = parseQuery(boardQuerySchema, url, { scope: await rootUnitCode(db), period: 'month', date: today() });
  return { query, board: await readBoard(db, query), sources: await readSourceHealth(db) };
};
