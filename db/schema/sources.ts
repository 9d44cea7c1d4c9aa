import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, serial, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { METRIC_FAMILIES } from '#domain/catalogue';
import { oneOf } from './checks.ts';
import { units } from './units.ts';
import { users } from './auth.ts';

/**
 * Default source priorities: a system of record (polled from its API) outranks a file a unit
 * uploads, so an upload cannot change what such a system reports for the same unit, metric and day.
 */
export const DEFAULT_PRIORITY = { systemOfRecord: 100, upload: 10 } as const;

/** json_http: JSON over HTTP (JSONata mapping); csv_http: CSV over HTTP (columns mapping); upload: .xlsx/.csv files, no polling. */
export const SOURCE_KINDS = ['json_http', 'csv_http', 'upload'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
/** samples: the mapping yields counts; tasks: it yields a task list, from which the task metrics are derived. */
export const SOURCE_PRODUCES = ['samples', 'tasks'] as const;
export type SourceProduces = (typeof SOURCE_PRODUCES)[number];
/** day: a poll window is a run of days; month: it is widened to whole months. */
export const GRANULARITIES = ['day', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export const AUTH_KINDS = ['none', 'api_key', 'basic', 'bearer'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];
/** How a JSON / CSV source is asked (src/lib/server/pipeline/request.ts). */
export const HTTP_METHODS = ['GET', 'POST'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
/** A body template is sent as JSON (application/json) or as a form (application/x-www-form-urlencoded). */
export const BODY_TYPES = ['json', 'form'] as const;
/**
 * How a source's numbers are written, for the mapping's $number / $num helpers: vi "1.234,5",
 * en "1,234.5"; none: a value with a thousands separator is ambiguous and its row is rejected.
 */
export const NUMBER_LOCALES = ['vi', 'en'] as const;
export type NumberLocale = (typeof NUMBER_LOCALES)[number];

/**
 * Pagination: none; page: `{page}` counts up from `start` until a page maps to no record;
 * next: `expression` (JSONata, on the body) gives the next URL or the cursor for `{cursor}`, until
 * it gives nothing. Never more than maxPages requests per window.
 */
export type Pagination =
  | { kind: 'none' }
  | { kind: 'page'; start: number; maxPages: number }
  | { kind: 'next'; expression: string; maxPages: number };

/** The request a source is asked with, beside its URL template (placeholders: see pipeline/request.ts). */
export interface RequestSpec {
  method: HttpMethod;
  /** Header name → template. */
  headers: Record<string, string>;
  /** The body template (POST), or null. */
  body: string | null;
  bodyType: (typeof BODY_TYPES)[number];
  pagination: Pagination;
}

export const DEFAULT_REQUEST: RequestSpec = { method: 'GET', headers: {}, body: null, bodyType: 'json', pagination: { kind: 'none' } };

/** A district system the workers poll. Sources are data: the demo's are seeded rows, not code paths. */
export const dataSources = pgTable('data_sources', {
  id: serial().primaryKey(),
  key: text().notNull().unique(),
  name: text().notNull(),
  family: text({ enum: METRIC_FAMILIES }).notNull(),
  kind: text({ enum: SOURCE_KINDS }).notNull(),
  produces: text({ enum: SOURCE_PRODUCES }).notNull().default('samples'),
  /** How the body becomes rows; see src/lib/server/pipeline/mapping (validated when saved). */
  mapping: jsonb().$type<SourceMapping>().notNull(),
  granularity: text({ enum: GRANULARITIES }).notNull().default('day'),
  /** URL with {from} {to} (YYYY-MM-DD) and {fromMonth} {toMonth} (YYYY-MM) placeholders; empty for uploads. */
  urlTemplate: text().notNull().default(''),
  /** Method, headers, body and pagination (GET with none of them by default). */
  request: jsonb().$type<RequestSpec>().notNull().default(DEFAULT_REQUEST),
  /**
   * A periodic source (the national portal): the period kinds it publishes values for (month,
   * quarter, year); each poll asks once per period of each kind that overlaps its window, and its
   * rows are that period's values (period_samples). null: a source of daily (or monthly) samples.
   */
  periods: text().array().$type<('month' | 'quarter' | 'year')[]>(),
  /** The code system the source's unit codes are in: 'gso', or a key of units.external_codes (e.g. 'portal'). */
  codeSystem: text().notNull().default('gso'),
  /** How its numbers are written (see NUMBER_LOCALES); null: not declared. */
  numberLocale: text({ enum: NUMBER_LOCALES }),
  authKind: text({ enum: AUTH_KINDS }).notNull().default('none'),
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
}, (t) => [
  oneOf(t.family, METRIC_FAMILIES), oneOf(t.kind, SOURCE_KINDS), oneOf(t.produces, SOURCE_PRODUCES), oneOf(t.granularity, GRANULARITIES), oneOf(t.authKind, AUTH_KINDS),
  oneOf(t.numberLocale, NUMBER_LOCALES),
  check('data_sources_periods_check', sql`${t.periods} <@ ARRAY['month', 'quarter', 'year']::text[]`)
]);

/** The mapping of a source's rows to ours (stored as jsonb; parsed with zod in src/lib/server/pipeline/mapping). */
export type SourceMapping =
  | { expression: string }
  | { unitColumn: string; dateColumn: string; dateFormat: string; columns: Record<string, string>; delimiter?: string };

export interface RejectedRow {
  index: number;
  reason: string;
}

/** What a recorded poll came to: partial = some rows rejected. (A poll skipped by the open breaker records no run.) */
export const POLL_OUTCOMES = ['success', 'partial', 'failed'] as const;
export type PollRunOutcome = (typeof POLL_OUTCOMES)[number];
/**
 * Why a poll ran: schedule; manual ("poll now"); upload (a file, stored like a poll); gap (a scheduled
 * poll reading back over an outage); backfill (history loaded in bulk, one run per piece of the window).
 */
export const POLL_TRIGGERS = ['schedule', 'manual', 'upload', 'gap', 'backfill'] as const;
export type PollTrigger = (typeof POLL_TRIGGERS)[number];
/**
 * Where a failed poll failed, so a health card can say it in words: connection (no answer, reset,
 * timeout, refused address), http (a 4xx/5xx status), parse (a body that is not JSON / CSV),
 * mapping (the mapping could not read the body), config (the source's own set-up: key, mapping, template).
 */
export const ERROR_STAGES = ['connection', 'http', 'parse', 'mapping', 'config'] as const;
export type ErrorStage = (typeof ERROR_STAGES)[number];
/** The stored breaker: open until breaker_retry_at. "half_open" is not stored: it is an open breaker whose time has come (read models). */
export const BREAKER_STATES = ['closed', 'open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** Every poll, with what came back and what was done with it. */
export const pollRuns = pgTable(
  'poll_runs',
  {
    id: serial().primaryKey(),
    sourceId: integer().notNull().references(() => dataSources.id, { onDelete: 'cascade' }),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }),
    durationMs: integer(),
    outcome: text({ enum: POLL_OUTCOMES }).notNull(),
    httpStatus: integer(),
    trigger: text({ enum: POLL_TRIGGERS }).notNull().default('schedule'),
    /** How many HTTP attempts the poll took (retries with backoff after a transient failure). */
    attempts: integer().notNull().default(1),
    windowFrom: date().notNull(),
    windowTo: date().notNull(),
    accepted: integer().notNull().default(0),
    rejected: integer().notNull().default(0),
    /** Rows of known units outside the source's scope, skipped (a system answering for more units than the source takes). */
    skipped: integer().notNull().default(0),
    /** Samples whose value was new or different (0 when the same poll runs twice). */
    changed: integer().notNull().default(0),
    error: text(),
    /** A failed poll: where it failed (ERROR_STAGES). */
    errorStage: text({ enum: ERROR_STAGES }),
    rejections: jsonb().$type<RejectedRow[]>(),
    /** Kept only when something was rejected or the poll failed to parse. */
    rawBody: text(),
    /** An upload: who sent the file. */
    submittedBy: integer().references(() => users.id, { onDelete: 'set null' }),
    /** An upload held for approval: the administrator who approved it (this run is when it began to count). */
    approvedBy: integer().references(() => users.id, { onDelete: 'set null' }),
    /** A window of a `backfill-source` job: the job (pg-boss id), whose progress is read from its runs. */
    jobId: uuid()
  },
  (t) => [index().on(t.sourceId, t.startedAt), index('poll_runs_job_id_index').on(t.jobId).where(sql`${t.jobId} is not null`), oneOf(t.outcome, POLL_OUTCOMES), oneOf(t.trigger, POLL_TRIGGERS), oneOf(t.errorStage, ERROR_STAGES)]
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
  lastOutcome: text({ enum: POLL_OUTCOMES }),
  lastError: text(),
  /** The last failure's stage (ERROR_STAGES); null after a success. */
  lastErrorStage: text({ enum: ERROR_STAGES }),
  consecutiveFailures: integer().notNull().default(0),
  breakerState: text({ enum: BREAKER_STATES }).notNull().default('closed'),
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
}, (t) => [oneOf(t.lastOutcome, POLL_OUTCOMES), oneOf(t.breakerState, BREAKER_STATES), oneOf(t.lastErrorStage, ERROR_STAGES)]);

/** A mapped row as an upload holds it until approved: samples' key and value. */
export interface HeldRow {
  unitId: number;
  metricId: number;
  day: string;
  value: number;
  row?: number;
}

/** An upload held for approval: waiting, then approved (counted) or rejected (never counted). */
export const UPLOAD_REVIEW_STATES = ['pending', 'approved', 'rejected'] as const;

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
    status: text().$type<(typeof UPLOAD_REVIEW_STATES)[number]>().notNull().default('pending'),
    reviewedBy: integer().references(() => users.id, { onDelete: 'set null' }),
    reviewedAt: timestamp({ withTimezone: true }),
    pollRunId: integer().references(() => pollRuns.id, { onDelete: 'set null' })
  },
  (t) => [index().on(t.status, t.submittedAt), oneOf(t.status, UPLOAD_REVIEW_STATES)]
);
