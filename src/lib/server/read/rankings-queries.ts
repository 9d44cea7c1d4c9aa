/**
 * Reads of the stored boards (table `rankings`) for the read models: a board's rows and the
 * previous period's (every board read and push: checked by their columns), the KPI tiles' totals
 * per period, and one indicator of a unit and of its children for the drill-down (rows parsed).
 */
import { z } from 'zod';
import type { Queryable } from '#db/client';
import type { indicatorSchemes, rankings } from '#db/schema/index';
import { checkColumns, column, isoDate, parseRows, storedIndicator } from '#db/rows';

/** One stored board: scheme, scope and period. */
export interface BoardKey {
  schemeKey: string;
  scopeId: number;
  kind: string;
  start: string;
}

/** A board and the last day of its period: its rows are the scope's children in force on that day. */
export interface BoardPeriodKey extends BoardKey {
  end: string;
}

type StoredRanking = typeof rankings.$inferSelect;

const boardUnitColumns = {
  id: column.int4,
  code: column.text,
  name: column.text,
  type: column.text,
  level: column.text,
  rank: column.nullable(column.int4),
  previous_rank: column.nullable(column.int4),
  total: column.nullable(column.float8),
  /** Why it has no rank, as a code (null when ranked), and the indicators with no data (no_data). */
  not_ranked_reason: column.nullable(column.schema<NonNullable<StoredRanking['notRankedReason']>>(column.text)),
  not_ranked_indicators: column.nullable(column.schema<NonNullable<StoredRanking['notRankedIndicators']>>(column.jsonb)),
  /** null: the unit has no stored row for this board (not computed yet) */
  indicators: column.nullable(column.schema<StoredRanking['indicators']>(column.jsonb)),
  computed_at: column.nullable(column.timestamptz),
  as_of: column.nullable(column.timestamptz),
  /** The bands of the scheme version the row was computed with. */
  bands: column.nullable(column.schema<(typeof indicatorSchemes.$inferSelect)['bands']>(column.jsonb)),
  tile_col: column.nullable(column.int2),
  tile_row: column.nullable(column.int2),
  estimated: column.nullable(column.bool),
  /** Per scheme group (a scheme with groups), else null. */
  groups: column.nullable(column.schema<NonNullable<StoredRanking['groups']>>(column.jsonb)),
  total_recomputed: column.nullable(column.float8),
  total_published: column.nullable(column.float8)
};

/**
 * Every child of the scope in force on the period's last day with its stored row of the board, if
 * any: ranked first (best rank, then the higher total), then the unranked, each by unit code.
 */
export async function boardUnitRows(q: Queryable, board: BoardPeriodKey) {
  const rows = await q`
    select u.id, u.gso_code as code, u.name, u.type, u.level, r.rank, r.previous_rank, r.total, r.not_ranked_reason, r.not_ranked_indicators, r.indicators,
           r.computed_at, r.as_of, sch.bands, u.tile_col, u.tile_row, r.estimated, r.groups, r.total_recomputed, r.total_published
    from units u
    left join rankings r on r.unit_id = u.id and r.scope_unit_id = ${board.scopeId}
      and r.period_kind = ${board.kind} and r.period_start = ${board.start} and r.scheme_key = ${board.schemeKey}
    left join indicator_schemes sch on sch.id = r.scheme_id
    where u.parent_id = ${board.scopeId}
      and (u.valid_from is null or u.valid_from <= ${board.end}::date) and (u.valid_to is null or u.valid_to >= ${board.end}::date)
    order by r.rank asc nulls last, r.total desc nulls last, u.gso_code`;
  // Every board read and push: checked by its columns (zod on these rows and their jsonb doubled the read's own work).
  return checkColumns('boardUnitRows', boardUnitColumns, rows);
}

const storedBoardColumns = {
  id: column.int4,
  code: column.text,
  rank: column.nullable(column.int4),
  total: column.nullable(column.float8),
  indicators: column.schema<StoredRanking['indicators']>(column.jsonb)
};

/** The stored rows of a board (any unit, in force or not), by unit code: what a row moved from. */
export async function storedBoardRows(q: Queryable, board: BoardKey) {
  const rows = await q`
    select u.id, u.gso_code as code, r.rank, r.total, r.indicators
    from rankings r join units u on u.id = r.unit_id
    where r.scope_unit_id = ${board.scopeId} and r.period_kind = ${board.kind} and r.period_start = ${board.start}
      and r.scheme_key = ${board.schemeKey}`;
  return checkColumns('storedBoardRows', storedBoardColumns, rows);
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
 * The children of a unit in force on the period's last day with one indicator of their stored board
 * for the period (null: not computed), best rank on that indicator first, then the unranked, each by unit code.
 */
export async function childrenIndicatorValues(q: Queryable, board: Omit<BoardPeriodKey, 'scopeId'> & { unitId: number; indicatorKey: string }) {
  const rows = await q`
    select u.gso_code as code, u.name, u.type,
           exists (select 1 from units k where k.parent_id = u.id
                   and (k.valid_from is null or k.valid_from <= ${board.end}::date) and (k.valid_to is null or k.valid_to >= ${board.end}::date)) as "hasChildren",
           r.indicators -> ${board.indicatorKey}::text as value
    from units u
    left join rankings r on r.unit_id = u.id and r.scope_unit_id = ${board.unitId}
      and r.period_kind = ${board.kind} and r.period_start = ${board.start} and r.scheme_key = ${board.schemeKey}
    where u.parent_id = ${board.unitId}
      and (u.valid_from is null or u.valid_from <= ${board.end}::date) and (u.valid_to is null or u.valid_to >= ${board.end}::date)
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
