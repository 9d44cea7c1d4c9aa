/**
 * Reads a long date range from a source in the pieces it answers in one go, stores the samples
 * (through COPY, into the month partitions of their days, created first when missing), and
 * recomputes every day and month board in the range once at the end. Used by the seed
 * (history) and by the history job. Each piece is recorded as a poll run (trigger `backfill`) that
 * its samples name; their arrival time is unknown, so they count as first seen at the end of their
 * own day: history loaded when a source is connected is never late, and a later change to it is a
 * correction. A periodic source is asked period by period (periods.ts); its values go to
 * period_samples, and only the boards of the periods that changed are recomputed.
 */
import { sql as expr } from 'drizzle-orm';
import { orm, type Sql } from '#db/client';
import { pollRuns } from '#db/schema/sources';
import { periodsCovering } from '#domain/periods';
import { BOARD_PERIOD_KINDS } from '#contract/dto';
import { copySamples, loadLookups, reservePollRunId } from './ingest.ts';
import { analyzeSamples, ensureSamplePartitions } from '../partitions.ts';
import { credentialsOf, fetchWindow, piecesOf, rejectedWords, storePeriodValues, type SourceRow } from './poll.ts';
import { recomputeRankings, schemesUsing } from '../ranking/rankings.ts';
import { boardsOfChangedPeriods } from './periods.ts';
import type { ValuePeriodKind } from '#db/schema/samples';
import type { Window } from './mapping/validate.ts';
import type { Logger } from '../log.ts';
import { BACKFILL_PIECE_TIMEOUT_MS } from '../limits.ts';

export async function backfillSource(
  sql: Sql,
  source: SourceRow,
  range: Window,
  options: {
    secretKeyHex?: string; log?: Logger; recompute?: boolean;
    /** The `backfill-source` job these pieces belong to (written on their poll runs). */
    jobId?: string;
  } = {}
): Promise<{ samples: number; rejected: number; changed: number; changedPeriods: { kind: ValuePeriodKind; start: string }[]; changedMetricIds: Set<number> }> {
  const lookups = await loadLookups(sql, source.codeSystem);
  const credentials = credentialsOf(source, options.secretKeyHex);
  let samples = 0;
  let rejected = 0;
  let changedTotal = 0;
  const changedPeriods = new Map<string, { kind: ValuePeriodKind; start: string }>();
  const changedMetricIds = new Set<number>();
  const periodic = !!source.periods?.length;
  const from = source.granularity === 'month' && !periodic ? `${range.from.slice(0, 7)}-01` : range.from;
  for (const piece of piecesOf(source, { ...range, from })) {
    const startedAt = new Date();
    const t0 = performance.now();
    // A long window is a big body: allow it more time than a routine poll.
    const fetched = await fetchWindow(source, piece, credentials, lookups, { timeoutMs: Math.max(source.timeoutMs, BACKFILL_PIECE_TIMEOUT_MS) });
    // The month partitions of the days about to be written, before the piece's transaction (their
    // creation takes a short lock of its own); a month it could not create takes its rows in the default partition.
    if (fetched.rows.length) await ensureSamplePartitions(sql, daySpan(fetched.rows));
    // The samples and the run that names them, together (one transaction: a few statements per piece, none per row).
    const { pollRunId, changed } = await sql.begin(async (tx) => {
      const pollRunId = await reservePollRunId(tx);
      const daily = await copySamples(tx, source.id, fetched.rows, startedAt, { pollRunId, firstSeen: 'on_time' }, { timeoutMs: BACKFILL_PIECE_TIMEOUT_MS });
      const valued = await storePeriodValues(tx, source.id, fetched.periodRows ?? [], startedAt, { pollRunId, firstSeen: 'on_time' }, { recompute: false });
      for (const p of valued.changedPeriods) changedPeriods.set(`${p.kind}|${p.start}`, p);
      for (const id of valued.changedMetricIds) changedMetricIds.add(id);
      const changed = daily.changed + valued.changed;
      const accepted = fetched.rows.length + (fetched.periodRows?.length ?? 0);
      const rejections = fetched.rejected;
      // finished_at: clock_timestamp(), when the piece's work ended (now() is its transaction's start).
      await orm(tx).insert(pollRuns).values({
        id: pollRunId, sourceId: source.id, startedAt, finishedAt: expr`clock_timestamp()`, durationMs: Math.round(performance.now() - t0),
        outcome: rejections.length ? 'partial' : 'success', httpStatus: fetched.httpStatus, trigger: 'backfill', attempts: fetched.attempts,
        windowFrom: piece.from, windowTo: piece.to, accepted, rejected: rejections.length, skipped: fetched.skipped ?? 0, changed,
        error: rejections.length ? rejectedWords(rejections.length) : null, rejections: rejections.length ? rejections.slice(0, 1000) : null,
        jobId: options.jobId ?? null
      });
      return { pollRunId, changed };
    });
    changedTotal += changed;
    samples += fetched.rows.length + (fetched.periodRows?.length ?? 0);
    rejected += fetched.rejected.length;
    options.log?.child({ source: source.key, pollRunId }).info({ from: piece.from, to: piece.to, samples: fetched.rows.length + (fetched.periodRows?.length ?? 0), rejected: fetched.rejected.length }, 'backfilled');
  }
  const changes = { changedPeriods: [...changedPeriods.values()], changedMetricIds };
  if (options.recompute !== false) {
    if (periodic) await recomputePeriodBoards(sql, changes);
    else await recomputeRange(sql, range, options.log);
  }
  return { samples, rejected, changed: changedTotal, ...changes };
}

/** The first and last day of these rows. */
function daySpan(rows: readonly { day: string }[]): { from: string; to: string } {
  let from = rows[0]!.day;
  let to = from;
  for (const r of rows) {
    if (r.day < from) from = r.day;
    else if (r.day > to) to = r.day;
  }
  return { from, to };
}

/**
 * After a periodic source's values changed: exactly the boards of the changed periods (and of the
 * quarter and year around a changed month), for the schemes that score a changed metric. `schemes`
 * undefined (a resumed job, which cannot know what its first attempt changed): every active scheme.
 */
export async function recomputePeriodBoards(
  sql: Sql,
  changes: { changedPeriods: { kind: ValuePeriodKind; start: string }[]; changedMetricIds: Iterable<number> | null }
): Promise<void> {
  const schemes = changes.changedMetricIds === null ? undefined : await schemesUsing(sql, changes.changedMetricIds);
  if (schemes && !schemes.length) return;
  const boards = boardsOfChangedPeriods(changes.changedPeriods);
  for (let i = 0; i < boards.length; i += 31) await recomputeRankings(sql, boards.slice(i, i + 31), { schemes });
}

/** Every stored board (day and month) of a range, recomputed once after a bulk load. */
export async function recomputeRange(sql: Sql, range: { from: string; to: string }, log?: Logger): Promise<void> {
  await analyzeSamples(sql, range); // fresh statistics after a bulk load keep the ranking queries on their indexes
  for (const kind of BOARD_PERIOD_KINDS) {
    const periods = periodsCovering(kind, range.from, range.to);
    // A month of boards per transaction (oldest first, so each previous rank is already stored):
    // the polls' own recomputes get the lock in between instead of waiting for the whole history.
    for (let i = 0; i < periods.length; i += 31) await recomputeRankings(sql, periods.slice(i, i + 31));
    log?.info({ kind, boards: periods.length, from: range.from, to: range.to }, 'boards ranked');
  }
}
