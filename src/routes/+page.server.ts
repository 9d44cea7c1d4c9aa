import { error } from '@sveltejs/kit';
import { boardQuerySchema } from '#contract/dto';
import { SCHEMES } from '#domain/catalogue';
import { today } from '#domain/periods';
import { NotFoundError, readActiveSchemes, readBoard, rootUnitCode } from '#server/boards';
import { sql } from '#server/db';
import { readSourceHealth } from '#server/sources';
import { readKpiHistory } from '#server/kpis';
import { parseQuery } from '#server/http';
import { estimateBefore } from '#server/lineage';
import { pickParams } from '#server/view-params';
import type { PageServerLoad } from './$types';

/** The parameters the board depends on; the board's view (kind, q, sort, page …) is the browser's alone. */
const BOARD_PARAMS = ['scope', 'period', 'date', 'scheme'] as const;

/**
 * Overview: the city's KPIs per family, its communes on a tile map, the biggest movers and the board
 * (every group of children: a city's communes, its departments), for the chosen period (default: this
 * month) and scheme (default: operations; `?scheme=national_766` for the 766 progress group).
 * The whole board is sent: the page shows a view of it (filter, search, sort, page) and keeps all of it live.
 */
export const load: PageServerLoad = async ({ url }) => {
  const db = await sql();
  const query = parseQuery(boardQuerySchema, pickParams(url, BOARD_PARAMS), { scope: await rootUnitCode(db), period: 'month', date: today() });
  try {
    const [board, history, sources, active] = await Promise.all([
      readBoard(db, query),
      readKpiHistory(db, query),
      readSourceHealth(db),
      readActiveSchemes(db)
    ]);
    // The scheme choice: every active scheme, by its short label where the catalogue has one.
    const schemes = active.map((s) => ({ key: s.key, label: SCHEMES.find((c) => c.key === s.key)?.shortNameVi ?? s.nameVi, nameVi: s.nameVi }));
    return { query, board, history, sources, schemes, estimateBefore: await estimateBefore(db, board) };
  } catch (e) {
    if (e instanceof NotFoundError) error(404, e.message);
    throw e;
  }
};
