import { error } from '@sveltejs/kit';
import { boardQuerySchema } from '#contract/dto';
import { SCHEMES } from '#domain/catalogue';
import { today } from '#domain/periods';
import { NotFoundError, readActiveSchemes, readBoard, rootUnitCode } from '#server/boards';
import { sql } from '#server/db';
import { readSourceHealth } from '#server/sources';
import { readKpiHistory } from '#server/kpis';
import { parseQuery } from '#server/http';
import type { PageServerLoad } from './$types';

/**
 * Overview: the city's KPIs per family, its districts on a tile map, the biggest movers and the board,
 * for the chosen period (default: this month) and scheme (default: operations; `?scheme=national_766`
 * for the 766 progress group).
 */
export const load: PageServerLoad = async ({ url }) => {
  const db = await sql();
  const query = parseQuery(boardQuerySchema, url, { scope: await rootUnitCode(db), period: 'month', date: today() });
  try {
    const [board, history, sources, active] = await Promise.all([
      readBoard(db, query),
      readKpiHistory(db, query),
      readSourceHealth(db),
      readActiveSchemes(db)
    ]);
    // The scheme choice: every active scheme, by its short label where the catalogue has one.
    const schemes = active.map((s) => ({ key: s.key, label: SCHEMES.find((c) => c.key === s.key)?.shortNameVi ?? s.nameVi, nameVi: s.nameVi }));
    return { query, board, history, sources, schemes };
  } catch (e) {
    if (e instanceof NotFoundError) error(404, e.message);
    throw e;
  }
};
