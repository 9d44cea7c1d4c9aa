import { date, doublePrecision, index, integer, pgTable, primaryKey, smallint, timestamp } from 'drizzle-orm/pg-core';

/**
 * One value per (unit, metric, day, source). Upserts are idempotent on that key.
 * double precision holds every count and every VND amount exactly (< 2^53) and arrives as a JS number.
 * No foreign keys here, deliberately: ingest resolves unit, metric and source ids before writing,
 * and three FK checks per row tripled the time of a backfill of a million samples.
 */
export const samples = pgTable(
  'samples',
  {
    unitId: integer().notNull(),
    metricId: smallint().notNull(),
    day: date().notNull(),
    sourceId: integer().notNull(),
    value: doublePrecision().notNull(),
    observedAt: timestamp({ withTimezone: true }).notNull(),
    /** When the value last changed (or was first stored). */
    ingestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The poll run (poll_runs.id) that last wrote or changed this value; null before migration 0006. */
    pollRunId: integer(),
    /**
     * When the value was first stored by a poll or an upload; never updated afterwards. Null for
     * samples stored before migration 0006 and for history loaded by a backfill, whose arrival
     * time is unknown: neither counts as late.
     */
    firstSeenAt: timestamp({ withTimezone: true })
  },
  (t) => [primaryKey({ columns: [t.unitId, t.metricId, t.day, t.sourceId] }), index().on(t.metricId, t.day)]
);
