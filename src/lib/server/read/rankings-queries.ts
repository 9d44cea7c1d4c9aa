/**
 * Reads of the stored boards (table `rankings`) for the read models: a board's rows and the
 * previous period's (the hot path of every board read and push: prepared builder statements), the
 * KPI tiles' totals per period, and one indicator of a unit and of its children for the drill-down
 * (raw SQL over jsonb, rows parsed with db/rows.ts).
 */
import { z } from 'zod';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { prepared, type Queryable } from '#db/client';
import { indicatorSchemes, rankings, units } from '#db/schema/index';
import { isoDate, parseRows, storedIndicator } from '#db/rows';

/** One stored board: scheme, scope and period. */
export interface BoardKey {
  schemeKey: string;
  scopeId: number;
  kind: string;
  start: string;
}

// Placeholders of the prepared board statements (values from BoardKey).
const key = {
  schemeKey: sql.placeholder('schemeKey'), scopeId: sql.placeholder('scopeId'), kind: sql.placeholder('kind'), start: sql.placeholder('start')
};
const ofBoard = and(eq(rankings.scopeUnitId, key.scopeId), eq(rankings.periodKind, key.kind), eq(rankings.periodStart, key.start), eq(rankings.schemeKey, key.schemeKey));

const boardUnitRowsStatement = prepared((db) =>
  db
    .select({
      code: units.gsoCode, name: units.name, type: units.type, rank: rankings.rank, previous_rank: rankings.previousRank, total: rankings.total,
      /** Why it has no rank, as a code (null when ranked), and the indicators with no data (no_data). */
      not_ranked_reason: rankings.notRankedReason, not_ranked_indicators: rankings.notRankedIndicators,
      /** null: the unit has no stored row for this board (not computed yet) */
      indicators: rankings.indicators,
      computed_at: rankings.computedAt, as_of: rankings.asOf,
      /** The bands of the scheme version the row was computed with. */
      bands: indicatorSchemes.bands,
      tile_col: units.tileCol, tile_row: units.tileRow
    })
    .from(units)
    .leftJoin(rankings, and(eq(rankings.unitId, units.id), ofBoard))
    .leftJoin(indicatorSchemes, eq(indicatorSchemes.id, rankings.schemeId))
    .where(and(eq(units.parentId, key.scopeId), isNull(units.validTo)))
    .orderBy(sql`${rankings.rank} asc nulls last`, sql`${rankings.total} desc nulls last`, units.gsoCode)
    .prepare('board_unit_rows')
);

/**
 * Every child in force of the scope with its stored row of the board, if any: ranked first (best
 * rank, then the higher total), then the unranked, each by unit code.
 */
export function boardUnitRows(q: Queryable, board: BoardKey) {
  return boardUnitRowsStatement(q).execute({ ...board });
}

const storedBoardRowsStatement = prepared((db) =>
  db
    .select({ code: units.gsoCode, rank: rankings.rank, total: rankings.total, indicators: rankings.indicators })
    .from(rankings)
    .innerJoin(units, eq(units.id, rankings.unitId))
    .where(ofBoard)
    .prepare('stored_board_rows')
);

/** The stored rows of a board (any unit, in force or not), by unit code: what a row moved from. */
export function storedBoardRows(q: Queryable, board: BoardKey) {
  return storedBoardRowsStatement(q).execute({ ...board });
}

const periodTotalRow = z.object({ start: isoDate, key: z.string(), numerator: z.number().nullable(), denominator: z.number().nullable() });

/** Σ numerator and Σ denominator per indicator over the scope's children, for each of these periods (starts) of a kind. */
export async function indicatorTotalsPerPeriod(q: Queryable, board: { schemeKey: string; scopeCode: string; kind: string; starts: readonly string[] }) {
  const rows = await q`
    select r.period_start::text as start, i.key,
           sum((i.value->>'numerator')::float8) as numerator, sum((i.value->>'denominator')::float8) as denominator
    from rankings r
    join units s on s.id = r.scope_unit_id and s.gso_code = ${board.scopeCode}
    cross join lateral jsonb_each(r.indicators) as i(key, value)
    where r.scheme_key = ${board.schemeKey} and r.period_kind = ${board.kind} and r.period_start = any(${q.array([...board.starts])}::date[])
    group by 1, 2`;
  return parseRows('indicatorTotalsPerPeriod', periodTotalRow, rows);
}

const childValueRow = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  hasChildren: z.boolean(),
  value: storedIndicator.nullable()
});

/**
 * The children in force of a unit with one indicator of their stored board for the period (null:
 * not computed), best rank on that indicator first, then the unranked, each by unit code.
 */
export async function childrenIndicatorValues(q: Queryable, board: Omit<BoardKey, 'scopeId'> & { unitId: number; indicatorKey: string }) {
  const rows = await q`
    select u.gso_code as code, u.name, u.type,
           exists (select 1 from units k where k.parent_id = u.id and k.valid_to is null) as "hasChildren",
           r.indicators -> ${board.indicatorKey}::text as value
    from units u
    left join rankings r on r.unit_id = u.id and r.scope_unit_id = ${board.unitId}
      and r.period_kind = ${board.kind} and r.period_start = ${board.start} and r.scheme_key = ${board.schemeKey}
    where u.parent_id = ${board.unitId} and u.valid_to is null
    order by (r.indicators -> ${board.indicatorKey}::text ->> 'rank')::int asc nulls last, u.gso_code`;
  return parseRows('childrenIndicatorValues', childValueRow, rows);
}

/** One indicator of a unit in its parent's stored board for the period (null: not computed, or the root). */
export async function ownIndicatorValue(q: Queryable, board: Omit<BoardKey, 'scopeId'> & { unitId: number; indicatorKey: string }) {
  const rows = await q`
    select r.indicators -> ${board.indicatorKey}::text as value
    from rankings r join units u on u.id = r.unit_id and u.id = ${board.unitId}
    where r.scope_unit_id = u.parent_id and r.period_kind = ${board.kind} and r.period_start = ${board.start}
      and r.scheme_key = ${board.schemeKey}`;
  return parseRows('ownIndicatorValue', z.object({ value: storedIndicator.nullable() }), rows)[0]?.value ?? null;
}
