import { json } from '@sveltejs/kit';
import type { HealthReport } from '#contract/dto';
import { readHealth } from '#server/boards';
import { sql } from '#server/db';
import type { RequestHandler } from './$types';

/** 200 while the database answers (workers down = "degraded", still 200); 503 when it does not. */
export const GET: RequestHandler = async ({ locals }) => {
  try {
    const db = await sql();
    await db`select 1`;
    const { workers, sources } = await readHealth(db);
    const report: HealthReport = { status: workers.ok ? 'ok' : 'degraded', database: { ok: true }, workers };
    if (locals.principal.kind === 'user') report.sources = sources;
    return json(report);
  } catch (e) {
    const report: HealthReport = {
      status: 'down',
      database: { ok: false, error: 'the database does not answer' },
      workers: { ok: false, alive: 0, lastSeenAt: null }
    };
    return json(report, { status: 503 });
  }
};
