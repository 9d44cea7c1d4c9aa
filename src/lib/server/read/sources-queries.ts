/**
 * Reads of the data sources for the read models: each source with its live health, the sources
 * behind a unit's figures, and the poll runs behind a day's samples. Raw SQL, rows parsed (db/rows.ts).
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
  last_error_stage: z.enum(['connection', 'http', 'parse', 'mapping', 'config']).nullable(),
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
           h.last_poll_at, h.last_success_at, h.last_outcome, h.last_error, h.last_error_stage, h.consecutive_failures, h.breaker_state,
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

const pollRunRow = z.object({
  id: int,
  sourceKey: z.string(),
  sourceName: z.string(),
  startedAt: isoTime,
  finishedAt: isoTime.nullable(),
  outcome: z.string(),
  trigger: z.string(),
  httpStatus: int.nullable(),
  windowFrom: isoDate,
  windowTo: isoDate,
  accepted: int,
  rejected: int,
  changed: int,
  /** An upload: who sent it, and who approved it when approval is required ("Name (username)"). */
  submittedBy: z.string().nullable(),
  approvedBy: z.string().nullable()
});

/** These poll runs with their source and, for an upload, who sent and approved it; newest first. */
export async function pollRunSummaries(q: Queryable, runIds: number[]) {
  const rows = await q`
    select r.id, ds.key as "sourceKey", ds.name as "sourceName", r.started_at as "startedAt", r.finished_at as "finishedAt",
           r.outcome, r.trigger, r.http_status as "httpStatus",
           to_char(r.window_from, 'YYYY-MM-DD') as "windowFrom", to_char(r.window_to, 'YYYY-MM-DD') as "windowTo",
           r.accepted, r.rejected, r.changed,
           sub.display_name || ' (' || sub.username || ')' as "submittedBy", apr.display_name || ' (' || apr.username || ')' as "approvedBy"
    from poll_runs r join data_sources ds on ds.id = r.source_id
    left join users sub on sub.id = r.submitted_by left join users apr on apr.id = r.approved_by
    where r.id = any(${q.array(runIds)}::int[])
    order by r.started_at desc, r.id desc`;
  return parseRows('pollRunSummaries', pollRunRow, rows);
}
