/**
 * The long boards (quarter, year and their reporting periods) that polls marked as touched are
 * recomputed here, every few minutes, rather than inside each poll: each reads months of samples.
 * Taking the list is a DELETE … RETURNING, so with several worker processes each list is done once.
 */
import type { Sql } from '#db/client';
import { PERIOD_KINDS, periodOf, type PeriodKind } from '#domain/periods';
import { recomputeRankings } from './rankings.ts';

export const SLOW_BOARDS_SECONDS = 300;

export async function runSlowBoards(sql: Sql): Promise<number> {
  const [row] = await sql<{ value: string }[]>`delete from app_meta where key = 'slow_boards_pending' returning value`;
  if (!row) return 0;
  const periods = (JSON.parse(row.value) as string[])
    .map((item) => item.split('|') as [string, string])
    .filter(([kind]) => (PERIOD_KINDS as readonly string[]).includes(kind))
    .map(([kind, start]) => periodOf(kind as PeriodKind, start));
  await recomputeRankings(sql, periods);
  return periods.length;
}
