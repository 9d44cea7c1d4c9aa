import { bigint, boolean, date, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { units } from './units.ts';
import { users } from './auth.ts';

/**
 * Default source priorities: a system of record (polled from its API) outranks a file a unit
 * uploads, so an upload cannot change what such a system reports for the same unit, metric and day.
 */
export const DEFAULT_PRIORITY = { systemOfRecord: 100, upload: 10 } as const;

/** A district system the workers poll. Sources are data: the demo's are seeded rows, not code paths. */
export const dataSources = pgTable('data_sources', {
  id: serial().primaryKey(),
  key: text().notNull().unique(),
  name: text().notNull(),
  family: text().notNull(),
  /** json_http (JSONata mapping) | csv_http (columns mapping) | upload (.xlsx/.csv files, no polling). */
  kind: text().notNull(),
  /** samples: the mapping yields counts; tasks: it yields a task list, from which the task metrics are derived. */
  produces: text().notNull().default('samples'),
  /** How the body becomes rows; see workers/sources/mapping (validated when saved). */
  mapping: jsonb().$type<SourceMapping>().notNull(),
  /** day: a poll window is a run of days; month: it is widened to whole months. */
  granularity: text().notNull().default('day'),
  /** URL with {from} {to} (YYYY-MM-DD) and {fromMonth} {toMonth} (YYYY-MM) placeholders; empty for uploads. */
  urlTemplate: text().notNull().default(''),
  /** none | api_key | basic | bearer */
  authKind: text().notNull().default('none'),
  /** AES-256-GCM sealed JSON; never returned by the API. */
  credentialsSealed: text(),
  intervalSeconds: integer().notNull().default(60),
  timeoutMs: integer().notNull().default(10_000),
  staleAfterSeconds: integer().notNull().default(900),
  /** Each poll re-reads this many past days, so late and corrected data lands. */
  trailingDays: integer().notNull().default(3),
  /** HH:MM (ICT): the day's data is due by then; after it, a day with no success is a missed deadline. */
  dailyDeadline: text(),
  enabled: boolean().notNull().default(true),
  scopeUnitId: integer().references(() => units.id),
  /**
   * Higher wins: an upload row for a unit × metric that a higher-priority source already reports
   * (that day, or since an earlier day) is refused with the reason. Equal priorities add up.
   */
  priority: integer().notNull().default(DEFAULT_PRIORITY.systemOfRecord),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/** The mapping of a source's rows to ours (stored as jsonb; parsed with zod in workers/sources/mapping). */
export type SourceMapping =
  | { expression: string }
  | { unitColumn: string; dateColumn: string; dateFormat: string; columns: Record<string, string>; delimiter?: string };

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
    /** schedule | manual | upload | gap (an outage being filled) */
    trigger: text().notNull().default('schedule'),
    /** How many HTTP attempts the poll took (retries with backoff after a transient failure). */
    attempts: integer().notNull().default(1),
    windowFrom: date().notNull(),
    windowTo: date().notNull(),
    accepted: integer().notNull().default(0),
    rejected: integer().notNull().default(0),
    /** Samples whose value was new or different (0 when the same poll runs twice). */
    changed: integer().notNull().default(0),
    error: text(),
    rejections: jsonb().$type<RejectedRow[]>(),
    /** Kept only when something was rejected or the poll failed to parse. */
    rawBody: text(),
    /** An upload: who sent the file. */
    submittedBy: integer().references(() => users.id, { onDelete: 'set null' }),
    /** An upload held for approval: the administrator who approved it (this run is when it began to count). */
    approvedBy: integer().references(() => users.id, { onDelete: 'set null' })
  },
  (t) => [index().on(t.sourceId, t.startedAt)]
);

/**
 * The live state of each source, written in the same transaction as its poll run. The circuit
 * breaker lives here rather than in a worker's memory, so every worker process sees the same state.
 * Counters only grow: /metrics exposes them as Prometheus counters.
 */
export const sourceHealth = pgTable('source_health', {
  sourceId: integer()
    .primaryKey()
    .references(() => dataSources.id, { onDelete: 'cascade' }),
  lastPollAt: timestamp({ withTimezone: true }),
  lastSuccessAt: timestamp({ withTimezone: true }),
  /** The last day a successful poll covered: after an outage the next poll reads from here. */
  coveredThrough: date(),
  lastOutcome: text(),
  lastError: text(),
  consecutiveFailures: integer().notNull().default(0),
  /** closed | open | half_open */
  breakerState: text().notNull().default('closed'),
  /** While open: no poll before this moment. */
  breakerRetryAt: timestamp({ withTimezone: true }),
  pollsSuccess: integer().notNull().default(0),
  pollsPartial: integer().notNull().default(0),
  pollsFailed: integer().notNull().default(0),
  pollsSkipped: integer().notNull().default(0),
  samplesAccepted: bigint({ mode: 'number' }).notNull().default(0),
  rowsRejected: bigint({ mode: 'number' }).notNull().default(0),
  pollDurationMsSum: bigint({ mode: 'number' }).notNull().default(0),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/** A mapped row as an upload holds it until approved: samples' key and value. */
export interface HeldRow {
  unitId: number;
  metricId: number;
  day: string;
  value: number;
  row?: number;
}

/**
 * Uploads waiting for an administrator ("chờ duyệt", when the installation requires approval):
 * their checked rows are kept here, outside `samples`, so no board counts them until approved.
 * Approving commits them as a poll run (poll_run_id) through the same path as any upload.
 */
export const pendingUploads = pgTable(
  'pending_uploads',
  {
    id: serial().primaryKey(),
    sourceId: integer()
      .notNull()
      .references(() => dataSources.id, { onDelete: 'cascade' }),
    submittedBy: integer().references(() => users.id, { onDelete: 'set null' }),
    submittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    fileName: text(),
    windowFrom: date().notNull(),
    windowTo: date().notNull(),
    /** The rows that passed every check; emptied once reviewed. */
    rows: jsonb().$type<HeldRow[]>().notNull(),
    /** How many rows were held (kept after review). */
    accepted: integer().notNull(),
    read: integer().notNull().default(0),
    rejections: jsonb().$type<RejectedRow[]>().notNull().default([]),
    /** pending | approved | rejected */
    status: text().notNull().default('pending'),
    reviewedBy: integer().references(() => users.id, { onDelete: 'set null' }),
    reviewedAt: timestamp({ withTimezone: true }),
    pollRunId: integer().references(() => pollRuns.id, { onDelete: 'set null' })
  },
  (t) => [index().on(t.status, t.submittedAt)]
);
