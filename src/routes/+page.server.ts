import { boardQuerySchema } from '#contract/dto';
import { today } from '#domain/periods';
import { readBoard, rootUnitCode } from '#server/boards';
import { sql } from '#server/db';
import { readSourceHealth } from '#server/sources';
import { readKpiHistory } from '#server/kpis';
import { parseQuery } from '#server/http';
import type { PageServerLoad } from './$types';

/** Overview: the city's KPIs per family, its districts on a tile map, the biggest movers and the board, for the chosen period (default: this month). */
export const load: PageServerLoad = async ({ url }) => {
  const db = await sql();
  const query = parseQuery(boardQuerySchema, url, { scope: await rootUnitCode(db), period: 'month', date: today() });
  const [board, history, sources] = await Promise.all([readBoard(db, query), readKpiHistory(db, query), readSourceHealth(db)]);
  return { query, board, history, sources };
};
