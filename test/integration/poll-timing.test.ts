/** When a poll run says it finished: the moment its work committed, not the start of its transaction. */
import { describe, expect, it } from 'vitest';
import { pollSource } from '#server/pipeline/poll';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

/** The advisory lock every recompute takes (src/lib/server/ranking/rankings.ts). */
const RECOMPUTE_LOCK = 0x6369_7479;

describe('poll_runs.finished_at', () => {
  let db: TestDb;
  let world: TestWorld;
  useDemoWorld((h) => ({ db, world } = h));

  it('is at or after the end of the recompute, even when the recompute waited', async () => {
    // Another recompute holds the lock: the poll's transaction begins, stores its samples, then waits for it.
    const other = await db.sql.reserve();
    await other`begin`;
    await other`select pg_advisory_xact_lock(${RECOMPUTE_LOCK})`;
    const polling = pollSource(db.sql, world.sources.motcua!, { secretKeyHex: world.secretKeyHex });
    // No event says "a transaction now waits on a lock": ask PostgreSQL until it does.
    for (let i = 0; i < 500; i++) {
      const [waiting] = await db.sql`select 1 from pg_locks where locktype = 'advisory' and not granted`;
      if (waiting) break;
      await db.sql`select pg_sleep(0.02)`;
    }
    const [lock] = await other<{ released: string }[]>`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as released`;
    const released = lock!.released;
    await other`commit`;
    other.release();
    const outcome = await polling;
    expect(outcome).toMatchObject({ outcome: 'success' });
    const [run] = await db.sql<{ finished: string; started: string }[]>`
      select to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as finished,
             to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as started
      from poll_runs where id = ${outcome.pollRunId}`;
    // The recompute could only run once the other released the lock; the run finished after it.
    expect(run!.finished >= released, `finished ${run!.finished}, lock released ${released}`).toBe(true);
    expect(run!.started < released).toBe(true);
  });
});
