/**
 * Boards recomputed by a job rather than inside a poll or a request: the long boards (quarter,
 * year and their reporting periods) a few minutes after the polls that touched them — each reads
 * months of samples — and the boards an administrator's change moves (a scheme, a units import).
 * The jobs themselves are queued by `#server/jobs/send` and run by the workers.
 */
import type { Sql } from '#db/client';
import { RANKINGS_CHANNEL, type RankingsChanged } from '#contract/notify';
import type { Period } from '#domain/periods';
import { recomputeRankings } from './rankings.ts';

/** A long board is recomputed this long after the first poll that touched it; the polls of those minutes are absorbed into it. */
export const LONG_BOARDS_DELAY_SECONDS = 300;

/**
 * A board whose units roll up more than this many units is big: the country's, in a national
 * installation (3,321 communes). A poll does not recompute it with its own boards — summing the
 * whole country's samples in every province's poll put a poll's push seconds behind its commit —
 * but leaves it to a job BIG_BOARDS_DELAY_SECONDS later, which absorbs every poll of those seconds.
 * A city's or a province's board (Hà Nội: 126 communes and 19 departments) is never big.
 */
export const BIG_BOARD_UNITS = 1_000;
export const BIG_BOARDS_DELAY_SECONDS = 15;

/**
 * Recomputes the boards of these periods (every active scheme, or `schemes`) and announces them,
 * in one transaction: the NOTIFY goes out with the commit. Returns the ids of the scopes written.
 */
export async function recomputeBoards(sql: Sql, periods: Period[], options: { schemes?: readonly string[]; scopes?: readonly number[] } = {}): Promise<number[]> {
  return (await sql.begin(async (tx) => {
    const scopeIds = await recomputeRankings(tx, periods, { schemes: options.schemes, scopes: options.scopes });
    if (scopeIds.length) {
      const payload: RankingsChanged = {
        pollRunId: null, scopeIds, periods: periods.map((p) => ({ kind: p.kind, start: p.start })),
        ...(options.schemes ? { schemes: [...options.schemes] } : {})
      };
      await tx`select pg_notify(${RANKINGS_CHANNEL}, ${JSON.stringify(payload)})`;
    }
    return scopeIds;
  })) as number[];
}
