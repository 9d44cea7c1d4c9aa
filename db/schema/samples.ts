import { date, doublePrecision, index, integer, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { oneOf } from './checks.ts';

/** The periods a periodic value belongs to (a source's `periods`). */
export const VALUE_PERIOD_KINDS = ['month', 'quarter', 'year'] as const;
export type ValuePeriodKind = (typeof VALUE_PERIOD_KINDS)[number];

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

/**
 * One value per (unit, metric, period, source) of a periodic metric (metrics.periodic): a month's,
 * a quarter's or a year's value as its publisher gives it (the national portal's 766 fields), which
 * belongs to that period, not to a day of it. Never rolled up through the unit tree: each level
 * publishes its own (a province's payment procedures are distinct counts, not sums). A quarter the
 * publisher has not given is derived from its months (flows summed; a `points` value never derived);
 * a year from its quarters (docs/portal-766.md). Provenance columns as in `samples`.
 */
export const periodSamples = pgTable(
  'period_samples',
  {
    unitId: integer().notNull(),
    metricId: smallint().notNull(),
    periodKind: text({ enum: VALUE_PERIOD_KINDS }).notNull(),
    /** The period's first day (a month's 1st, a quarter's, a year's 1 January). */
    periodStart: date().notNull(),
    sourceId: integer().notNull(),
    value: doublePrecision().notNull(),
    observedAt: timestamp({ withTimezone: true }).notNull(),
    ingestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    pollRunId: integer(),
    firstSeenAt: timestamp({ withTimezone: true })
  },
  (t) => [
    primaryKey({ columns: [t.unitId, t.metricId, t.periodKind, t.periodStart, t.sourceId] }),
    index().on(t.periodKind, t.periodStart, t.metricId),
    oneOf(t.periodKind, VALUE_PERIOD_KINDS)
  ]
);
