/**
 * The monthly partitions of `samples` (migration 0018): one a month, named samples_yYYYYmMM, beside
 * the DEFAULT partition (samples_default) that takes any day no month covers, so that no insert
 * ever fails. Months are created ahead of the data: every day by the workers' `sample-partitions`
 * job (MONTHS_AHEAD), and by every backfill for the days it is about to write. A month created
 * while the default partition holds rows of it (written before it existed: a poll on the first day
 * of a month nobody created) takes those rows with it.
 *
 * Partitions are an optimisation, never a condition of correctness: a month that cannot be created
 * now (its lock not granted within LOCK_TIMEOUT_MS) is left for the next call, and its rows wait in the
 * default partition.
 */
import { z } from 'zod';
import type { Queryable } from '#db/client';
import { parseRows } from '#db/rows';

/** The months after this one the daily job keeps created. */
export const MONTHS_AHEAD = 3;
/** One creation at a time across every process (two could both find a month missing). */
const PARTITIONS_LOCK = 0x7361_6d70; // "samp"
/**
 * How long a creation waits for the default partition (its rows are moved and it is scanned when a
 * month is attached beside it): a long reader there is waited for this long, then the month is left.
 */
const LOCK_TIMEOUT_MS = 5000;

export const DEFAULT_PARTITION = 'samples_default';

/** samples_y2026m11 for any day of 11/2026 (YYYY-MM-DD or YYYY-MM). */
export function partitionName(day: string): string {
  return `samples_y${day.slice(0, 4)}m${day.slice(5, 7)}`;
}

/** The first day of every month from `from`'s to `to`'s (YYYY-MM-DD), in order. */
export function monthsCovering(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (month > last) break;
    out.push(`${month}-01`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The first day of the month after the one `first` (YYYY-MM-01) begins. */
function nextMonth(first: string): string {
  const y = Number(first.slice(0, 4));
  const m = Number(first.slice(5, 7));
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${first.slice(0, 4)}-${String(m + 1).padStart(2, '0')}-01`;
}

const partitionRow = z.object({ name: z.string() });

/** The month partitions of samples that exist (their names), the default one left out. */
export async function samplePartitions(q: Queryable): Promise<Set<string>> {
  const rows = await q`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'samples'::regclass and c.relname <> ${DEFAULT_PARTITION}`;
  return new Set(parseRows('samplePartitions', partitionRow, rows).map((r) => r.name));
}

export interface EnsuredPartitions {
  /** The partitions created (names), oldest first. */
  created: string[];
  /** Rows moved out of the default partition into them. */
  moved: number;
  /** The months left for a later call: their lock was not granted in time. */
  deferred: string[];
}

/**
 * Creates the month partitions of samples missing for the days from `from` to `to` (YYYY-MM-DD),
 * idempotently: nothing is locked when every month exists already. Otherwise, in a transaction of
 * its own (or the caller's, if given one: its locks are then held until it ends), under an advisory
 * lock: each missing month is made as a table of its own, the default partition's rows of that
 * month moved into it, and attached (PostgreSQL checks that the default partition keeps none).
 */
export async function ensureSamplePartitions(
  q: Queryable,
  range: { from: string; to: string },
  options: { lockTimeoutMs?: number } = {}
): Promise<EnsuredPartitions> {
  const months = monthsCovering(range.from, range.to);
  const existing = await samplePartitions(q);
  if (months.every((m) => existing.has(partitionName(m)))) return { created: [], moved: 0, deferred: [] };
  const work = async (tx: Queryable): Promise<EnsuredPartitions> => {
    await tx`select pg_advisory_xact_lock(${PARTITIONS_LOCK})`;
    const now = await samplePartitions(tx); // another process may have made some meanwhile
    const todo = months.filter((m) => !now.has(partitionName(m)));
    if (!todo.length) return { created: [], moved: 0, deferred: [] };
    const [{ previous }] = (await tx`select current_setting('lock_timeout') as previous, set_config('lock_timeout', ${`${options.lockTimeoutMs ?? LOCK_TIMEOUT_MS}ms`}, true)`) as unknown as [{ previous: string }];
    // The default partition first, for the whole transaction: taken later (by the attach), a lock
    // upgrade could deadlock with a writer there.
    await tx.unsafe(`lock table ${DEFAULT_PARTITION} in access exclusive mode`);
    let moved = 0;
    for (const first of todo) {
      const name = partitionName(first);
      const end = nextMonth(first);
      // Names and bounds are made here from dates (never from input text): safe to inline.
      await tx.unsafe(`create table ${name} (like samples including defaults)`);
      const result = await tx.unsafe(
        `with rows as (delete from ${DEFAULT_PARTITION} where day >= '${first}' and day < '${end}' returning *) insert into ${name} select * from rows`
      );
      moved += result.count;
      await tx.unsafe(`alter table samples attach partition ${name} for values from ('${first}') to ('${end}')`);
    }
    await tx`select set_config('lock_timeout', ${previous}, true)`;
    return { created: todo.map(partitionName), moved, deferred: [] };
  };
  try {
    // The caller's transaction: a savepoint, so a lock not granted leaves it usable.
    return 'savepoint' in q ? await q.savepoint(work) : ((await q.begin(work)) as EnsuredPartitions);
  } catch (e) {
    if (e && typeof e === 'object' && 'code' in e && e.code === '55P03') {
      return { created: [], moved: 0, deferred: months.filter((m) => !existing.has(partitionName(m))).map(partitionName) };
    }
    throw e;
  }
}

/**
 * Fresh statistics after a bulk load of these days: the partitioned table's own (ANALYZE ONLY: what
 * the planner estimates joins over the whole table with; autovacuum never gathers them) and those of
 * the months of the range and the default partition (autovacuum would, later). The other months are
 * left alone: `analyze samples` would sample every one of them again.
 */
export async function analyzeSamples(q: Queryable, range: { from: string; to: string }): Promise<void> {
  const existing = await samplePartitions(q);
  const months = monthsCovering(range.from, range.to).map(partitionName).filter((name) => existing.has(name));
  await q.unsafe(`analyze only samples`);
  await q.unsafe(`analyze ${[...months, DEFAULT_PARTITION].join(', ')}`);
}

/** The months from this one to MONTHS_AHEAD after it, created if missing (the daily job). */
export function ensureMonthsAhead(q: Queryable, today: string): Promise<EnsuredPartitions> {
  const months = monthsCovering(today, `${String(Number(today.slice(0, 4)) + 1).padStart(4, '0')}-12-31`);
  return ensureSamplePartitions(q, { from: months[0]!, to: months[MONTHS_AHEAD]! });
}
