/**
 * Reads of the data sources for the read models: each source with its live health, and the sources
 * behind a unit's figures. Raw SQL, rows parsed (db/rows.ts).
 */
import { z } from 'zod';
import type { Queryable } from '#db/client';
import { int, isoDate, isoTime, num, parseRows } from '#db/rows';

const sourceHealthRow = z.object({
  key: z.string(),
  name: z.string(),
  family: z.string(),
  kind: z.string(),
  enabled: z.boolean(),
  stale_after_seconds: int,
  /** HH:MM (ICT) */
  daily_deadline: z.string().nullable(),
  last_poll_at: isoTime.nullable(),
  last_success_at: isoTime.nullable(),
  last_outcome: z.string().nullable(),
  last_error: z.string().nullable(),
  consecutive_failures: int.nullable(),
  breaker_state: z.string().nullable(),
  breaker_retry_at: isoTime.nullable(),
  covered_through: isoDate.nullable(),
  polls_success: int.nullable(),
  polls_partial: int.nullable(),
  polls_failed: int.nullable(),
  polls_skipped: int.nullable(),
  // bigint counters
  samples_accepted: num.nullable(),
  rows_rejected: num.nullable(),
  poll_duration_ms_sum: num.nullable()
});
/** A source and its health (every health field null for a source never polled). */
export type SourceHealthRow = z.output<typeof sourceHealthRow>;

/** Every source with its health, in the sources' order. */
export async function sourceHealthRows(q: Queryable): Promise<SourceHealthRow[]> {
  const rows = await q`
    select s.key, s.name, s.family, s.kind, s.enabled, s.stale_after_seconds, s.daily_deadline,
           h.last_poll_at, h.last_success_at, h.last_outcome, h.last_error, h.consecutive_failures, h.breaker_state,
           h.breaker_retry_at, to_char(h.covered_through, 'YYYY-MM-DD') as covered_through,
           h.polls_success, h.polls_partial, h.polls_failed, h.polls_skipped,
           h.samples_accepted, h.rows_rejected, h.poll_duration_ms_sum
    from data_sources s left join source_health h on h.source_id = s.id
    order by s.id`;
  return parseRows('sourceHealthRows', sourceHealthRow, rows);
}

/**
 * The keys of the sources behind a unit's figures, in the sources' order: those with no scope, those
 * scoped to the unit or an ancestor, and those scoped to a descendant.
 */
export async function sourceKeysCovering(q: Queryable, unitCode: string): Promise<string[]> {
  const rows = await q`
    select s.key from data_sources s
    where s.scope_unit_id is null or exists (
      select 1 from units u join unit_closure c
        on (c.ancestor_id = s.scope_unit_id and c.descendant_id = u.id) or (c.ancestor_id = u.id and c.descendant_id = s.scope_unit_id)
      where u.gso_code = ${unitCode})
    order by s.id`;
  return parseRows('sourceKeysCovering', z.object({ key: z.string() }), rows).map((r) => r.key);
}
