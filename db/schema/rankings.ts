import { boolean, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { STORED_NOT_RANKED_CODES } from '#domain/board';
import { PERIOD_KINDS } from '#domain/periods';
import { oneOf } from './checks.ts';
import { units } from './units.ts';

/** Per indicator, as stored in rankings.indicators and sent on the wire. */
export interface StoredIndicator {
  numerator: number | null;
  denominator: number | null;
  ratio: number | null;
  points: number | null;
  rank: number | null;
}

/** Per scheme group (the 766 index's six), as stored in rankings.groups and sent on the wire. */
export interface StoredGroup {
  /** Ours: the sum of the group's rounded sub-indicator points (the published score for a published-only group). */
  points: number | null;
  /** The publisher's own score of the group (the portal's); null when none is published. */
  published: number | null;
  /** Rank among the board's group of units on the score the board ranks on (published by default). */
  rank: number | null;
}

/**
 * The board of one scope's children for one period under one scheme: written by the workers, read by
 * the pages. A row per child unit; indicator details in jsonb because schemes change their indicators.
 */
export const rankings = pgTable(
  'rankings',
  {
    /**
     * Which scheme ranked it (indicator_schemes.key: operations, national_766): every active scheme has
     * its own boards. Rows from before schemes were plural are the operations scheme's (the default).
     */
    schemeKey: text().notNull().default('operations'),
    scopeUnitId: integer().notNull().references(() => units.id),
    periodKind: text({ enum: PERIOD_KINDS }).notNull(),
    periodStart: date().notNull(),
    periodEnd: date().notNull(),
    unitId: integer().notNull().references(() => units.id),
    rank: integer(),
    previousRank: integer(),
    total: doublePrecision(),
    /** Why the unit has no rank, as a code (src/lib/domain/board.ts NotRanked); null when ranked. */
    notRankedReason: text({ enum: STORED_NOT_RANKED_CODES }),
    /** The indicators (keys) with no data, when the reason is no_data. */
    notRankedIndicators: jsonb().$type<string[]>(),
    indicators: jsonb().$type<Record<string, StoredIndicator>>().notNull(),
    schemeId: integer().notNull(),
    computedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    asOf: timestamp({ withTimezone: true }),
    /**
     * True when part of the figures is an estimate: the period reaches before a reform and a
     * predecessor that went only in part into this unit reported in it (unit_lineage.estimated).
     */
    estimated: boolean().notNull().default(false),
    /** Per scheme group (StoredGroup); null for a scheme without groups. */
    groups: jsonb().$type<Record<string, StoredGroup>>(),
    /** The total from our computation (Σ of the groups' points); equals total for a scheme that publishes nothing. */
    totalRecomputed: doublePrecision(),
    /** The publisher's total (Σ of its group scores); null when it publishes nothing for the unit. */
    totalPublished: doublePrecision()
  },
  (t) => [
    // scheme_key after the period: a read that names scope and period but no scheme still walks the key.
    // Named: the generated name would pass PostgreSQL's 63-character limit and be truncated.
    primaryKey({ name: 'rankings_board_unit_pk', columns: [t.scopeUnitId, t.periodKind, t.periodStart, t.schemeKey, t.unitId] }),
    // The recompute reads and refreshes whole periods (previous ranks, the next period's comparison).
    index().on(t.periodKind, t.periodStart),
    oneOf(t.periodKind, PERIOD_KINDS),
    oneOf(t.notRankedReason, STORED_NOT_RANKED_CODES)
  ]
);
