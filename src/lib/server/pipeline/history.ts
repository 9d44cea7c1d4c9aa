/**
 * The older history the seed leaves to a job (`backfill-history`): backfilled by a worker after
 * start, so the product is usable within seconds while more than a year of boards fills in behind it.
 * Every step is an upsert: a retried job simply does it again.
 */
import { and, asc, eq, ne } from 'drizzle-orm';
import { orm, type Sql } from '#db/client';
import { dataSources } from '#db/schema/sources';
import { addDays, periodOf } from '#domain/periods';
import { BOARD_PERIOD_KINDS } from '#contract/dto';
import { backfillSource, recomputeRange } from './backfill.ts';
import { loadSource } from './poll.ts';
import { recomputeRankings } from '../ranking/rankings.ts';
import type { Logger } from '../log.ts';

export async function runHistory(
  sql: Sql,
  range: { from: string; to: string },
  options: { secretKeyHex?: string; log?: Logger }
): Promise<{ sources: number; samples: number }> {
  const sources = await orm(sql)
    .select({ id: dataSources.id })
    .from(dataSources)
    .where(and(eq(dataSources.enabled, true), ne(dataSources.kind, 'upload')))
    .orderBy(asc(dataSources.id));
  let samples = 0;
  const ranges = await splitAtRegisterChanges(sql, range);
  for (const { id } of sources) {
    const source = (await loadSource(sql, id))!;
    for (const part of ranges) samples += (await backfillSource(sql, source, part, { ...options, recompute: false })).samples;
  }
  await recomputeRange(sql, range, options.log);
  // The first recent boards now have a previous period: recompute them so their rank changes show.
  const next = addDays(range.to, 1);
  await recomputeRankings(sql, BOARD_PERIOD_KINDS.map((kind) => periodOf(kind, next)));
  options.log?.info({ from: range.from, to: range.to }, 'history backfilled');
  return { sources: sources.length, samples };
}

/**
 * A range cut on the days the register changes (a unit's first day in force, e.g. the reform of
 * 01/07/2025), so that no piece a source is asked for spans two maps: before the cut a code names
 * the old unit, after it the new one (a new commune keeps an old commune's code).
 */
export async function splitAtRegisterChanges(sql: Sql, range: { from: string; to: string }): Promise<{ from: string; to: string }[]> {
  const rows = await sql<{ day: string }[]>`
    select distinct to_char(valid_from, 'YYYY-MM-DD') as day from units
    where valid_from > ${range.from}::date and valid_from <= ${range.to}::date order by 1`;
  return splitAt(range, rows.map((r) => r.day));
}

/** [from, to] cut before each of `days` (sorted; each inside (from, to]). */
export function splitAt(range: { from: string; to: string }, days: readonly string[]): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  let from = range.from;
  for (const day of days) {
    if (day <= from || day > range.to) continue;
    out.push({ from, to: addDays(day, -1) });
    from = day;
  }
  out.push({ from, to: range.to });
  return out;
}
