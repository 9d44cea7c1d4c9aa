import { date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { units } from './units.ts';

/** Per indicator, as stored in rankings.indicators and sent on the wire. */
export interface StoredIndicator {
  numerator: number | null;
  denominator: number | null;
  ratio: number | null;
  points: number | null;
  rank: number | null;
}

/**
 * The board of one scope's children for one period: written by the workers, read by the pages.
 * A row per child unit; indicator details in jsonb because schemes change their indicators.
 */
export const rankings = pgTable(
  'rankings',
  {
    scopeUnitId: integer().notNull().references(() => units.id),
    periodKind: text().notNull(),
    periodStart: date().notNull(),
    periodEnd: date().notNull(),
    unitId: integer().notNull().references(() => units.id),
    rank: integer(),
    previousRank: integer(),
    total: doublePrecision(),
    notRankedReason: text(),
    indicators: jsonb().$type<Record<string, StoredIndicator>>().notNull(),
    schemeId: integer().notNull(),
    computedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    asOf: timestamp({ withTimezone: true })
  },
  (t) => [
    primaryKey({ columns: [t.scopeUnitId, t.periodKind, t.periodStart, t.unitId] }),
    // The recompute reads and refreshes whole periods (previous ranks, the next period's comparison).
    index().on(t.periodKind, t.periodStart)
  ]
);
