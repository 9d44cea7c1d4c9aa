/**
 * One poll of one source: choose the window (the trailing days, or back to the last success after
 * an outage) → fetch it (bounded: timeout, size cap, retries with backoff) → map and check row by
 * row → upsert → recompute the boards of the changed days → record the run and the source's
 * health → NOTIFY, all in one transaction, so a NOTIFY only ever announces committed data.
 * A periodic source (data_sources.periods) is asked once per period of each of its kinds that
 * overlaps the window (periods.ts); its rows are those periods' values (period_samples), and the
 * boards of the changed periods are recomputed.
 * A circuit breaker per source (its state in `source_health`, shared by every worker process)
 * stops hammering a system that keeps failing. Returns an outcome instead of throwing: a bad
 * source never takes the worker down.
 */
import { eq, sql as expr } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { isoTimestamp, orm, type Queryable, type Sql } from '#db/client';
import { dataSources, sourceHealth, type BreakerState, type Granularity, type Pagination, type PollRunOutcome, type PollTrigger } from '#db/schema/sources';
import { RANKINGS_CHANNEL, SOURCES_CHANNEL, type RankingsChanged } from '#contract/notify';
import { open } from '#server/secrets';
import { addDays, periodOf, today, ZONE, type Period, type PeriodKind } from '#domain/periods';
import { BOARD_PERIOD_KINDS } from '#contract/dto';
import type { RejectedRow } from '#db/schema/sources';
import { loadLookups, reservePollRunId, upsertPeriodSamples, upsertSamples } from './ingest.ts';
import { boardsOfChangedPeriods, periodPieces, periodWords, sourcePeriods } from './periods.ts';
import type { ValuePeriodKind } from '#db/schema/samples';
import { LIVE_PERIOD_KINDS, recomputeRankings, schemesUsing } from '../ranking/rankings.ts';
import { exchangeOf, fetchWithRetry, type Exchange, type RetryPolicy } from './client.ts';
import { prepareRequest, requestBinding } from './request.ts';
import { mappingPool } from './mapping/sandbox.ts';
import { mapBody, type Body, type Mapped, type PeriodRow, type UnitTree } from './mapping/index.ts';
import type { Lookups, Window } from './mapping/validate.ts';
import { SourceError, type Credentials } from './types.ts';
import { FAILED_BODY_KEPT_CHARS, REJECTED_BODY_KEPT_CHARS } from '../limits.ts';
import { plainCsv } from '../csv.ts';
import type { PgBoss } from 'pg-boss';
import { queueBigBoards, queueLongBoards } from '../jobs/send.ts';
import { scopesReached, scopesRollingUpMoreThan } from '../ranking/queries.ts';
import { BIG_BOARD_UNITS } from '../ranking/slow-boards.ts';

/** A source as a poll reads it (credentials still sealed); a form's test connection builds one too. */
export interface SourceRow
  extends Pick<
    typeof dataSources.$inferSelect,
    'id' | 'key' | 'name' | 'kind' | 'produces' | 'granularity' | 'urlTemplate' | 'authKind' | 'credentialsSealed' | 'intervalSeconds' |
    'timeoutMs' | 'staleAfterSeconds' | 'trailingDays' | 'scopeUnitId' | 'enabled' | 'request' | 'codeSystem' | 'numberLocale'
  > {
  /** The period kinds a periodic source publishes (null / absent: a source of a day's values). */
  periods?: ValuePeriodKind[] | null;
  family: string;
  /** Parsed by the mapping (pipeline/mapping) each time it is used. */
  mapping: unknown;
}

/** Why a poll runs (see POLL_TRIGGERS). */
export type Trigger = PollTrigger;

export interface PollOutcome {
  pollRunId: number | null;
  /** skipped: the breaker is open, and no run is recorded. */
  outcome: PollRunOutcome | 'skipped';
  accepted: number;
  rejected: number;
  changed: number;
  error: string | null;
  window: Window | null;
}

/** Open after this many failed polls in a row; stay open clamp(interval × 2^(n − threshold), min, max) seconds. */
export const BREAKER = { threshold: 5, minOpenSeconds: 30, maxOpenSeconds: 120 } as const;
/** After an outage, a poll reads back to the last day covered, at most this far. */
export const MAX_GAP_DAYS = 62;

export async function loadSource(sql: Queryable, sourceId: number): Promise<SourceRow | undefined> {
  const s = dataSources;
  const [row] = await orm(sql)
    .select({
      id: s.id, key: s.key, name: s.name, family: s.family, kind: s.kind, produces: s.produces, mapping: s.mapping, granularity: s.granularity,
      urlTemplate: s.urlTemplate, authKind: s.authKind, credentialsSealed: s.credentialsSealed, intervalSeconds: s.intervalSeconds,
      timeoutMs: s.timeoutMs, staleAfterSeconds: s.staleAfterSeconds, trailingDays: s.trailingDays, scopeUnitId: s.scopeUnitId, enabled: s.enabled,
      request: s.request, codeSystem: s.codeSystem, numberLocale: s.numberLocale, periods: s.periods
    })
    .from(s)
    .where(eq(s.id, sourceId));
  return row && { ...row, periods: sourcePeriods(row.periods) };
}

export function credentialsOf(source: Pick<SourceRow, 'authKind' | 'credentialsSealed'>, secretKeyHex: string | undefined): Credentials {
  if (source.authKind === 'none' || !source.credentialsSealed) return { kind: 'none' };
  if (!secretKeyHex) throw new SourceError('chưa đặt CITYOPS_SECRET_KEY: không mở được thông tin xác thực đã niêm phong', 'config');
  try {
    return JSON.parse(open(source.credentialsSealed, secretKeyHex)) as Credentials;
  } catch {
    throw new SourceError('không mở được thông tin xác thực bằng CITYOPS_SECRET_KEY này (khóa đã bị đổi?)', 'config');
  }
}

const monthStart = (day: string) => `${day.slice(0, 7)}-01`;

/**
 * The days a poll reads: the trailing window, widened back to the last covered day after an
 * outage (at most MAX_GAP_DAYS), and to whole months for a monthly source. (A periodic source then
 * asks for every period that overlaps these days: fetchWindow.)
 */
export function pollWindow(source: Pick<SourceRow, 'trailingDays' | 'granularity' | 'periods'>, coveredThrough: string | null, day: string): Window & { gap: boolean } {
  let from = addDays(day, -(Math.max(1, source.trailingDays) - 1));
  let gap = false;
  if (coveredThrough && coveredThrough < from) {
    from = [coveredThrough, addDays(day, -(MAX_GAP_DAYS - 1))].sort().at(-1)!;
    gap = true;
  }
  if (source.granularity === 'month' && !source.periods?.length) from = monthStart(from);
  return { from, to: day, gap };
}

/** A long window in the pieces a source answers in one go (31 days, or 12 months). */
export function splitWindow(window: Window, granularity: Granularity): Window[] {
  const out: Window[] = [];
  for (let from = window.from; from <= window.to; ) {
    const end =
      granularity === 'month'
        ? DateTime.fromISO(from, { zone: ZONE }).plus({ months: 12 }).minus({ days: 1 }).toISODate()!
        : addDays(from, 30);
    const to = [end, window.to].sort()[0]!;
    out.push({ from, to });
    from = addDays(to, 1);
  }
  return out;
}

/**
 * The pieces a source is asked for, one request (with its pages) each: a periodic source's periods
 * (periods.ts), else the window in the pieces it answers in one go (splitWindow).
 */
export function piecesOf(source: Pick<SourceRow, 'granularity' | 'periods'>, window: Window): Window[] {
  if (window.period) return [window];
  return source.periods?.length ? periodPieces(window, source.periods) : splitWindow(window, source.granularity);
}

/** The boards of the given kinds that a set of changed days touches. */
export function affectedPeriods(days: Iterable<string>, kinds: readonly PeriodKind[] = LIVE_PERIOD_KINDS): Period[] {
  const map = new Map<string, Period>();
  for (const day of days) {
    for (const kind of kinds) {
      const p = periodOf(kind, day);
      map.set(`${p.kind}|${p.start}`, p);
    }
  }
  return [...map.values()];
}

export interface Fetched extends Mapped {
  httpStatus: number;
  /** The last piece's body (kept in the run when something was rejected). */
  body: string;
  attempts: number;
  /** The requests made and their responses (the first `maxExchanges`, none unless asked), as test connection shows them. */
  exchanges: Exchange[];
}

/** How many rows a failed poll's reason can name: "N dòng bị từ chối". */
export const rejectedWords = (n: number) => `${n.toLocaleString('vi-VN')} dòng bị từ chối`;

const looksLikeUrl = (x: string) => /^(https?:\/\/|\/|\?)/i.test(x);

/** The next page by the 'next' expression: a URL (same origin as the source's) or a cursor; null: no next page. */
async function nextPage(
  source: SourceRow,
  expression: string,
  body: string,
  binding: unknown,
  current: string,
  origin: string
): Promise<{ url: string } | { cursor: string } | null> {
  let result: unknown;
  try {
    result = await mappingPool().evaluate(body, expression, { request: binding, locale: source.numberLocale });
  } catch (e) {
    if (e instanceof SourceError) throw new SourceError(`biểu thức trang sau: ${e.message}`, e.stage === 'parse' ? 'parse' : 'mapping');
    throw e;
  }
  if (Array.isArray(result)) result = result[0];
  if (typeof result === 'number' && Number.isFinite(result)) result = String(result);
  if (typeof result !== 'string' || result.trim() === '') return null;
  const next = result.trim();
  if (!looksLikeUrl(next)) return { cursor: next };
  let url: URL;
  try {
    url = new URL(next, current);
  } catch {
    throw new SourceError(`biểu thức trang sau cho «${next.slice(0, 200)}», không phải địa chỉ hợp lệ`, 'config');
  }
  if (url.origin !== origin) {
    throw new SourceError(`liên kết trang sau ${url.origin} không cùng địa chỉ với nguồn (${origin}): bị từ chối`, 'config');
  }
  return { url: url.href };
}

/**
 * Fetch a window (in pieces when long; each piece page by page when the source paginates) and map
 * it; every rejected row with its reason. Pagination never asks more than maxPages pages per piece:
 * a source that still has pages after that fails the poll in words (stage config) rather than
 * storing a part of the window.
 */
export async function fetchWindow(
  source: SourceRow,
  window: Window,
  credentials: Credentials,
  lookups: Lookups & UnitTree,
  options: {
    timeoutMs?: number;
    retry?: RetryPolicy;
    /** How many exchanges to keep (pretty-printing a body costs a parse): 0 by default; test connection keeps 20. */
    maxExchanges?: number;
  } = {}
): Promise<Fetched> {
  if (source.kind === 'upload') throw new SourceError('nguồn tải tệp lên không được lấy tự động: hãy tải tệp lên', 'config');
  const out: Fetched = { rows: [], periodRows: [], rejected: [], read: 0, httpStatus: 0, body: '', attempts: 0, exchanges: [] };
  const maxExchanges = options.maxExchanges ?? 0;
  const keep = (exchanges: Exchange[]) => {
    for (const x of exchanges) if (out.exchanges.length < maxExchanges) out.exchanges.push(x);
  };
  const pagination: Pagination = source.request?.pagination ?? { kind: 'none' };
  const maxPages = pagination.kind === 'none' ? 1 : Math.max(1, pagination.maxPages);
  const pieces = piecesOf(source, window);
  try {
    for (const piece of pieces) {
      // A periodic piece's values by unit and metric, across its pages (a repeat is dropped, a contradiction refused).
      const seen = new Map<string, { row: PeriodRow; page: number }>();
      let page = pagination.kind === 'page' ? pagination.start : 1;
      let cursor: string | null = null;
      let nextUrl: string | null = null;
      let origin: string | null = null;
      for (let n = 1; ; n++) {
        const prepared = prepareRequest(source, piece, { page, cursor }, credentials);
        origin ??= new URL(prepared.url).origin;
        if (nextUrl) prepared.url = nextUrl;
        const r = await fetchWithRetry(prepared, { timeoutMs: options.timeoutMs ?? source.timeoutMs, retry: options.retry });
        if (out.exchanges.length < maxExchanges) keep([exchangeOf(prepared, r)]);
        out.attempts += r.attempts;
        out.httpStatus = r.status;
        let mapped: Mapped;
        try {
          mapped = await mapBody(source, { text: r.body }, lookups, piece, { page });
        } catch (e) {
          if (e instanceof SourceError) throw new SourceError(e.message, e.stage, r.status, r.body);
          throw e;
        }
        for (const row of mapped.rows) out.rows.push(row); // not push(...rows): a backfill piece is too many arguments
        // Row numbers are per piece and page: name them when there are several (a period's rows name their period).
        const prefix = `${piece.period ? `${periodWords(piece.period)}: ` : pieces.length > 1 ? `${piece.from} – ${piece.to}: ` : ''}${pagination.kind === 'none' ? '' : `trang ${page}: `}`;
        for (const x of mapped.rejected) out.rejected.push({ index: x.index, reason: prefix + x.reason });
        for (const row of mapped.periodRows ?? []) {
          const key = `${row.unitId}|${row.metricId}`;
          const earlier = seen.get(key);
          if (!earlier) seen.set(key, { row, page });
          else if (earlier.row.value !== row.value) {
            const metric = [...lookups.metrics].find(([, m]) => m.id === row.metricId)?.[0] ?? String(row.metricId);
            const unit = [...lookups.unitIdByCode].find(([, id]) => id === row.unitId)?.[0] ?? String(row.unitId);
            out.rejected.push({
              index: 0,
              reason: `${prefix}đơn vị ${unit}, ${metric}: giá trị ${row.value} mâu thuẫn với giá trị ${earlier.row.value} ở trang ${earlier.page} của cùng kỳ: không lưu cả hai`
            });
            earlier.row.value = Number.NaN; // dropped below
          }
        }
        out.read += mapped.read;
        out.skipped = (out.skipped ?? 0) + (mapped.skipped ?? 0);
        if (mapped.rejected.length || !out.body) out.body = r.body;
        if (pagination.kind === 'none') break;
        if (pagination.kind === 'page') {
          if (mapped.read === 0) break;
          page++;
        } else {
          const next = await nextPage(source, pagination.expression, r.body, requestBinding(piece, source.granularity, page), prepared.url, origin);
          if (!next) break;
          page++;
          if ('url' in next) nextUrl = next.url;
          else {
            cursor = next.cursor;
            nextUrl = null;
          }
        }
        if (n >= maxPages) {
          throw new SourceError(
            `nguồn vẫn còn trang sau ${maxPages} trang (giới hạn số trang mỗi lần lấy${pieces.length > 1 ? `, đoạn ${piece.from} – ${piece.to}` : ''}): ` +
              'không lưu một phần dữ liệu — hãy tăng giới hạn số trang hoặc kiểm tra cách phân trang',
            'config'
          );
        }
      }
      for (const { row } of seen.values()) if (!Number.isNaN(row.value)) out.periodRows!.push(row);
    }
  } catch (e) {
    if (e instanceof SourceError) {
      const failing = e.exchanges;
      e.exchanges = out.exchanges;
      keep(failing);
    }
    throw e;
  }
  return out;
}

/**
 * Long boards touched by a change: one recompute job per period, a few minutes later, written in the
 * poll's own transaction (a rolled-back poll leaves none). Without a job queue (tests that do not
 * look at the long boards) they are left alone.
 */
/**
 * A poll's live boards, recomputed in its transaction: those its changed units reach, except the big
 * ones (BIG_BOARD_UNITS: the country's), which a job recomputes a few seconds later for every poll of
 * those seconds. Without a job queue (a test, a script) every board reached is recomputed here.
 */
export async function recomputeLiveBoards(
  tx: Queryable,
  periods: Period[],
  schemes: string[],
  units: Iterable<number>,
  jobs: PgBoss | undefined,
  bigBoardUnits = BIG_BOARD_UNITS
): Promise<number[]> {
  if (!periods.length) return [];
  const changed = [...units];
  const big = jobs ? new Set(await scopesRollingUpMoreThan(tx, bigBoardUnits)) : new Set<number>();
  const written = await recomputeRankings(tx, periods, { schemes, units: changed, except: big });
  if (jobs && big.size) {
    const left = (await scopesReached(tx, changed)).filter((id) => big.has(id));
    await queueBigBoards(jobs, tx, periods, left, schemes);
  }
  return written;
}

export async function markSlowBoards(tx: Queryable, periods: Period[], jobs: PgBoss | undefined): Promise<void> {
  if (jobs) await queueLongBoards(jobs, tx, periods);
}

interface HealthRow {
  consecutiveFailures: number;
  breakerState: BreakerState;
  /** ISO 8601 UTC */
  breakerRetryAt: string | null;
  coveredThrough: string | null;
}

async function loadHealth(sql: Queryable, sourceId: number): Promise<HealthRow> {
  const h = sourceHealth;
  const [row] = await orm(sql)
    .select({ consecutiveFailures: h.consecutiveFailures, breakerState: h.breakerState, breakerRetryAt: h.breakerRetryAt, coveredThrough: h.coveredThrough })
    .from(h)
    .where(eq(h.sourceId, sourceId));
  if (!row) return { consecutiveFailures: 0, breakerState: 'closed', breakerRetryAt: null, coveredThrough: null };
  return { ...row, breakerRetryAt: isoTimestamp(row.breakerRetryAt) };
}

/** Stores a mapped batch and everything it implies, in one transaction. */
export async function commitRun(
  sql: Sql,
  source: SourceRow,
  run: {
    startedAt: Date; t0: number; trigger: Trigger; window: Window; fetched: Mapped & { httpStatus: number | null; body: string; attempts: number }; jobs?: PgBoss;
    /** More work in the same transaction, once the run's row exists (an upload: who sent and approved it). */
    inTransaction?: (tx: Queryable, pollRunId: number) => Promise<void>;
  }
): Promise<PollOutcome> {
  const { fetched, window, startedAt } = run;
  const rejections: RejectedRow[] = fetched.rejected;
  return sql.begin(async (tx) => {
    // The run's id first, so every sample it writes names it; its row is written below, in this transaction.
    const pollRunId = await reservePollRunId(tx);
    const daily = await upsertSamples(tx, source.id, fetched.rows, startedAt, { pollRunId, firstSeen: 'now' });
    // Only the schemes that score a changed metric can move (the e-ID source leaves the 766 boards alone).
    const dailySchemes = await schemesUsing(tx, daily.changedMetricIds);
    const dailyPeriods = dailySchemes.length ? affectedPeriods(daily.changedDays) : [];
    const dailyScopes = await recomputeLiveBoards(tx, dailyPeriods, dailySchemes, daily.changedUnitIds, run.jobs);
    await markSlowBoards(tx, affectedPeriods(daily.changedDays, BOARD_PERIOD_KINDS.filter((k) => !(LIVE_PERIOD_KINDS as readonly string[]).includes(k))), run.jobs);
    // A periodic source's values: the boards of the changed periods (and of the quarter and year around a month), of the schemes that score them.
    const valued = await storePeriodValues(tx, source.id, fetched.periodRows ?? [], startedAt, { pollRunId, firstSeen: 'now' });
    const changed = daily.changed + valued.changed;
    const periods = [...dailyPeriods, ...valued.boards];
    const schemes = [...new Set([...dailySchemes, ...valued.schemes])];
    const scopeIds = [...new Set([...dailyScopes, ...valued.scopeIds])];
    const accepted = fetched.rows.length + (fetched.periodRows?.length ?? 0);
    const outcome = rejections.length ? 'partial' : 'success';
    const durationMs = Math.round(performance.now() - run.t0);
    const [row] = await tx<{ id: number }[]>`
      insert into poll_runs (id, source_id, started_at, finished_at, duration_ms, outcome, http_status, trigger, attempts, window_from, window_to,
                             accepted, rejected, skipped, changed, error, rejections, raw_body)
      -- finished_at: clock_timestamp(), the end of the work (now() is the transaction's start, before the recompute)
      values (${pollRunId}, ${source.id}, ${startedAt.toISOString()}, clock_timestamp(), ${durationMs}, ${outcome}, ${fetched.httpStatus}, ${run.trigger},
              ${fetched.attempts}, ${window.from}, ${window.to}, ${accepted}, ${rejections.length}, ${fetched.skipped ?? 0}, ${changed},
              ${rejections.length ? rejectedWords(rejections.length) : null},
              ${rejections.length ? JSON.stringify(rejections.slice(0, 1000)) : null}::jsonb,
              ${rejections.length ? fetched.body.slice(0, REJECTED_BODY_KEPT_CHARS) : null})
      returning id`;
    await tx`
      insert into source_health as h (source_id, last_poll_at, last_success_at, covered_through, last_outcome, last_error, last_error_stage,
                                      consecutive_failures, breaker_state, breaker_retry_at, polls_success, polls_partial,
                                      samples_accepted, rows_rejected, poll_duration_ms_sum, updated_at)
      values (${source.id}, now(), now(), ${window.to}, ${outcome}, ${rejections.length ? rejectedWords(rejections.length) : null}, null,
              0, 'closed', null, ${outcome === 'success' ? 1 : 0}, ${outcome === 'partial' ? 1 : 0},
              ${accepted}, ${rejections.length}, ${durationMs}, now())
      on conflict (source_id) do update set
        last_poll_at = now(), last_success_at = now(), covered_through = greatest(h.covered_through, excluded.covered_through),
        last_outcome = excluded.last_outcome, last_error = excluded.last_error, last_error_stage = null, consecutive_failures = 0,
        breaker_state = 'closed', breaker_retry_at = null,
        polls_success = h.polls_success + excluded.polls_success, polls_partial = h.polls_partial + excluded.polls_partial,
        samples_accepted = h.samples_accepted + excluded.samples_accepted, rows_rejected = h.rows_rejected + excluded.rows_rejected,
        poll_duration_ms_sum = h.poll_duration_ms_sum + excluded.poll_duration_ms_sum, updated_at = now()`;
    await run.inTransaction?.(tx, row!.id);
    if (periods.length) {
      const payload: RankingsChanged = { pollRunId: row!.id, scopeIds, periods: periods.map((p) => ({ kind: p.kind, start: p.start })), schemes };
      await tx`select pg_notify(${RANKINGS_CHANNEL}, ${JSON.stringify(payload)})`;
    }
    await tx`select pg_notify(${SOURCES_CHANNEL}, ${JSON.stringify({ sourceId: source.id })})`;
    return { pollRunId: row!.id, outcome, accepted, rejected: rejections.length, changed, error: null, window } as const;
  });
}

/**
 * Stores a periodic source's values and recomputes, in the caller's transaction, exactly the boards
 * they move: each changed period's board and those of the longer periods around it (a month's
 * quarter and year, which may be derived from it), for the schemes that score a changed metric.
 */
export async function storePeriodValues(
  tx: Queryable,
  sourceId: number,
  rows: PeriodRow[],
  observedAt: Date,
  provenance: { pollRunId: number; firstSeen: 'now' | 'on_time' },
  options: { recompute?: boolean } = {}
): Promise<{ changed: number; changedPeriods: { kind: ValuePeriodKind; start: string }[]; changedMetricIds: Set<number>; boards: Period[]; schemes: string[]; scopeIds: number[] }> {
  if (!rows.length) return { changed: 0, changedPeriods: [], changedMetricIds: new Set(), boards: [], schemes: [], scopeIds: [] };
  const stored = await upsertPeriodSamples(tx, sourceId, rows, observedAt, provenance);
  if (options.recompute === false) return { ...stored, boards: [], schemes: [], scopeIds: [] };
  const schemes = await schemesUsing(tx, stored.changedMetricIds);
  const boards = schemes.length ? boardsOfChangedPeriods(stored.changedPeriods) : [];
  const scopeIds = await recomputeRankings(tx, boards, { schemes });
  return { ...stored, boards, schemes, scopeIds };
}

async function recordFailure(
  sql: Sql,
  source: SourceRow,
  health: HealthRow,
  run: { startedAt: Date; t0: number; trigger: Trigger; window: Window; error: unknown; attempts: number }
): Promise<PollOutcome> {
  const e = run.error;
  const error = e instanceof Error ? e.message : String(e);
  const status = e instanceof SourceError ? e.httpStatus : null;
  const raw = e instanceof SourceError ? e.body : null;
  const stage = e instanceof SourceError ? e.stage : null;
  const failures = health.consecutiveFailures + 1;
  const opens = failures >= BREAKER.threshold;
  const openSeconds = Math.min(BREAKER.maxOpenSeconds, Math.max(BREAKER.minOpenSeconds, source.intervalSeconds * 2 ** (failures - BREAKER.threshold)));
  const retryAt = opens ? new Date(Date.now() + openSeconds * 1000).toISOString() : null;
  const durationMs = Math.round(performance.now() - run.t0);
  const [row] = await sql<{ id: number }[]>`
    insert into poll_runs (source_id, started_at, finished_at, duration_ms, outcome, http_status, trigger, attempts, window_from, window_to, error, error_stage, raw_body)
    values (${source.id}, ${run.startedAt.toISOString()}, clock_timestamp(), ${durationMs}, 'failed', ${status}, ${run.trigger}, ${run.attempts},
            ${run.window.from}, ${run.window.to}, ${error}, ${stage}, ${raw ? raw.slice(0, FAILED_BODY_KEPT_CHARS) : null})
    returning id`;
  await sql`
    insert into source_health as h (source_id, last_poll_at, last_outcome, last_error, last_error_stage, consecutive_failures, breaker_state, breaker_retry_at,
                                    polls_failed, poll_duration_ms_sum, updated_at)
    values (${source.id}, now(), 'failed', ${error}, ${stage}, ${failures}, ${opens ? 'open' : 'closed'}, ${retryAt}, 1, ${durationMs}, now())
    on conflict (source_id) do update set
      last_poll_at = now(), last_outcome = 'failed', last_error = excluded.last_error, last_error_stage = excluded.last_error_stage, consecutive_failures = excluded.consecutive_failures,
      breaker_state = excluded.breaker_state, breaker_retry_at = excluded.breaker_retry_at, polls_failed = h.polls_failed + 1,
      poll_duration_ms_sum = h.poll_duration_ms_sum + excluded.poll_duration_ms_sum, updated_at = now()`;
  await sql`select pg_notify(${SOURCES_CHANNEL}, ${JSON.stringify({ sourceId: source.id })})`;
  return { pollRunId: row!.id, outcome: 'failed', accepted: 0, rejected: 0, changed: 0, error, window: run.window };
}

export async function pollSource(
  sql: Sql,
  source: SourceRow,
  options: { secretKeyHex?: string; now?: Date; window?: Window; trigger?: Trigger; retry?: RetryPolicy; jobs?: PgBoss } = {}
): Promise<PollOutcome> {
  const startedAt = options.now ?? new Date();
  const health = await loadHealth(sql, source.id);
  let trigger: Trigger = options.trigger ?? 'schedule';
  // The breaker: while open, scheduled polls are skipped (a person's "poll now" still goes through).
  if (trigger === 'schedule' && health.breakerState === 'open' && health.breakerRetryAt && new Date(health.breakerRetryAt) > new Date()) {
    const h = sourceHealth;
    await orm(sql).update(h).set({ pollsSkipped: expr`${h.pollsSkipped} + 1`, updatedAt: expr`now()` }).where(eq(h.sourceId, source.id));
    return { pollRunId: null, outcome: 'skipped', accepted: 0, rejected: 0, changed: 0, error: `tạm ngừng lấy (ngắt mạch) đến ${health.breakerRetryAt}`, window: null };
  }
  const planned = pollWindow(source, health.coveredThrough, today(startedAt));
  if (planned.gap && trigger === 'schedule') trigger = 'gap';
  const window = options.window ?? { from: planned.from, to: planned.to };
  const t0 = performance.now();
  try {
    const fetched = await fetchWindow(source, window, credentialsOf(source, options.secretKeyHex), await loadLookups(sql, source.codeSystem), { retry: options.retry, maxExchanges: 0 });
    return await commitRun(sql, source, { startedAt, t0, trigger, window, fetched, jobs: options.jobs });
  } catch (error) {
    return recordFailure(sql, source, health, { startedAt, t0, trigger, window, error, attempts: error instanceof SourceError ? error.attempts : 1 });
  }
}

/** What the upload path (src/lib/server/uploads.ts) adds to an upload's storing. */
export interface UploadHooks {
  /** Refuses mapped rows before anything is stored (source priorities, src/lib/server/uploads.ts). */
  screen?: (mapped: Mapped) => Promise<Mapped>;
  /** Keeps the rows for an administrator's approval instead of counting them now (when any row is left). */
  hold?: (mapped: Mapped, run: { window: Window; body: string }) => Promise<PollOutcome>;
  inTransaction?: (tx: Queryable, pollRunId: number) => Promise<void>;
}

/** An uploaded file (an .xlsx or .csv the district filled from the template), stored like a poll. */
export async function ingestUpload(sql: Sql, source: SourceRow, body: Body, options: { now?: Date; maxAgeDays?: number; jobs?: PgBoss } & UploadHooks = {}): Promise<PollOutcome> {
  const startedAt = options.now ?? new Date();
  const to = today(startedAt);
  // Rows up to 400 days old are taken; a task list is turned into counts for its last 62 days only.
  const maxAgeDays = options.maxAgeDays ?? (source.produces === 'tasks' ? MAX_GAP_DAYS : 400);
  const window = { from: addDays(to, -(maxAgeDays - 1)), to };
  const t0 = performance.now();
  const health = await loadHealth(sql, source.id);
  try {
    let mapped = await mapBody(source, body, await loadLookups(sql, source.codeSystem), window);
    if (options.screen) mapped = await options.screen(mapped);
    const text = 'text' in body ? body.text : plainCsv(body.table);
    // Nothing left to count: nothing to approve either (the run records the refusals).
    if (options.hold && mapped.rows.length) return await options.hold(mapped, { window, body: text });
    return await commitRun(sql, source, {
      startedAt, t0, trigger: 'upload', window, fetched: { ...mapped, httpStatus: null, body: text, attempts: 1 }, jobs: options.jobs, inTransaction: options.inTransaction
    });
  } catch (error) {
    return recordFailure(sql, source, health, { startedAt, t0, trigger: 'upload', window, error, attempts: 1 });
  }
}
