/**
 * Several nodes, as deployed (issue 15, item 3): Debian's nginx in front of two web processes
 * (`node src/server.js` from build/, as `npm run start:cluster` runs them) and two worker processes
 * (`workers/main.ts`) on one PostgreSQL, with the nginx configuration the supervisor generates
 * (workers/supervisor/nginx.ts). Real processes, real proxy, real Socket.IO clients connected
 * through it (websocket and long-polling), real pg-boss, real simulator.
 *
 * The district system hangs (the simulator's latency fault), so worker A's poll is in flight
 * (worker B, started beside it once the request hangs, gets normal answers) while web node A is
 * killed (SIGKILL): the clients that were on node A reconnect through nginx to node B and resync
 * (a board again) while the poll is still held; then worker A is killed (SIGKILL) with that poll
 * still in flight, and worker B retries it: every client gets the recomputed board live, and the
 * stored samples equal the ground truth (nothing lost or doubled).
 * The two kills are one after the other, both mid-poll, so that the resync provably comes before
 * the poll lands (the live update is then the poll's, not a snapshot that already had it).
 */
import { boardFeed } from '../../src/lib/state/board-feed.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../../src/lib/contract/dto.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/contract/events.ts';
import { SOURCES_CHANNEL } from '../../src/lib/contract/notify.ts';
import { addDays, today } from '../../src/lib/domain/periods.ts';
import { createUserIfMissing } from '../../src/lib/server/seed/users.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions.ts';
import { dossierDay } from '../../workers/simulator/dossiers.ts';
import { buildIsStale, buildWeb } from '../../workers/supervisor/build.ts';
import { findNginx, prepareNginx, webEnvBehindProxy } from '../../workers/supervisor/nginx.ts';
import { freshDatabase } from '../support/db.ts';
import { clearFaults, demoWorld, setFault, SIM_SEED } from '../support/fixtures.ts';
import { freePort } from '../support/ports.ts';

const root = path.resolve(import.meta.dirname, '../..');
const BOARD = { scope: '01', period: 'month' as const, date: today() };

/** A child process of the cluster, its output kept for whoever reads a failure. */
interface Child {
  name: string;
  proc: ChildProcess;
  output: string;
  /** Resolves with the first line that matches. */
  line(pattern: RegExp): Promise<string>;
  exited: Promise<void>;
}

function startChild(name: string, bin: string, args: string[], env: Record<string, string>, options: { group?: boolean } = {}): Child {
  const proc = spawn(bin, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: options.group ?? false });
  const lines = new EventEmitter();
  const child: Child = {
    name, proc, output: '',
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const found = child.output.split('\n').find((l) => pattern.test(l));
        if (found !== undefined) return resolve(found);
        const onLine = (l: string) => {
          if (!pattern.test(l)) return;
          lines.off('line', onLine);
          resolve(l);
        };
        lines.on('line', onLine);
        void child.exited.then(() => reject(new Error(`${name} exited before printing ${pattern}:\n${child.output.slice(-3000)}`)));
      }),
    exited: new Promise((resolve) => proc.once('exit', () => resolve()))
  };
  let partial = '';
  for (const stream of [proc.stdout!, proc.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      child.output += chunk.toString();
      partial += chunk.toString();
      const done = partial.split('\n');
      partial = done.pop() ?? '';
      for (const l of done) lines.emit('line', l);
    });
  }
  return child;
}

async function kill(child: Child, signal: NodeJS.Signals = 'SIGKILL') {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill(signal);
  await child.exited;
}

/** Asks `url` until it answers 200 (a process that has just started listens a moment later: nothing to await). */
async function answers(url: string, init: RequestInit = {}, timeoutMs = 30_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
      if (r.ok) return r;
    } catch {
      /* not listening yet, or Socket.IO not attached yet (its requests wait unanswered until it is) */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A live client as the product's pages are: subscribes on every (non-recovered) connect, reconnects when the server closed it. */
interface LiveClient {
  name: string;
  transport: 'websocket' | 'polling';
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  /** The node it is on: the release the node said hello with (each node has its own here). */
  node: string | undefined;
  connects: number;
  disconnects: number;
  snapshots: { at: number; node: string | undefined; board: Board }[];
  updates: { at: number; node: string | undefined; board: Board }[];
  errors: string[];
  changed: EventEmitter;
}

function liveClient(baseUrl: string, name: string, cookie: string, transport: 'websocket' | 'polling'): LiveClient {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseUrl, {
    transports: [transport], extraHeaders: { cookie }, reconnectionDelay: 200, reconnectionDelayMax: 1_000, autoConnect: false
  });
  const c: LiveClient = { name, transport, socket, node: undefined, connects: 0, disconnects: 0, snapshots: [], updates: [], errors: [], changed: new EventEmitter() };
  const changed = () => c.changed.emit('change');
  const feed = boardFeed(socket);
  socket.on('server:hello', ({ release }) => {
    c.node = release;
    changed();
  });
  socket.on('connect', () => {
    c.connects++;
    changed();
    if (socket.recovered) return;
    void feed.subscribe(BOARD).then((result) => {
      if ('data' in result) c.snapshots.push({ at: Date.now(), node: c.node, board: result.data });
      else c.errors.push(result.error);
      changed();
    });
  });
  socket.on('connect_error', (e) => {
    c.errors.push(`connect_error: ${e.message}`);
    changed();
  });
  socket.on('disconnect', (reason) => {
    c.disconnects++;
    c.node = undefined;
    changed();
    if (reason === 'io server disconnect') socket.connect();
  });
  // Pushes arrive as patches onto the board the node sent last; the feed hands them on whole.
  feed.on((board) => {
    c.updates.push({ at: Date.now(), node: c.node, board });
    changed();
  });
  socket.connect();
  return c;
}

/** Resolves when `check` holds for every client, re-checked at each change of any of them. */
function whenAll(clients: LiveClient[], what: string, check: (c: LiveClient) => boolean, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const evaluate = () => {
      if (!clients.every(check)) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      const state = clients.map((c) => `${c.name}: node=${c.node} connects=${c.connects} disconnects=${c.disconnects} snapshots=${c.snapshots.length} updates=${c.updates.length} errors=${c.errors.slice(-2).join(' | ')}`);
      reject(new Error(`${what}: not within ${timeoutMs / 1000} s\n${state.join('\n')}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      for (const c of clients) c.changed.off('change', evaluate);
    };
    for (const c of clients) c.changed.on('change', evaluate);
    evaluate();
  });
}

/** The dossier family's numbers in a board (the motcua poll's): none before the poll. */
const dossierDenominators = (board: Board) =>
  board.rows.reduce((sum, r) => sum + (r.indicators['dossier.on_time']?.denominator ?? 0), 0);

describe('two web nodes and two workers behind nginx', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let dir: string;
  let baseUrl: string;
  const children: Child[] = [];
  const clients: LiveClient[] = [];
  let webA: Child, webB: Child, nginx: Child, workerA: Child, workerB: Child;
  /** The poll job worker A dies in. */
  let job: { id: string } | undefined;
  let env: Record<string, string>;
  const release = { a: 'cluster-test-node-a', b: 'cluster-test-node-b' };
  /** How long each phase took, for whoever reads test-results/cluster-processes.log. */
  const t0 = Date.now();
  const phases: string[] = [];
  const mark = (what: string) => phases.push(`${((Date.now() - t0) / 1000).toFixed(1)} s  ${what}`);

  beforeAll(async () => {
    const nginxBin = findNginx();
    if (!nginxBin) throw new Error('nginx is not installed: `sudo apt-get install -y nginx` (test/run.sh does it)');
    // `npm test` builds before Vitest (test/run.sh); run alone after a change, the web is built here first.
    if (buildIsStale(root)) await buildWeb(root);

    db = await freshDatabase();
    world = await demoWorld(db.sql);
    // One source, asked for once: the poll worker A will die in. A scheduled poll takes a slot of
    // its interval: a month, so that no second one is asked for while this test runs.
    await db.sql`update data_sources set enabled = (key = 'motcua'), interval_seconds = 30 * 86400, timeout_ms = 120000`;
    env = { DATABASE_URL: db.url, CITYOPS_SECRET_KEY: world.secretKeyHex, LOG_LEVEL: 'warn' };

    // ── Worker A's poll, held in flight by the district system (while the web nodes start) ──
    await setFault(world.simulatorUrl, { system: 'dossier', fault: 'latency', ms: 600_000 });
    const requested = new Promise<void>((resolve) => world.simulator.server.once('request', () => resolve()));
    workerA = startChild('worker-a', process.execPath, ['--import', 'tsx', 'workers/main.ts'], { ...env, LOG_LEVEL: 'info' });
    children.push(workerA);

    dir = await mkdtemp(path.join(tmpdir(), 'cityops-cluster-'));
    const [proxyPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
    const behindProxy = webEnvBehindProxy({});
    // Each node says hello with its own release, so that a client knows which node it is on.
    webA = startChild(`web-a:${portA}`, process.execPath, ['src/server.js'], { ...env, ...behindProxy, HOST: '127.0.0.1', PORT: String(portA), CITYOPS_RELEASE: release.a });
    webB = startChild(`web-b:${portB}`, process.execPath, ['src/server.js'], { ...env, ...behindProxy, HOST: '127.0.0.1', PORT: String(portB), CITYOPS_RELEASE: release.b });
    children.push(webA, webB);
    const proxy = prepareNginx({ dir: path.join(dir, 'nginx'), listenHost: '127.0.0.1', listenPort: proxyPort, webs: [{ host: '127.0.0.1', port: portA }, { host: '127.0.0.1', port: portB }] }, nginxBin);
    nginx = startChild('nginx', proxy.bin, proxy.args, {}, { group: true });
    children.push(nginx);
    baseUrl = `http://127.0.0.1:${proxyPort}`;
    // Each node up with its live updates attached (an engine.io handshake answers), then nginx;
    // a process that exits meanwhile fails the setup with its output.
    let up = false;
    let failSetup: (e: Error) => void = () => {};
    const setupFailed = new Promise<never>((_, reject) => (failSetup = reject));
    const watch = (c: Child) => void c.exited.then(() => {
      if (!up) failSetup(new Error(`${c.name} exited while the cluster started:\n${c.output.slice(-3000)}`));
    });
    children.forEach(watch);
    await Promise.race([
      Promise.all([
        (async () => {
          await Promise.all([portA, portB].map((port) => answers(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`)));
          await answers(`${baseUrl}/healthz`);
        })(),
        (async () => {
          await requested;
          mark('worker A polls, held by the district system');
          [job] = await db.sql<{ id: string }[]>`select id from pgboss.job where name = 'poll-source' and state = 'active'`;
          // The held request waits on; the next ones (worker B's retry) get the normal answer.
          await clearFaults(world.simulatorUrl);
          workerB = startChild('worker-b', process.execPath, ['--import', 'tsx', 'workers/main.ts'], { ...env, LOG_LEVEL: 'info' });
          children.push(workerB);
          watch(workerB);
          await workerB.line(/"msg":"workers started"/);
          mark('worker B started beside it');
        })()
      ]),
      setupFailed
    ]).finally(() => (up = true));
    expect(job).toBeDefined();
    mark('cluster up');
  }, 300_000);

  afterAll(async () => {
    for (const c of clients) c.socket.disconnect();
    for (const child of children) {
      if (child.proc.exitCode === null && child.proc.signalCode === null) {
        child.proc.kill('SIGKILL');
        await child.exited;
      }
    }
    try {
      if (nginx?.proc.pid) process.kill(-nginx.proc.pid, 'SIGKILL'); // its worker processes too
    } catch {
      /* gone with their master */
    }
    await mkdir(path.join(root, 'test-results'), { recursive: true });
    const access = dir ? await readFile(path.join(dir, 'nginx', 'access.log'), 'utf8').catch(() => '') : '';
    await writeFile(path.join(root, 'test-results/cluster-processes.log'), [`── phases\n${phases.join('\n')}`, ...children.map((c) => `── ${c.name}\n${c.output}`), `── nginx access log\n${access}`].join('\n'));
    await world?.simulator.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the killed node\'s clients reconnect through nginx and resync; the poll is retried by the other worker; nothing lost or doubled', async () => {
    // ── Signed in through the proxy: its origin check passes, and the address is the one nginx saw ──
    await createUserIfMissing(db.sql, { username: 'cluster', displayName: 'cluster', password: 'correct horse battery', role: 'leader' });
    const signIn = async () => {
      const r = await fetch(`${baseUrl}/api/v1/auth/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: baseUrl, 'x-forwarded-for': '203.0.113.9' },
        body: JSON.stringify({ username: 'cluster', password: 'correct horse battery' })
      });
      expect(r.status).toBe(200);
      const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
      expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
      return cookie;
    };
    const firstCookie = await signIn();
    const [session] = await db.sql<{ ip: string }[]>`select ip from sessions order by created_at desc limit 1`;
    expect(session!.ip).toBe('127.0.0.1'); // not the address the client claimed

    // ── Clients through nginx: per session a websocket and a long-polling one, on both nodes ──
    // Sticky by session: both transports of one session land on the same node. Sessions are added
    // until each node has some (the hash decides where; 16 sessions all on one node: 1 in 32,768).
    const sessions: { cookie: string; ws: LiveClient; poll: LiveClient }[] = [];
    const on = (node: string) => sessions.filter((s) => s.ws.node === node);
    for (let i = 0; sessions.length < 16 && (on(release.a).length < 1 || on(release.b).length < 1); i++) {
      const cookie = i === 0 ? firstCookie : await signIn();
      const s = { cookie, ws: liveClient(baseUrl, `ws${i}`, cookie, 'websocket'), poll: liveClient(baseUrl, `poll${i}`, cookie, 'polling') };
      clients.push(s.ws, s.poll);
      sessions.push(s);
      await whenAll([s.ws, s.poll], 'both clients of a session get their first board', (c) => c.snapshots.length === 1 && c.node !== undefined);
      expect(s.poll.node, `the long-polling client of session ${i} is on its websocket's node`).toBe(s.ws.node);
    }
    mark(`${sessions.length} sessions connected (${clients.length} clients)`);
    const onA = on(release.a).flatMap((s) => [s.ws, s.poll]);
    const onB = on(release.b).flatMap((s) => [s.ws, s.poll]);
    expect(onA.length).toBeGreaterThanOrEqual(2);
    expect(onB.length).toBeGreaterThanOrEqual(2);
    for (const c of clients) {
      expect(c.snapshots[0]!.board.rows.length).toBe(30); // the city's 30 districts
      expect(dossierDenominators(c.snapshots[0]!.board)).toBe(0); // nothing polled yet
    }

    // ── Web node A dies mid-poll: its clients reconnect through nginx (to B) and resync ──
    const killedAt = Date.now();
    await kill(webA);
    await whenAll(onA, 'the clients of node A reconnect through nginx to node B and get the board again', (c) =>
      c.disconnects >= 1 && c.node === release.b && c.snapshots.some((s) => s.at > killedAt && s.node === release.b)
    );
    mark('web A killed; its clients resynced through nginx on B');
    for (const c of onA) expect(c.snapshots.at(-1)!.board.rows.length).toBe(30);
    // The poll has not landed: the resync came first.
    const [stillActive] = await db.sql<{ state: string }[]>`select state from pgboss.job where id = ${job!.id}`;
    expect(stillActive!.state).toBe('active');
    expect(await db.sql`select 1 from poll_runs`).toHaveLength(0);

    // ── Worker A dies mid-poll too; worker B (up beside it) retries the poll ──
    // Each poll run NOTIFYs; pg-boss marks the job completed just after the poll's transaction (and
    // announces nothing across processes), so after a NOTIFY its row is read until it settles.
    let settle!: { resolve: (row: { state: string; retry_count: number }) => void; reject: (e: Error) => void };
    const finished = new Promise<{ state: string; retry_count: number }>((resolve, reject) => (settle = { resolve, reject }));
    const check = async () => {
      for (let i = 0; i < 100; i++) {
        const [row] = await db.sql<{ state: string; retry_count: number }[]>`select state, retry_count from pgboss.job where id = ${job!.id}`;
        if (row?.state === 'completed') return settle.resolve(row);
        if (row?.state === 'failed') return settle.reject(new Error('the poll job failed for good'));
        await db.sql`select pg_sleep(0.1)`;
      }
    };
    await db.sql.listen(SOURCES_CHANNEL, () => void check());
    const workerAKilledAt = Date.now();
    await kill(workerA);
    const retried = await finished;
    mark('worker A killed; its poll retried by worker B');
    expect(retried.retry_count).toBeGreaterThanOrEqual(1);
    expect(workerB.proc.exitCode).toBeNull();

    // ── Every client, on either node, gets the recomputed board live ──
    await whenAll(clients, 'every client gets the board the retried poll changed', (c) =>
      c.updates.some((u) => u.at > workerAKilledAt && dossierDenominators(u.board) > 0)
    );
    mark('every client has the live update');
    for (const c of onA) expect(c.updates.find((u) => dossierDenominators(u.board) > 0)!.node).toBe(release.b);
    // Node B's clients never noticed anything.
    for (const c of onB) expect({ name: c.name, connects: c.connects, disconnects: c.disconnects }).toEqual({ name: c.name, connects: 1, disconnects: 0 });

    // ── Nothing lost or doubled: one sample per commune, metric and day, equal to the system's numbers ──
    const source = world.sources.motcua!;
    const runs = await db.sql<{ outcome: string }[]>`select outcome from poll_runs where source_id = ${source.id} order by id`;
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.every((r) => r.outcome === 'success')).toBe(true);
    const to = today();
    const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from samples where source_id = ${source.id} and day between ${addDays(to, -2)} and ${to}`;
    expect(count!.n).toBe(526 * 3 * 9);
    const yesterday = addDays(to, -1);
    const rows = await db.sql<{ code: string; value: number }[]>`
      select u.gso_code as code, s.value from samples s join units u on u.id = s.unit_id join metrics m on m.id = s.metric_id
      where m.key = 'dossier.received' and s.day = ${yesterday} and s.source_id = ${source.id}`;
    expect(rows).toHaveLength(526);
    for (const r of rows) expect(r.value).toBe(dossierDay(SIM_SEED, r.code, yesterday, new Date()).received);
  }, 60_000);
});
