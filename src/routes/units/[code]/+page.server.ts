import { error, redirect } from '@sveltejs/kit';
import { boardPeriodKindSchema, DEFAULT_SCHEME_KEY, isoDateSchema, schemeKeySchema, type Board, type BoardQuery } from '#contract/dto';
import { SCHEMES } from '#domain/catalogue';
import { addDays, periodOf, previousPeriod, today } from '#domain/periods';
import { NotFoundError, readActiveSchemes, readBoard, readLastYearStanding, readSeries, readUnit } from '#server/boards';
import { publishedOpening, type Opening } from '#server/p766';
import { sql } from '#server/db';
import { parseQuery } from '#server/http';
import { estimateBefore, readUnitLineage } from '#server/lineage';
import { readSourceHealthForUnit } from '#server/sources';
import { readLateAndCorrected } from '#server/drilldown';
import { pickParams } from '#server/view-params';
import { config } from '#server/config';
import { z } from 'zod';
import { canReadBoard, canReadDetail } from '$lib/server/auth/access';
import type { PageServerLoad } from './$types';

/** The history chart's indicator when the URL names none. */
const DEFAULT_INDICATOR = 'dossier.on_time';

const schema = z.object({
  period: boardPeriodKindSchema,
  date: isoDateSchema,
  indicator: z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, 'must be an indicator key such as dossier.on_time'),
  scheme: schemeKeySchema,
  basis: z.enum(['published', 'recomputed']).optional()
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
 *
 * Under another scheme (`?scheme=national_766`, the overview's choice) the boards are that scheme's.
 * A scheme with groups (the 766 index) has no daily history; the page reads instead the previous
 * period's board (why the unit moved, per group and sub-indicator), and opened without a date it
 * shows the newest period the portal published, as the overview does.
 */
export const load: PageServerLoad = async ({ params, url, locals }) => {
  const db = await sql();
  // An officer opens their page on the period they are judged by (OFFICER_PERIOD: the reporting month by default).
  const officer = locals.principal.kind === 'user' && locals.principal.user.role === 'officer';
  const q = parseQuery(schema, pickParams(url, ['period', 'date', 'indicator', 'scheme', 'basis']), {
    period: officer ? config().OFFICER_PERIOD : 'month', date: today(), indicator: DEFAULT_INDICATOR, scheme: DEFAULT_SCHEME_KEY
  });
  const active = await readActiveSchemes(db);
  const scheme = active.find((s) => s.key === q.scheme);
  if (!scheme) error(404, `scheme: không có bộ chỉ số "${q.scheme}" đang dùng (có: ${active.map((s) => s.key).join(', ')})`);
  if (scheme.periodKinds && !scheme.periodKinds.includes(q.period)) {
    const to = new URL(url);
    to.searchParams.set('period', scheme.periodKinds.includes('month') ? 'month' : scheme.periodKinds[0]!);
    redirect(303, `${to.pathname}${to.search}`);
  }
  const grouped = scheme.groups.length > 0;
  let period = periodOf(q.period, q.date);
  let unit = await readUnit(db, params.code, period.end);
  if (!unit) error(404, `Không có đơn vị mã ${params.code}`);
  let unpublished: Opening['unpublished'] = null;
  if (grouped && scheme.groups.some((g) => g.publishedMetric) && url.searchParams.get('date') === null) {
    const opening = await publishedOpening(db, { schemeKey: scheme.key, scope: unit.parent?.code ?? unit.code, kind: q.period, date: q.date });
    if (opening.unpublished) {
      q.date = opening.date;
      unpublished = opening.unpublished;
      period = periodOf(q.period, q.date);
      unit = (await readUnit(db, params.code, period.end)) ?? unit;
    }
  }
  if (unit.validTo !== null && unit.validTo < period.end && url.searchParams.get('date') === null) {
    q.date = unit.validTo;
    period = periodOf(q.period, q.date);
    unit = (await readUnit(db, params.code, period.end)) ?? unit;
  }
  // The chosen period ends after the unit did, or before it began: no board of it to show.
  const ended = unit.validTo !== null && unit.validTo < period.end;
  const notYet = unit.validFrom !== null && unit.validFrom > period.end;
  const inForce = !ended && !notYet;

  const schemed = { scheme: q.scheme, ...(q.basis && grouped ? { basis: q.basis } : {}) };
  const query = { scope: unit.code, period: q.period, date: q.date, ...schemed };
  const parentQuery = unit.parent ? { scope: unit.parent.code, period: q.period, date: q.date, ...schemed } : null;
  // Why it moved on a scheme with groups: its row in the previous period's board of its parent.
  const previousQuery = grouped && parentQuery ? { ...parentQuery, date: previousPeriod(period).start } : null;
  // Every board is open to every signed-in person (the unit's own row is board data); the unit's
  // history only to those who may see its detail; its sources to whoever may read the board it is ranked on.
  const [detail, sourcesAllowed, lineage] = await Promise.all([
    canReadDetail(db, locals.principal, unit.code),
    canReadBoard(db, locals.principal, parentQuery?.scope ?? unit.code),
    readUnitLineage(db, unit.id)
  ]);
  const [board, parentBoard, sources, previousParentBoard, lastYear] = await Promise.all([
    unit.hasChildren && inForce ? boardOrNull(db, query) : Promise.resolve(null),
    parentQuery && inForce ? boardOrNull(db, parentQuery) : Promise.resolve(null),
    sourcesAllowed ? readSourceHealthForUnit(db, unit.code) : Promise.resolve(null),
    previousQuery && inForce ? boardOrNull(db, previousQuery) : Promise.resolve(null),
    // Its place the same days a year back, where that history exists (issue 16, item 1).
    parentQuery && inForce && !grouped ? readLastYearStanding(db, parentQuery, unit.code) : Promise.resolve(null)
  ]);
  const indicators = (parentBoard ?? board)?.indicators ?? [];
  // A scheme with groups has no daily series (its values are the portal's months, quarters and years).
  if (!grouped && indicators.length && !indicators.some((i) => i.key === q.indicator)) error(400, `indicator: không có chỉ số ${q.indicator} trong bộ chỉ số đang dùng`);
  // Raw-data detail too: which of the period's samples arrived late or were corrected afterwards.
  const [series, arrivals] = detail && inForce && !grouped
    ? await Promise.all([readSeries(db, unit.code, q.indicator, addDays(q.date, -89), q.date), readLateAndCorrected(db, unit.code, periodOf(q.period, q.date))])
    : [null, null];
  const lateOrCorrected = arrivals
    ? Object.values(arrivals).filter((a) => a.late + a.corrected > 0).map((a) => ({ key: a.indicatorKey, nameVi: a.nameVi, late: a.late, corrected: a.corrected }))
    : null;
  // The scheme choice, as on the overview: every active scheme, by its short label where the catalogue has one.
  const schemes = active.map((s) => ({ key: s.key, label: SCHEMES.find((c) => c.key === s.key)?.shortNameVi ?? s.nameVi, nameVi: s.nameVi, periodKinds: s.periodKinds }));
  const previousOwn = previousParentBoard?.rows.find((r) => r.unitCode === unit.code) ?? null;
  return {
    unit, query, parentQuery, indicator: q.indicator, board, parentBoard, lastYear, sources, series, lateOrCorrected, lineage,
    schemes, scheme: { key: scheme.key, grouped, periodKinds: scheme.periodKinds }, unpublished,
    previous: previousParentBoard ? { period: previousParentBoard.period, own: previousOwn } : null,
    state: { ended, notYet, periodEnd: period.end },
    estimateBefore: { board: board ? await estimateBefore(db, board) : null, own: unit.validFrom }
  };
};
