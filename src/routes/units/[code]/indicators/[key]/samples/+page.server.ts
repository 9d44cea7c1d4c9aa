import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { boardPeriodKindSchema, isoDateSchema } from '#contract/dto';
import { today } from '#domain/periods';
import { sql } from '#server/db';
import { DrillNotFoundError, readDrillUnit, readRawSamples } from '#server/drilldown';
import { parseQuery } from '#server/http';
import { canReadDetail } from '$lib/server/auth/access';
import type { PageServerLoad } from './$types';

const schema = z.object({ day: isoDateSchema, period: boardPeriodKindSchema, date: isoDateSchema });

/**
 * The raw samples behind one indicator of one unit on one day (?day=YYYY-MM-DD; period and date
 * are carried along for the way back), and the poll runs they came from.
 */
export const load: PageServerLoad = async ({ params, url, locals }) => {
  const db = await sql();
  const unit = await readDrillUnit(db, params.code);
  if (!unit) error(404, `Không có đơn vị mã ${params.code}`);
  // Without a date for the way back, the period is the one of the day shown.
  const dayParam = url.searchParams.get('day');
  const fallback = dayParam !== null && isoDateSchema.safeParse(dayParam).success ? dayParam : today();
  const query = parseQuery(schema, url, { day: today(), period: 'month', date: fallback });
  if (!(await canReadDetail(db, locals.principal, unit.code))) {
    error(403, 'Bạn chỉ xem được chi tiết của đơn vị mình và các đơn vị trực thuộc.');
  }
  try {
    return { query, today: today(), raw: await readRawSamples(db, unit.code, params.key, query.day) };
  } catch (e) {
    if (e instanceof DrillNotFoundError) error(404, e.message);
    throw e;
  }
};
