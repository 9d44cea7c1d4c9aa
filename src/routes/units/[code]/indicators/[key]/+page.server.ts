import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { boardPeriodKindSchema, isoDateSchema } from '#contract/dto';
import { periodOf, today } from '#domain/periods';
import { sql } from '#server/db';
import { DrillNotFoundError, readDrillUnit, readIndicatorDrill, readLateAndCorrected } from '#server/drilldown';
import { parseQuery } from '#server/http';
import { canReadDetail } from '$lib/server/auth/access';
import type { PageServerLoad } from './$types';

const schema = z.object({ period: boardPeriodKindSchema, date: isoDateSchema });

/**
 * One indicator of one unit over a period (?period=<kind>&date=YYYY-MM-DD, as on the unit page):
 * day by day, with its children's values; each day links to the raw samples behind it.
 */
export const load: PageServerLoad = async ({ params, url, locals }) => {
  const db = await sql();
  const unit = await readDrillUnit(db, params.code);
  if (!unit) error(404, `Không có đơn vị mã ${params.code}`);
  const query = parseQuery(schema, url, { period: 'month', date: today() });
  // Detail: leaders and administrators any unit, an officer their unit and its descendants.
  if (!(await canReadDetail(db, locals.principal, unit.code))) {
    error(403, 'Bạn chỉ xem được chi tiết của đơn vị mình và các đơn vị trực thuộc.');
  }
  try {
    const [drill, lateness] = await Promise.all([
      readIndicatorDrill(db, unit.code, params.key, query),
      readLateAndCorrected(db, unit.code, periodOf(query.period, query.date), { indicatorKey: params.key })
    ]);
    return { query, drill, lateness: lateness[params.key] ?? null };
  } catch (e) {
    if (e instanceof DrillNotFoundError) error(404, e.message);
    throw e;
  }
};
