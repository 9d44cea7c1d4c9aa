/**
 * Reads a long date range from a source in windows the source accepts, stores the samples, and
 * recomputes every day and month board in the range once at the end. Used by the seed (history)
 * and after an outage (gap fill).
 */
import type { Sql } from '#db/client';
import { addDays, periodsCovering } from '#domain/periods';
import { BOARD_PERIOD_KINDS } from '#contract/dto';
import { loadLookups, upsertSamples } from './ingest.ts';
import { credentialsOf, fetchSamples, type SourceRow } from './jobs/poll-source.ts';
import { recomputeRankings } from './rankings.ts';

export async function backfillSource(
  sql: Sql,
  source: SourceRow,
  range: { from: string; to: string },
  options: { secretKeyHex?: string; windowDays?: number; log?: (line: string) => void } = {}
): Promise<{ samples: number; rejected: number }> {
  const windowDays = options.windowDays ?? 31;
  const lookups = await loadLookups(sql);
  const credentials = credentialsOf(source, options.secretKeyHex);
  let samples = 0;
  let rejected = 0;
  for (let from = range.from; from <= range.to; from = addDays(from, windowDays)) {
    const to = [addDays(from, windowDays - 1), range.to].sort()[0]!;
    // A long window is a big body: allow it more time than a routine poll.
    const fetched = await fetchSamples(source, { from, to }, credentials, lookups, Math.max(source.timeoutMs, 60_000));
    await upsertSamples(sql, source.id, fetched.rows, new Date());
    samples += fetched.rows.length;
    rejected += fetched.rejections.length;
    options.log?.(`${source.key}: ${from} – ${to}: ${fetched.rows.length} samples`);
  }
  await sql`analyze samples`; // fresh statistics after a bulk load keep the ranking queries on their indexes
  for (const kind of BOARD_PERIOD_KINDS) {
    const periods = periodsCovering(kind, range.from, range.to);
    await recomputeRankings(sql, periods);
    options.log?.(`${source.key}: ${periods.length} ${kind} boards ranked`);
  }
  return { samples, rejected };
}
