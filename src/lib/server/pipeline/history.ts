/**
 * The older history the seed left pending: backfilled by a worker after start, so the product is
 * usable within seconds while more than a year of boards fills in behind it.
 */
import type { Sql } from '#db/client';
import { addDays, periodOf } from '#domain/periods';
import { BOARD_PERIOD_KINDS } from '#contract/dto';
import { backfillSource, recomputeRange } from './backfill.ts';
import { loadSource } from './poll.ts';
import { recomputeRankings } from '../ranking/rankings.ts';
import type { Logger } from '../log.ts';

export async function runPendingHistory(sql: Sql, options: { secretKeyHex?: string; log?: Logger }): Promise<boolean> {
  const [meta] = await sql<{ value: string }[]>`select value from app_meta where key = 'history_pending'`;
  if (!meta) return false;
  const range = JSON.parse(meta.value) as { from: string; to: string };
  const sources = await sql<{ id: number }[]>`select id from data_sources where enabled and kind <> 'upload' order by id`;
  for (const { id } of sources) {
    const source = (await loadSource(sql, id))!;
    await backfillSource(sql, source, range, { ...options, recompute: false });
  }
  await recomputeRange(sql, range, options.log);
  // The first recent boards now have a previous period: recompute them so their rank changes show.
  const next = addDays(range.to, 1);
  await recomputeRankings(sql, BOARD_PERIOD_KINDS.map((kind) => periodOf(kind, next)));
  await sql`delete from app_meta where key = 'history_pending'`;
  options.log?.info({ from: range.from, to: range.to }, 'history backfilled');
  return true;
}
