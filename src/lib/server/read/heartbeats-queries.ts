/** The worker processes' heartbeats (table worker_heartbeats), for /healthz and /metrics. */
import { max, sql } from 'drizzle-orm';
import { prepared, type Queryable } from '#db/client';
import { workerHeartbeats } from '#db/schema/index';
import { WORKER_ALIVE_SECONDS } from '../limits.ts';

// Prepared: monitors poll /healthz and /metrics.
const liveness = prepared((db) =>
  db
    .select({
      alive: sql`count(*) filter (where ${workerHeartbeats.lastSeenAt} > now() - make_interval(secs => ${WORKER_ALIVE_SECONDS}))`.mapWith(Number),
      lastSeenAt: max(workerHeartbeats.lastSeenAt)
    })
    .from(workerHeartbeats)
    .prepare('worker_liveness')
);

/** How many workers are alive (a heartbeat within WORKER_ALIVE_SECONDS), and the newest heartbeat of any (null: none). */
export async function workerLiveness(q: Queryable): Promise<{ alive: number; lastSeenAt: Date | null }> {
  const [row] = await liveness(q).execute();
  return { alive: row?.alive ?? 0, lastSeenAt: row?.lastSeenAt ?? null };
}
