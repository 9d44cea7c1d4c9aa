/** `npm run workers`: polls the data sources, stores samples and rankings, announces changes; runs the recompute and history jobs. */
import { hostname } from 'node:os';
import { eq, sql as fragment } from 'drizzle-orm';
import { connectDb, orm } from '#db/client';
import { workerHeartbeats } from '#db/schema/index';
import { alertDelivery, briefingMail, config, databaseUrl } from '#server/config';
import { createBoss } from '#server/jobs/boss';
import { logger } from '#server/log';
import { WORKER_HEARTBEAT_MS } from '#server/limits';
import { databaseOutage, quietWhileDown } from '#server/outage';
import { applyProvisioningFile } from '#server/admin/provisioning';
import { closeBrowser } from '#server/briefings/browser';
import { startWorkers } from './scheduler.ts';

const cfg = config();
// While the database is away, its failures (the ticker every second, pg-boss's loops twice a
// second, heartbeats) are one line, a summary a minute and one when it is back.
const outage = databaseOutage((line) => logger('workers').warn(line));
const log = quietWhileDown(logger('workers'), outage);
const { sql } = await connectDb(databaseUrl(), { max: 6, application: 'city-ops-workers' });
const boss = await createBoss(databaseUrl(), { onError: (err) => log.error({ err }, 'pg-boss error') });

const id = `${hostname()}:${process.pid}`;
const startedAt = new Date();
async function heartbeat() {
  const now = fragment`now()`;
  await orm(sql).insert(workerHeartbeats).values({ id, pid: process.pid, startedAt, lastSeenAt: now })
    .onConflictDoUpdate({ target: workerHeartbeats.id, set: { lastSeenAt: now } });
}
await heartbeat();
const beat = setInterval(() => heartbeat().then(() => outage.ok(), (err) => log.error({ err }, 'heartbeat failed')), WORKER_HEARTBEAT_MS);

// The provisioning file's sources (after the migrations, which `npm start` or the deployment ran
// first): a bad file or entry is logged with its file, source and field, and the workers start anyway.
if (cfg.CITYOPS_PROVISIONING) {
  await applyProvisioningFile(sql, cfg.CITYOPS_PROVISIONING, { log, secretKeyHex: cfg.CITYOPS_SECRET_KEY, jobs: boss }).catch((err) =>
    log.error({ err, file: cfg.CITYOPS_PROVISIONING }, `provisioning ${cfg.CITYOPS_PROVISIONING}: not applied`)
  );
}

const workers = await startWorkers({ sql, boss, secretKeyHex: cfg.CITYOPS_SECRET_KEY, log, delivery: alertDelivery(cfg), briefingMail: briefingMail(cfg) });
log.info('workers started');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(beat);
    await workers.stop();
    await closeBrowser();
    await boss.stop({ graceful: true, timeout: 10_000 });
    await orm(sql).delete(workerHeartbeats).where(eq(workerHeartbeats.id, id)).catch(() => {});
    await sql.end({ timeout: 5 });
    process.exit(0);
  });
}
