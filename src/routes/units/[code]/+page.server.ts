import { error } from '@sveltejs/kit';
import { boardPeriodKindSchema, isoDateSchema } from '#contract/dto';
import { addDays, periodOf, today } from '#domain/periods';
import { readBoard, readSeries, readUnit } from '#server/boards';
import { sql } from '#server/db';
import { parseQuery } from '#server/http';
import { readSourceHealthForUnit } from '#server/sources';
import { readLateAndCorrected } from '#server/drilldown';
import { z } from 'zod';
import { canReadBoard, canReadDetail } from '$lib/server/auth/access';
import type { PageServerLoad } from './$types';

/** The history chart's indicator when the URL names none. */
const DEFAULT_INDICATOR = 'dossier.on_time';

const schema = z.object({
  period: boardPeriodKindSchema,
  date: isoDateSchema,
  indicator: z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, 'must be an indicator key such as dossier.on_time')
});

/**
 * A unit's page: its own row in its parent's board (rank among its siblings, indicators, why it
 * moved, what it would take to move up), the sources behind its figures, its children ranked (when
 * it has any) and the daily history of one indicator.
 */
export const load: PageServerLoad = async ({ params, url, locals }) => {
  const db = await sql();
  const unit = await readUnit(db, params.code);
  if (!unit) error(404, `Không có đơn vị mã ${params.code}`);
  const q = parseQuery(schema, url, { period: 'month', date: today(), indicator: DEFAULT_INDICATOR });
  const query = { scope: unit.code, period: q.period, date: q.date };
  const parentQuery = unit.parent ? { scope: unit.parent.code, period: q.period, date: q.date } : null;
  // Every board is open to every signed-in person (the unit's own row is board data); the unit's
  // history only to those who may see its detail; its sources to whoever may read the board it is ranked on.
  const [detail, sourcesAllowed] = await Promise.all([
    canReadDetail(db, locals.principal, unit.code),
    canReadBoard(db, locals.principal, parentQuery?.scope ?? unit.code)
  ]);
  const [board, parentBoard, sources] = await Promise.all([
    unit.hasChildren ? readBoard(db, query) : Promise.resolve(null),
    parentQuery ? readBoard(db, parentQuery) : Promise.resolve(null),
    sourcesAllowed ? readSourceHealthForUnit(db, unit.code) : Promise.resolve(null)
  ]);
  const indicators = (parentBoard ?? board)?.indicators ?? [];
  if (indicators.length && !indicators.some((i) => i.key === q.indicator)) error(400, `indicator: không có chỉ số ${q.indicator} trong bộ chỉ số đang dùng`);
  // Raw-data detail too: which of the period's samples arrived late or were corrected afterwards.
  const [series, arrivals] = detail
    ? await Promise.all([readSeries(db, unit.code, q.indicator, addDays(q.date, -89), q.date), readLateAndCorrected(db, unit.code, periodOf(q.period, q.date))])
    : [null, null];
  const lateOrCorrected = arrivals
    ? Object.values(arrivals).filter((a) => a.late + a.corrected > 0).map((a) => ({ key: a.indicatorKey, nameVi: a.nameVi, late: a.late, corrected: a.corrected }))
    : null;
  return { unit, query, parentQuery, indicator: q.indicator, board, parentBoard, sources, series, lateOrCorrected };
};
