/**
 * The older history the seed left pending: backfilled by a worker after start, so the product is
 * usable within seconds while more than a year of boards fills in behind it.
 */
import { and, asc, eq, ne } from 'drizzle-orm';
import { orm, type Sql } from '#db/client';
import { appMeta } from '#db/schema/ops';
import { dataSources } from '#db/schema/sources';
import { addDays, periodOf } from '#domain/periods';
import { BOARD_PERIOD_KINDS } from '#contract/dto';
import { backfillSource, recomputeRange } from './backfill.ts';
import { loadSource } from './poll.ts';
import { recomputeRankings } from '../ranking/rankings.ts';
import type { Logger } from '../log.ts';

export async function runPendingHistory(sql: Sql, options: { secretKeyHex?: string; log?: Logger }): Promise<boolean> {
  const db = orm(sql);
  const [meta] = await db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, 'history_pending'));
  if (!meta) return false;
  const range = JSON.parse(meta.value) as { from: string; to: string };
  const sources = await db
    .select({ id: dataSources.id })
    .from(dataSources)
    .where(and(eq(dataSources.enabled, true), ne(dataSources.kind, 'upload')))
    .orderBy(asc(dataSources.id));
  for (const { id } of sources) {
    const source = (await loadSource(sql, id))!;
    await backfillSource(sql, source, range, { ...options, recompute: false });
  }
  await recomputeRange(sql, range, options.log);
  // The first recent boards now have a previous period: recompute them so their rank changes show.
  const next = addDays(range.to, 1);
  await recomputeRankings(sql, BOARD_PERIOD_KINDS.map((kind) => periodOf(kind, next)));
  await db.delete(appMeta).where(eq(appMeta.key, 'history_pending'));
  options.log?.info({ from: range.from, to: range.to }, 'history backfilled');
  return true;
}
