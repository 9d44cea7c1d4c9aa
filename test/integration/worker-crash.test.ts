/**
 * A worker process killed in the middle of a poll: another worker retries it, and what is stored
 * equals the district system's ground truth, nothing lost, nothing doubled. Real processes
 * (`workers/main.ts`, as `npm start` runs it), real pg-boss, real simulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCES_CHANNEL } from '../../src/lib/contract/notify.ts';
import { addDays, today } from '../../src/lib/domain/periods.ts';
import { dossierDay } from '../../workers/simulator/dossiers.ts';
import { freshDatabase } from '../support/db.ts';
import { clearFaults, demoWorld, setFault, SIM_SEED } from '../support/fixtures.ts';

function startWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

describe('a worker killed in the middle of a poll', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql);
    // One source, asked for once: the poll the first worker will die in.
    await db.sql`update data_sources set enabled = (key = 'motcua'), interval_seconds = 3600, timeout_ms = 120000`;
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await world.simulator.close();
    await db.drop();
  });

  it('is retried by another worker, and the stored samples equal the ground truth', async () => {
    const env = { DATABASE_URL: db.url, CITYOPS_SECRET_KEY: world.secretKeyHex, LOG_LEVEL: 'warn' };
    // The district system hangs: the first worker's poll is in flight when it dies.
    await setFault(world.simulatorUrl, { system: 'dossier', fault: 'latency', ms: 600_000 });
    const requested = new Promise<void>((resolve) => world.simulator.server.once('request', () => resolve()));
    const a = startWorker(env);
    children.push(a);
    await requested;
    const [job] = await db.sql<{ id: string }[]>`select id from pgboss.job where name = 'poll-source' and state = 'active'`;
    expect(job).toBeDefined();
    const exited = new Promise((resolve) => a.once('exit', resolve));
    a.kill('SIGKILL');
    await exited;
    await clearFaults(world.simulatorUrl);

    // Each poll run NOTIFYs. pg-boss marks the job completed just after the poll's transaction (and
    // announces nothing across processes), so after a NOTIFY its row is read until it settles.
    const finished = new Promise<{ state: string; retry_count: number }>((resolve, reject) => {
      const check = async () => {
        for (let i = 0; i < 100; i++) {
          const [row] = await db.sql<{ state: string; retry_count: number }[]>`select state, retry_count from pgboss.job where id = ${job!.id}`;
          if (row?.state === 'completed') return resolve(row);
          if (row?.state === 'failed') return reject(new Error('the poll job failed for good'));
          await db.sql`select pg_sleep(0.1)`;
        }
      };
      void db.sql.listen(SOURCES_CHANNEL, () => void check());
    });
    children.push(startWorker(env));
    const retried = await finished;
    expect(retried.retry_count).toBeGreaterThanOrEqual(1);

    const source = world.sources.motcua!;
    const runs = await db.sql<{ outcome: string; window_from: string; window_to: string }[]>`
      select outcome, window_from, window_to from poll_runs where source_id = ${source.id} order by id`;
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.every((r) => r.outcome === 'success')).toBe(true);

    // Nothing lost or doubled: one sample per commune, metric and day, equal to the system's numbers.
    const to = today();
    const from = addDays(to, -2);
    const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from samples where source_id = ${source.id} and day between ${from} and ${to}`;
    expect(count!.n).toBe(526 * 3 * 9);
    const yesterday = addDays(to, -1);
    const rows = await db.sql<{ code: string; value: number }[]>`
      select u.gso_code as code, s.value from samples s join units u on u.id = s.unit_id join metrics m on m.id = s.metric_id
      where m.key = 'dossier.received' and s.day = ${yesterday} and s.source_id = ${source.id}`;
    expect(rows).toHaveLength(526);
    for (const r of rows) expect(r.value).toBe(dossierDay(SIM_SEED, r.code, yesterday, new Date()).received);
  }, 90_000);
});
