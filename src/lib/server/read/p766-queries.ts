/**
 * Reads of the stored boards for the 766 screens (table `rankings`): the newest period of a kind
 * with a ranked row, which the overview opens on while the portal has not published the current one.
 */
import type { Queryable } from '#db/client';

/**
 * The first day of the newest period of `kind` no later than `notAfter` whose board of the scope has
 * at least one ranked row; null when none has.
 */
export async function newestRankedPeriodStart(q: Queryable, board: { schemeKey: string; scopeCode: string; kind: string; notAfter: string }): Promise<string | null> {
  const [row] = await q<{ start: string | null }[]>`
    select max(r.period_start)::text as start
    from rankings r join units s on s.id = r.scope_unit_id and s.gso_code = ${board.scopeCode}
    where r.scheme_key = ${board.schemeKey} and r.period_kind = ${board.kind} and r.rank is not null
      and r.period_start <= ${board.notAfter}::date`;
  return row?.start ?? null;
}
