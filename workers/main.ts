/** `npm run workers`: polls the data sources, stores samples and rankings, announces changes. */
import { hostname } from 'node:os';
import { connectDb } from '#db/client';
import { config, databaseUrl } from '#server/config';
import { databaseOutage } from '#server/outage';
import { createBoss, startWorkers } from './scheduler.ts';

const cfg = config();
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
// While the database is away, its failures are one line, a summary a minute and one when it is back.
const outage = databaseOutage(log);
/**
 * A line of the workers, unless it is an operation's failure ("scheduler tick failed: …") only
 * because the database is away: then it counts in the outage. (A poll's own outcome, "poll motcua:
 * failed, …", may name a district system that refused the connection: always logged.)
 */
const say = (line: string) => {
  const failed = /^([\w -]+) failed: (.*)$/.exec(line);
  if (!failed || !outage.fail(failed[1]!, failed[2]!)) log(line);
};
const { sql } = await connectDb(databaseUrl(), { max: 6, application: 'city-ops-workers' });
const boss = await createBoss(databaseUrl());
boss.on('error', (e) => outage.fail('pg-boss', e) || log(`pg-boss: ${e.message}`));

const id = `${hostname()}:${process.pid}`;
const startedAt = new Date().toISOString();
async function heartbeat() {
  await sql`insert into worker_heartbeats (id, pid, started_at, last_seen_at) values (${id}, ${process.pid}, ${startedAt}, now())
            on conflict (id) do update set last_seen_at = now()`;
}
await heartbeat();
const beat = setInterval(() => heartbeat().then(() => outage.ok(), (e) => outage.fail('heartbeat', e) || log(`heartbeat failed: ${e.message}`)), 5000);

const workers = await startWorkers({ sql, boss, secretKeyHex: cfg.CITYOPS_SECRET_KEY, log: say });
log('workers started');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(beat);
    await workers.stop();
    await boss.stop({ graceful: true, timeout: 10_000 });
    await sql`delete from worker_heartbeats where id = ${id}`.catch(() => {});
    await sql.end({ timeout: 5 });
    process.exit(0);
  });
}
