import { error, redirect } from '@sveltejs/kit';
import { boardQuerySchema } from '#contract/dto';
import { SCHEMES } from '#domain/catalogue';
import { earlyOpening, periodOf, today } from '#domain/periods';
import { config } from '#server/config';
import { NotFoundError, readActiveSchemes, readBoard, rootUnitCode } from '#server/boards';
import { sql } from '#server/db';
import { readSourceHealth } from '#server/sources';
import { readKpiComparisons, readKpiHistory } from '#server/kpis';
import { parseQuery } from '#server/http';
import { estimateBefore } from '#server/lineage';
import { pickParams } from '#server/view-params';
import { publishedOpening, type Opening } from '#server/p766';
import type { PageServerLoad } from './$types';

/** The parameters the board depends on; the board's view (kind, q, sort, page …) is the browser's alone. */
const BOARD_PARAMS = ['scope', 'period', 'date', 'scheme', 'basis'] as const;

/**
 * Overview: the city's KPIs per family, its communes on a tile map, the biggest movers and the board
 * (every group of children: a city's communes, its departments), for the chosen period (default: this
 * month) and scheme (default: operations; `?scheme=national_766` for the national 766 index from the
 * portal, `national_766_progress` for its progress group from our own counts).
 * The whole board is sent: the page shows a view of it (filter, search, sort, page) and keeps all of it live.
 *
 * A scheme whose boards exist for some period kinds only (the 766 index: month, quarter, year) opens
 * on a month when asked for another kind. A scheme with published scores (the 766 index: the portal
 * publishes a month a few days after it ends), opened without a date, opens on the newest period of
 * the kind that has a ranked row when the current one has none, and says so (`unpublished`).
 */
export const load: PageServerLoad = async ({ url }) => {
  const db = await sql();
  const query = parseQuery(boardQuerySchema, pickParams(url, BOARD_PARAMS), { scope: await rootUnitCode(db), period: 'month', date: today() });
  const active = await readActiveSchemes(db);
  const scheme = active.find((s) => s.key === query.scheme);
  const periodKinds = scheme?.periodKinds ?? null;
  if (periodKinds && !periodKinds.includes(query.period)) {
    const to = new URL(url);
    to.searchParams.set('period', periodKinds.includes('month') ? 'month' : periodKinds[0]!);
    redirect(303, `${to.pathname}${to.search}`);
  }
  // Early in a month (EARLY_PERIOD_DAYS), opened without a period: the whole month before, and it says so.
  let early: { shown: string; current: string } | null = null;
  if (query.period === 'month' && !url.searchParams.has('date') && !url.searchParams.has('period') && !scheme?.groups.some((g) => g.publishedMetric)) {
    const date = earlyOpening(query.date, config().EARLY_PERIOD_DAYS);
    if (date) {
      early = { shown: periodOf('month', date).start, current: query.date };
      query.date = date;
    }
  }
  let unpublished: Opening['unpublished'] = null;
  if (scheme?.groups.some((g) => g.publishedMetric) && !url.searchParams.has('date')) {
    const opening = await publishedOpening(db, { schemeKey: scheme.key, scope: query.scope, kind: query.period, date: query.date });
    query.date = opening.date;
    unpublished = opening.unpublished;
  }
  try {
    const grouped = !!scheme?.groups.length;
    const [board, history, sources, comparisons] = await Promise.all([
      readBoard(db, query),
      // The KPI tiles' trend (the operations families): a scheme with groups shows its headline instead.
      grouped ? Promise.resolve([]) : readKpiHistory(db, query),
      readSourceHealth(db),
      // A period in progress: the tiles compare with the same days of the previous period ("cùng kỳ"); and with last year's.
      grouped ? Promise.resolve({ base: null, lastYear: null }) : readKpiComparisons(db, query)
    ]);
    // The scheme choice: every active scheme, by its short label where the catalogue has one.
    const schemes = active.map((s) => ({ key: s.key, label: SCHEMES.find((c) => c.key === s.key)?.shortNameVi ?? s.nameVi, nameVi: s.nameVi, periodKinds: s.periodKinds }));
    return { query, board, history, kpiBase: comparisons.base, kpiLastYear: comparisons.lastYear, sources, schemes, periodKinds, unpublished, early, estimateBefore: await estimateBefore(db, board) };
  } catch (e) {
    if (e instanceof NotFoundError) error(404, e.message);
    throw e;
  }
};
