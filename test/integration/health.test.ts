import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHealth } from '../../src/lib/server/boards.ts';
import { metricsText } from '../../src/lib/server/metrics.ts';
import { WORKER_ALIVE_SECONDS } from '../../src/lib/server/limits.ts';
import { freshDatabase } from '../support/db.ts';

describe('/healthz and /metrics count the workers by their heartbeats', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('says no worker before any heartbeat', async () => {
    expect((await readHealth(db.sql)).workers).toEqual({ ok: false, alive: 0, lastSeenAt: null });
    expect(await metricsText(db.sql)).toMatch(/^cityops_workers_alive 0$/m);
  });

  it(`counts a worker alive within ${WORKER_ALIVE_SECONDS} s of its last heartbeat, and names the newest heartbeat of any`, async () => {
    await db.sql`
      insert into worker_heartbeats (id, pid, started_at, last_seen_at) values
        ('a:1', 1, now() - interval '1 hour', now() - interval '2 seconds'),
        ('b:2', 2, now() - interval '1 hour', now() - make_interval(secs => ${WORKER_ALIVE_SECONDS + 5})),
        ('c:3', 3, now() - interval '1 day', now() - interval '1 day')`;
    const [newest] = await db.sql`select to_char(last_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from worker_heartbeats where id = 'a:1'`;
    const { workers } = await readHealth(db.sql);
    expect(workers).toEqual({ ok: true, alive: 1, lastSeenAt: newest!.at });
    expect(await metricsText(db.sql)).toMatch(/^cityops_workers_alive 1$/m);
  });
});
