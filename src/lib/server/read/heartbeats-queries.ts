/** The worker processes' heartbeats (table worker_heartbeats), for /healthz and /metrics. */
import { max, sql } from 'drizzle-orm';
import { orm, type Queryable } from '#db/client';
import { workerHeartbeats } from '#db/schema/index';

/** A worker is alive when its last heartbeat is this recent. */
const ALIVE_WITHIN = sql.raw(`interval '30 seconds'`);

/** How many workers are alive, and the newest heartbeat of any (null: none ever). */
export async function workerLiveness(q: Queryable): Promise<{ alive: number; lastSeenAt: Date | null }> {
  const [row] = await orm(q)
    .select({
      alive: sql`count(*) filter (where ${workerHeartbeats.lastSeenAt} > now() - ${ALIVE_WITHIN})`.mapWith(Number),
      lastSeenAt: max(workerHeartbeats.lastSeenAt)
    })
    .from(workerHeartbeats);
  return { alive: row?.alive ?? 0, lastSeenAt: row?.lastSeenAt ?? null };
}
