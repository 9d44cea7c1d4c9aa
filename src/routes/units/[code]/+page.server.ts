import { error } from '@sveltejs/kit';
import { boardPeriodKindSchema, isoDateSchema, type Board, type BoardQuery } from '#contract/dto';
import { addDays, periodOf, today } from '#domain/periods';
import { NotFoundError, readBoard, readSeries, readUnit } from '#server/boards';
import { sql } from '#server/db';
import { parseQuery } from '#server/http';
import { estimateBefore, readUnitLineage } from '#server/lineage';
import { readSourceHealthForUnit } from '#server/sources';
import { readLateAndCorrected } from '#server/drilldown';
import { pickParams } from '#server/view-params';
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

/** A board, or null when there is none for the period (a scope not in force then): the page says why instead. */
async function boardOrNull(db: Awaited<ReturnType<typeof sql>>, query: BoardQuery): Promise<Board | null> {
  try {
    return await readBoard(db, query);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/**
 * A unit's page: its own row in its parent's board (rank among its siblings of the same group,
 * indicators, why it moved, what it would take to move up) with a window of those siblings, the
 * sources behind its figures, its children ranked (when it has any), the daily history of one
 * indicator — and its place in a reform: the units that went into it, or that it went into.
 *
 * A code names a unit on a day (10114 was Thị trấn Kim Bài until 30/06/2025, Xã Thanh Oai since): the
 * page shows the unit of the code in force at the period's end. A unit that has ended, opened without
 * a date, opens on its last day in force (Huyện Thanh Oai: June 2025), and says what succeeded it.
 * The board's view (kind, q, sort, page) is not read here: changing it does not load the page again.
 */
export const load: PageServerLoad = async ({ params, url, locals }) => {
  const db = await sql();
  const q = parseQuery(schema, pickParams(url, ['period', 'date', 'indicator']), { period: 'month', date: today(), indicator: DEFAULT_INDICATOR });
  let period = periodOf(q.period, q.date);
  let unit = await readUnit(db, params.code, period.end);
  if (!unit) error(404, `Không có đơn vị mã ${params.code}`);
  if (unit.validTo !== null && unit.validTo < period.end && url.searchParams.get('date') === null) {
    q.date = unit.validTo;
    period = periodOf(q.period, q.date);
    unit = (await readUnit(db, params.code, period.end)) ?? unit;
  }
  // The chosen period ends after the unit did, or before it began: no board of it to show.
  const ended = unit.validTo !== null && unit.validTo < period.end;
  const notYet = unit.validFrom !== null && unit.validFrom > period.end;
  const inForce = !ended && !notYet;

  const query = { scope: unit.code, period: q.period, date: q.date };
  const parentQuery = unit.parent ? { scope: unit.parent.code, period: q.period, date: q.date } : null;
  // Every board is open to every signed-in person (the unit's own row is board data); the unit's
  // history only to those who may see its detail; its sources to whoever may read the board it is ranked on.
  const [detail, sourcesAllowed, lineage] = await Promise.all([
    canReadDetail(db, locals.principal, unit.code),
    canReadBoard(db, locals.principal, parentQuery?.scope ?? unit.code),
    readUnitLineage(db, unit.id)
  ]);
  const [board, parentBoard, sources] = await Promise.all([
    unit.hasChildren && inForce ? boardOrNull(db, query) : Promise.resolve(null),
    parentQuery && inForce ? boardOrNull(db, parentQuery) : Promise.resolve(null),
    sourcesAllowed ? readSourceHealthForUnit(db, unit.code) : Promise.resolve(null)
  ]);
  const indicators = (parentBoard ?? board)?.indicators ?? [];
  if (indicators.length && !indicators.some((i) => i.key === q.indicator)) error(400, `indicator: không có chỉ số ${q.indicator} trong bộ chỉ số đang dùng`);
  // Raw-data detail too: which of the period's samples arrived late or were corrected afterwards.
  const [series, arrivals] = detail && inForce
    ? await Promise.all([readSeries(db, unit.code, q.indicator, addDays(q.date, -89), q.date), readLateAndCorrected(db, unit.code, periodOf(q.period, q.date))])
    : [null, null];
  const lateOrCorrected = arrivals
    ? Object.values(arrivals).filter((a) => a.late + a.corrected > 0).map((a) => ({ key: a.indicatorKey, nameVi: a.nameVi, late: a.late, corrected: a.corrected }))
    : null;
  return {
    unit, query, parentQuery, indicator: q.indicator, board, parentBoard, sources, series, lateOrCorrected, lineage,
    state: { ended, notYet, periodEnd: period.end },
    estimateBefore: { board: board ? await estimateBefore(db, board) : null, own: unit.validFrom }
  };
};
