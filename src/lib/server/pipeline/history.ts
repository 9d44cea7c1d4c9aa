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
  for (const { id } of sources) {
    const source = (await loadSource(sql, id))!;
    samples += (await backfillSource(sql, source, range, { ...options, recompute: false })).samples;
  }
  await recomputeRange(sql, range, options.log);
  // The first recent boards now have a previous period: recompute them so their rank changes show.
  const next = addDays(range.to, 1);
  await recomputeRankings(sql, BOARD_PERIOD_KINDS.map((kind) => periodOf(kind, next)));
  options.log?.info({ from: range.from, to: range.to }, 'history backfilled');
  return { sources: sources.length, samples };
}
