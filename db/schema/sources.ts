import { boolean, date, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { units } from './units.ts';

/** A district system the workers poll. Sources are data: the demo's are seeded rows, not code paths. */
export const dataSources = pgTable('data_sources', {
  id: serial().primaryKey(),
  key: text().notNull().unique(),
  name: text().notNull(),
  family: text().notNull(),
  /** Which adapter reads it (workers/sources/<system>). */
  kind: text().notNull(),
  /** URL with {from} and {to} placeholders (YYYY-MM-DD). */
  urlTemplate: text().notNull(),
  authKind: text().notNull().default('none'),
  /** AES-256-GCM sealed JSON; never returned by the API. */
  credentialsSealed: text(),
  intervalSeconds: integer().notNull().default(60),
  timeoutMs: integer().notNull().default(10_000),
  staleAfterSeconds: integer().notNull().default(900),
  /** Each poll re-reads this many past days, so late and corrected data lands. */
  trailingDays: integer().notNull().default(3),
  enabled: boolean().notNull().default(true),
  scopeUnitId: integer().references(() => units.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

export interface RejectedRow {
  index: number;
  reason: string;
}

/** Every poll, with what came back and what was done with it. */
export const pollRuns = pgTable(
  'poll_runs',
  {
    id: serial().primaryKey(),
    sourceId: integer().notNull().references(() => dataSources.id, { onDelete: 'cascade' }),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }),
    durationMs: integer(),
    /** success | partial (some rows rejected) | failed */
    outcome: text().notNull(),
    httpStatus: integer(),
    windowFrom: date().notNull(),
    windowTo: date().notNull(),
    accepted: integer().notNull().default(0),
    rejected: integer().notNull().default(0),
    /** Samples whose value was new or different (0 when the same poll runs twice). */
    changed: integer().notNull().default(0),
    error: text(),
    rejections: jsonb().$type<RejectedRow[]>(),
    /** Kept only when something was rejected or the poll failed to parse. */
    rawBody: text()
  },
  (t) => [index().on(t.sourceId, t.startedAt)]
);
