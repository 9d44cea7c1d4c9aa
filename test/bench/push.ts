/**
 * Push at scale (issue 15, item 2): thousands of Socket.IO clients on the production web server(s),
 * subscribed across the boards the way the pages subscribe; a workers-like commit (every scope's
 * board of the month recomputed and announced on RANKINGS_CHANNEL in one transaction, as the slow
 * boards' job does); the time from that commit to the board at each client, and the web's CPU and
 * RSS meanwhile. Then the same with the clients split over two web nodes, each LISTENing.
 *
 * The clients live in child processes of their own (test/bench/push-client.ts), not in this one and
 * not in the web's. One machine, one clock: the commit and the arrivals are both
 * `performance.timeOrigin + performance.now()`.
 *
 * Alone, for development (an embedded PostgreSQL with the Hà Nội demo and a short backfill):
 *   npx tsx test/bench/push.ts
 *   PUSH_CLIENTS=1000,5000 PUSH_NODES=1,2 PUSH_ROUNDS=5 PUSH_DAYS=35 PUSH_MAP=2025 npx tsx test/bench/push.ts
 *   PUSH_WORLD=national npx tsx test/bench/push.ts   (the national register imported over the demo: its boards' shape)
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Sql } from '../../db/client.ts';
import { DEFAULT_SCHEME_KEY, type BoardQuery } from '../../src/lib/contract/dto.ts';
import { periodOf } from '../../src/lib/domain/periods.ts';
import { sha256 } from '../../src/lib/server/auth/crypto.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions.ts';
import { readBoard } from '../../src/lib/server/boards.ts';
import { recomputeRankings } from '#server/ranking/rankings';
import { RANKINGS_CHANNEL, type RankingsChanged } from '../../src/lib/contract/notify.ts';
import { createUserIfMissing } from '#server/seed/users';
import { freePort } from '../support/ports.ts';
import type { ClientSpec, FromClient, ToClient } from './push-client.ts';
import { printTable } from './table.ts';

export interface PushFigures {
  clients: number;
  webNodes: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  received: number;
  expected: number;
  webCpuPercent: number[];
  webRssMb: number[];
  connectMs: number;
  /** Beyond the contract: commit → the last broadcast handed to every socket, in the web (the probe), median of the rounds. */
  webLastBroadcastMs: number;
  /** CPU time each web node spent per commit. */
  webCpuMsPerCommit: number[];
  /** Peak RSS of each client process. */
  clientRssMb: number[];
}

export interface PushOptions {
  clients: number;
  webNodes: 1 | 2;
  /** Commits measured (default 5). */
  rounds?: number;
  /** A day in the month whose boards are watched (default: the newest day board ranked). */
  date?: string;
  /** Client processes (default: one per 1,250 clients, at least 2, at most 8). */
  clientProcs?: number;
  /** Clients connecting and subscribing at once in each client process (default 50). */
  inFlight?: number;
  /** How long a round waits for every board before counting the missing ones (default 60 s). */
  roundTimeoutMs?: number;
}

const now = () => performance.timeOrigin + performance.now();
const here = path.dirname(fileURLToPath(import.meta.url));
const CLIENT_SCRIPT = path.join(here, 'push-client.ts');
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const BENCH_USER = 'bench-push';

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN);
const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : '—');

/** CPU seconds (user + system) of a process so far, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is the state (field 3)
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime (14), stime (15)
}
/** Resident memory of a process now, in MB, from /proc/<pid>/status. */
function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Loaded into the web process (`--import`), changing nothing it does: notes when each Socket.IO
 * broadcast begins and when it has handed its packet to every socket of the room (the broadcast
 * encodes once, then writes to each socket in one synchronous loop), on a line of stderr. So the
 * server's part of the time can be told from the clients' own (their receiving, on this machine).
 */
const PROBE = `
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(path.join(process.cwd(), 'package.json'));
const dir = path.dirname(require.resolve('socket.io/package.json'));
const { BroadcastOperator } = require(path.join(dir, 'dist/broadcast-operator.js'));
const emit = BroadcastOperator.prototype.emit;
BroadcastOperator.prototype.emit = function (ev, ...args) {
  if (ev !== 'rankings:updated' && ev !== 'rankings:patched') return emit.call(this, ev, ...args);
  const start = performance.timeOrigin + performance.now();
  const result = emit.call(this, ev, ...args);
  const end = performance.timeOrigin + performance.now();
  let members = 0;
  for (const room of this.rooms) members += this.adapter.rooms.get(room)?.size ?? 0;
  const bytes = Buffer.byteLength(JSON.stringify(args[0] ?? null)) * members;
  process.stderr.write('push-probe ' + JSON.stringify({ start, end, bytes }) + '\\n');
  return result;
};
`;
const PROBE_LINE = /^push-probe (.*)$/gm;

interface Emit {
  start: number;
  end: number;
  /** The event's JSON times the sockets it went to (measured after `end`). */
  bytes: number;
}

interface WebNode {
  proc: ChildProcess;
  pid: number;
  url: string;
  log: () => string;
  /** The broadcasts the probe saw, in order. */
  emits: Emit[];
}

/** The production web server (src/server.js on build/), started as `npm run web` would. */
async function startWeb(databaseUrl: string): Promise<WebNode> {
  const port = await freePort();
  const proc = spawn(process.execPath, [`--import=data:text/javascript,${encodeURIComponent(PROBE)}`, 'src/server.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let out = '';
  const emits: Emit[] = [];
  let partial = '';
  const onData = (c: Buffer) => {
    out = (out + c.toString()).slice(-20_000);
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', (c: Buffer) => {
    const text = partial + c.toString();
    const cut = text.lastIndexOf('\n') + 1;
    partial = text.slice(cut);
    for (const m of text.slice(0, cut).matchAll(PROBE_LINE)) emits.push(JSON.parse(m[1]!) as Emit);
    onData(Buffer.from(text.slice(0, cut).replace(PROBE_LINE, '')));
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`web exited (${code}): ${out}`))));
  exited.catch(() => {});
  // Up when Socket.IO answers an Engine.IO handshake: it is attached once the web reached the database.
  const ready = (async () => {
    for (;;) {
      const r = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
      if (r?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  await Promise.race([ready, exited]);
  return { proc, pid: proc.pid!, url, log: () => out, emits };
}

async function stopWeb(node: WebNode) {
  if (node.proc.exitCode !== null) return;
  const gone = new Promise((resolve) => node.proc.once('exit', resolve));
  node.proc.kill('SIGTERM');
  await gone;
}

/** A client process and its messages, awaited by type. */
class ClientProc {
  readonly proc: ChildProcess;
  readonly exited: Promise<void>;
  #waiting: { type: FromClient['type']; round?: number; resolve: (m: FromClient) => void; reject: (e: Error) => void }[] = [];
  #inbox: FromClient[] = [];
  #stderr = '';

  constructor() {
    this.proc = fork(CLIENT_SCRIPT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.proc.stderr!.on('data', (c: Buffer) => (this.#stderr = (this.#stderr + c.toString()).slice(-5000)));
    this.proc.on('message', (m: FromClient) => {
      const i = this.#waiting.findIndex((w) => w.type === m.type && (w.round === undefined || ('round' in m && m.round === w.round)));
      if (i >= 0) this.#waiting.splice(i, 1)[0]!.resolve(m);
      else this.#inbox.push(m);
    });
    this.exited = new Promise((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.once('exit', (code, signal) => {
      for (const w of this.#waiting.splice(0)) w.reject(new Error(`a push client process exited (${code ?? signal}) awaiting '${w.type}': ${this.#stderr}`));
    });
  }

  send(m: ToClient) {
    this.proc.send(m);
  }

  next<T extends FromClient['type']>(type: T, round?: number): Promise<Extract<FromClient, { type: T }>> {
    const i = this.#inbox.findIndex((m) => m.type === type && (round === undefined || ('round' in m && m.round === round)));
    if (i >= 0) return Promise.resolve(this.#inbox.splice(i, 1)[0] as Extract<FromClient, { type: T }>);
    return new Promise((resolve, reject) => this.#waiting.push({ type, round, resolve: resolve as (m: FromClient) => void, reject }));
  }
}

interface Scope {
  id: number;
  code: string;
  parentId: number | null;
}

/**
 * Who connects and what each watches, as the pages subscribe (the month's board of a scope):
 * one client in ten an overview page (the home scope's board), three in ten a wall screen on a scope
 * (one board, a display token limited to that scope), six in ten a unit's page (its parent's
 * board, and its own when it has children), the units taken in turn over the whole register.
 */
async function planClients(sql: Sql, scopes: Scope[], date: string, end: string, count: number) {
  const scopeIds = new Set(scopes.map((s) => s.id));
  const root = scopes.find((s) => s.parentId === null || !scopeIds.has(s.parentId)) ?? scopes[0]!;
  const pages = await sql<{ code: string; parent: string }[]>`
    select u.gso_code as code, p.gso_code as parent from units u join units p on p.id = u.parent_id
    where u.parent_id in ${sql(scopes.map((s) => s.id))}
      and coalesce(u.valid_from <= ${end}::date, true) and coalesce(u.valid_to >= ${end}::date, true)
    order by u.gso_code`;
  const scopeCodes = new Set(scopes.map((s) => s.code));
  const month = (scope: string): BoardQuery => ({ scope, period: 'month', date, scheme: DEFAULT_SCHEME_KEY });
  const plan: { kind: 'overview' | 'wall' | 'unit'; queries: BoardQuery[]; wallScope?: number }[] = [];
  let wall = 0;
  let page = 0;
  for (let i = 0; i < count; i++) {
    const slot = i % 10;
    if (slot === 0) plan.push({ kind: 'overview', queries: [month(root.code)] });
    else if (slot <= 3) {
      const s = scopes[wall++ % scopes.length]!;
      plan.push({ kind: 'wall', queries: [month(s.code)], wallScope: s.id });
    } else {
      const u = pages[page++ % pages.length]!;
      plan.push({ kind: 'unit', queries: scopeCodes.has(u.code) ? [month(u.code), month(u.parent)] : [month(u.parent)] });
    }
  }
  return { plan, rooms: new Set(plan.flatMap((p) => p.queries.map((q) => q.scope))).size, root };
}

/** Sessions and display tokens for the clients, written as sign-in and the admin's token page would. */
async function credentials(sql: Sql, plan: Awaited<ReturnType<typeof planClients>>['plan']) {
  await createUserIfMissing(sql, { username: BENCH_USER, displayName: 'Push bench', password: randomBytes(18).toString('base64url'), role: 'leader' });
  const [user] = await sql<{ id: number }[]>`select id from users where username = ${BENCH_USER}`;
  const auth: ({ cookie: string } | { displayToken: string })[] = [];
  const sessions: string[] = [];
  const walls: { token: string; scope: number }[] = [];
  for (const p of plan) {
    const token = randomBytes(32).toString('base64url');
    if (p.kind === 'wall') {
      walls.push({ token, scope: p.wallScope! });
      auth.push({ displayToken: token });
    } else {
      sessions.push(token);
      auth.push({ cookie: `${SESSION_COOKIE}=${token}` });
    }
  }
  if (sessions.length) {
    await sql`insert into sessions (id, user_id, expires_at, ip, user_agent)
              select h, ${user!.id}, now() + interval '12 hours', '127.0.0.1', 'push bench' from unnest(${sessions.map(sha256)}::text[]) as h`;
  }
  if (walls.length) {
    await sql`insert into display_tokens (name, token_hash, scope_unit_id, playlist)
              select 'bench push ' || n, h, s, '{"scenes":["board"],"dwellSeconds":20}'::jsonb
              from unnest(${walls.map((w) => sha256(w.token))}::text[], ${walls.map((w) => w.scope)}::int[]) with ordinality as t(h, s, n)`;
  }
  return {
    auth,
    async remove() {
      await sql`delete from sessions where user_id = ${user!.id}`;
      await sql`delete from display_tokens where name like 'bench push %'`;
    }
  };
}

export async function benchPush(sql: Sql, databaseUrl: string, opts: PushOptions): Promise<{ rows: [string, string][]; figures: PushFigures }> {
  const rounds = opts.rounds ?? 5;
  const procs = opts.clientProcs ?? Math.min(8, Math.max(2, Math.ceil(opts.clients / 1250)));
  const inFlight = opts.inFlight ?? 50;
  const roundTimeoutMs = opts.roundTimeoutMs ?? 60_000;
  if (!existsSync('build/handler.js')) {
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the production build failed');
  }
  const [newest] = await sql<{ day: string | null }[]>`
    select max(period_start)::text as day from rankings where period_kind = 'day' and scheme_key = ${DEFAULT_SCHEME_KEY}`;
  const date = opts.date ?? newest?.day;
  if (!date) throw new Error('no day board is ranked: nothing to push (pass `date`, or rank the boards first)');
  const month = periodOf('month', date);
  // The commit each round makes: what the slow boards' job does (recompute, NOTIFY, one transaction).
  // Its time is the database's clock as the transaction's last statement ran (the same machine's
  // clock as the clients'): taken after the await, the bench's own event loop could put it after
  // the first arrivals.
  const commit = async () => {
    let at = NaN;
    const scopeIds = (await sql.begin(async (tx) => {
      const ids = await recomputeRankings(tx, [month], { schemes: [DEFAULT_SCHEME_KEY] });
      const payload: RankingsChanged = { pollRunId: null, scopeIds: ids, periods: [{ kind: month.kind, start: month.start }], schemes: [DEFAULT_SCHEME_KEY] };
      const [row] = await tx<{ at: number }[]>`select pg_notify(${RANKINGS_CHANNEL}, ${JSON.stringify(payload)}), extract(epoch from clock_timestamp()) * 1000 as at`;
      at = Number(row!.at);
      return ids;
    })) as number[];
    return { scopeIds, at };
  };
  // Before each, what a poll brings: one commune's dossiers resolved on time on the watched day halved
  // (another commune each round), so that the boards pushed carry a real change — its row, and places
  // where it moves — not only a new time.
  const changes = await sql<{ unitId: number; metricId: number; sourceId: number }[]>`
    select s.unit_id as "unitId", s.metric_id as "metricId", s.source_id as "sourceId" from effective_samples s join metrics m on m.id = s.metric_id
    where s.day = ${date}::date and m.key = 'dossier.resolved_on_time' and s.value >= 2 order by hashtext(s.unit_id::text), s.unit_id limit 64`;
  const change = async (r: number) => {
    const c = changes[r % Math.max(1, changes.length)];
    if (c) await sql`update samples set value = floor(value / 2) where unit_id = ${c.unitId} and metric_id = ${c.metricId} and day = ${date}::date and source_id = ${c.sourceId}`;
  };

  const { scopeIds } = await commit(); // the boards exist, and these are the scopes that have one
  // Boards a page can open: scopes in force at the month's end (a unit ended by a reform has boards of its past only).
  const scopes = (await sql<Scope[]>`
    select id, gso_code as code, parent_id as "parentId" from units
    where id in ${sql(scopeIds)} and coalesce(valid_from <= ${month.end}::date, true) and coalesce(valid_to >= ${month.end}::date, true)`)
    .sort((a, b) => a.code.localeCompare(b.code));
  const { plan, rooms, root } = await planClients(sql, scopes, date, month.end, opts.clients);
  // What one commit sends: each watched board once per client watching it (JSON, as Socket.IO frames it).
  const boardBytes = new Map<string, number>();
  const readMs: number[] = [];
  for (const q of new Set(plan.flatMap((p) => p.queries.map((q) => q.scope)))) {
    const t = now();
    const board = await readBoard(sql, { scope: q, period: 'month', date, scheme: DEFAULT_SCHEME_KEY });
    readMs.push(now() - t);
    boardBytes.set(q, Buffer.byteLength(JSON.stringify(board)));
  }
  readMs.sort((a, b) => a - b);
  const pushedBytes = plan.reduce((n, p) => n + p.queries.reduce((m, q) => m + boardBytes.get(q.scope)!, 0), 0);
  const creds = await credentials(sql, plan);
  const loadBefore = loadavg().map((l) => l.toFixed(1)).join(' ');
  const label = `push, ${opts.clients.toLocaleString('en')} clients on ${opts.webNodes} web node${opts.webNodes > 1 ? 's' : ''}`;

  const webs: WebNode[] = [];
  const clientProcs: ClientProc[] = [];
  try {
    for (let i = 0; i < opts.webNodes; i++) webs.push(await startWeb(databaseUrl));
    for (let i = 0; i < procs; i++) clientProcs.push(new ClientProc());

    // Client i: web node i mod webNodes, client process i mod procs.
    const specs: ClientSpec[][] = clientProcs.map(() => []);
    plan.forEach((p, i) => specs[i % procs]!.push({ url: webs[i % webs.length]!.url, ...creds.auth[i]!, queries: p.queries }));
    const cpuBeforeConnect = webs.map((w) => cpuSeconds(w.pid));
    const t0 = now();
    clientProcs.forEach((c, i) => c.send({ type: 'connect', clients: specs[i]!, inFlight }));
    const connected = await Promise.all(clientProcs.map((c) => c.next('connected')));
    const connectMs = now() - t0;
    const connectCpu = webs.map((w, i) => ((cpuSeconds(w.pid) - cpuBeforeConnect[i]!) / (connectMs / 1000)) * 100);
    const errors = connected.flatMap((c) => c.errors);
    const perClient = connected.flatMap((c) => c.connectMs).sort((a, b) => a - b);
    if (perClient.length === 0) throw new Error(`no client could connect: ${errors.join('; ')}\n${webs.map((w) => w.log()).join('\n')}`);
    const idleRss = webs.map((w) => rssMb(w.pid));

    const latencies: number[] = [];
    const commitMs: number[] = [];
    let received = 0;
    let cpu = webs.map(() => 0);
    let clientCpu = 0;
    const serverFirst: number[] = [];
    const serverLast: number[] = [];
    const broadcastMs: number[] = [];
    const pushedPerCommit: number[] = [];
    const betweenMs: number[] = [];
    let window = 0;
    const peakRss = webs.map(() => 0);
    for (let r = 0; r < rounds; r++) {
      clientProcs.forEach((c) => c.send({ type: 'arm', round: r }));
      await Promise.all(clientProcs.map((c) => c.next('armed', r)));
      const dones = clientProcs.map((c) => c.next('done', r));
      await change(r);
      const t = now();
      const { at: committed } = await commit();
      commitMs.push(now() - t);
      const cpu0 = webs.map((w) => cpuSeconds(w.pid));
      const clientCpu0 = clientProcs.map((c) => cpuSeconds(c.proc.pid!));
      const sampler = setInterval(() => webs.forEach((w, i) => (peakRss[i] = Math.max(peakRss[i]!, rssMb(w.pid)))), 20);
      const timeout = setTimeout(() => clientProcs.forEach((c) => c.send({ type: 'collect', round: r })), roundTimeoutMs);
      const results = await Promise.all(dones);
      const ended = now();
      clearTimeout(timeout);
      clearInterval(sampler);
      cpu = cpu.map((c, i) => c + cpuSeconds(webs[i]!.pid) - cpu0[i]!);
      clientCpu += clientProcs.reduce((n, c, i) => n + cpuSeconds(c.proc.pid!) - clientCpu0[i]!, 0);
      window += (ended - committed) / 1000;
      // The server's part (the probe): from the commit to the first broadcast's start, and to the last one's end.
      // Each node: its broadcasts' own time, and the time between them (reading the next board); the busiest node counts.
      const perNode = webs.map((w) => w.emits.filter((e) => e.start >= t && e.end <= ended)).filter((es) => es.length);
      pushedPerCommit.push(perNode.flat().reduce((n, e) => n + e.bytes, 0));
      if (perNode.length) {
        serverFirst.push(Math.min(...perNode.map((es) => es[0]!.start)) - committed);
        serverLast.push(Math.max(...perNode.map((es) => es.at(-1)!.end)) - committed);
        const own = perNode.map((es) => es.reduce((n, e) => n + e.end - e.start, 0));
        broadcastMs.push(Math.max(...own));
        betweenMs.push(Math.max(...perNode.map((es, i) => es.at(-1)!.end - es[0]!.start - own[i]!)));
      }
      for (const res of results) {
        for (const a of res.arrivals) {
          if (Number.isNaN(a)) continue;
          received++;
          latencies.push(a - committed);
        }
      }
    }
    latencies.sort((a, b) => a - b);
    // Every client planned, each round: one that could not connect counts as missing.
    const expected = opts.clients * rounds;
    const webCpuPercent = cpu.map((c) => Math.round((c / window) * 100));
    const webRssMb = peakRss.map((r) => Math.round(r));
    const figures: PushFigures = {
      clients: opts.clients, webNodes: opts.webNodes,
      p50Ms: quantile(latencies, 0.5), p95Ms: quantile(latencies, 0.95), p99Ms: quantile(latencies, 0.99),
      received, expected, webCpuPercent, webRssMb, connectMs,
      webLastBroadcastMs: median(serverLast), webCpuMsPerCommit: cpu.map((c) => Math.round((c / rounds) * 1000)), clientRssMb: []
    };

    clientProcs.forEach((c) => c.send({ type: 'close' }));
    const closed = await Promise.all(clientProcs.map((c) => c.next('closed')));
    figures.clientRssMb = closed.map((c) => c.maxRssMb);
    const nodes = (xs: (string | number)[]) => xs.join(' + ');
    commitMs.sort((a, b) => a - b);
    const rows: [string, string][] = [
      [`${label}: connect + subscribe every client (${procs} client processes, ${inFlight} at once in each; ${rooms} boards watched)`,
        `${(connectMs / 1000).toFixed(1)} s; per client p50 / p95 ${ms(quantile(perClient, 0.5))} / ${ms(quantile(perClient, 0.95))}; web CPU ${nodes(connectCpu.map((c) => `${c.toFixed(0)}%`))}${errors.length ? `; ERRORS: ${errors.join('; ')}` : ''}`],
      [`${label}: workers' commit → every board at each client, p50 / p95 / p99 over ${rounds} rounds (first / last)`,
        `${ms(figures.p50Ms)} / ${ms(figures.p95Ms)} / ${ms(figures.p99Ms)} (${ms(latencies[0]!)} / ${ms(latencies.at(-1)!)}); received ${received.toLocaleString('en')} of ${expected.toLocaleString('en')}`],
      [`${label}: the web's part (probe in the web): commit → first broadcast begins / → last broadcast handed to every socket, median of ${rounds} (the busiest node's broadcasts: their own time / between them, reading the next board)`,
        `${ms(median(serverFirst))} / ${ms(median(serverLast))} (${ms(median(broadcastMs))} / ${ms(median(betweenMs))})`],
      [`${label}: web CPU during the rounds (commit → last board; 100% = one core; CPU time per commit) / RSS peak (idle after connect)`,
        `${nodes(webCpuPercent.map((c, i) => `${c}% (${((cpu[i]! / rounds) * 1000).toFixed(0)} ms)`))} / ${nodes(webRssMb.map((r) => `${r} MB`))} (${nodes(idleRss.map((r) => `${Math.round(r)} MB`))})`],
      [`${label}: the boards watched (${(Math.min(...boardBytes.values()) / 1024).toFixed(0)}–${(Math.max(...boardBytes.values()) / 1024).toFixed(0)} KB each), whole to every socket / what the commits pushed (patches; the probe)`,
        `${(pushedBytes / 1024 / 1024).toFixed(0)} MB to ${opts.clients.toLocaleString('en')} sockets, ${plan.reduce((n, p) => n + p.queries.length, 0).toLocaleString('en')} boards / ${(median(pushedPerCommit) / 1024 / 1024).toFixed(1)} MB a commit, median; one board read (the bench's own) median ${ms(quantile(readMs, 0.5))}`],
      [`${label}: the commit itself (every scope's month board recomputed + NOTIFY, ${scopes.length} scopes; root ${root.code}), median`,
        `${ms(quantile(commitMs, 0.5))}`],
      [`${label}: the client processes (each client's board feed applying the patches): CPU during the rounds (all together) / peak RSS of each`,
        `${Math.round((clientCpu / window) * 100)}% / ${closed.map((c) => `${c.maxRssMb} MB`).join(', ')}`],
      [`${label}: the machine (${cpus().length} cores, shared): load average before / after`, `${loadBefore} / ${loadavg().map((l) => l.toFixed(1)).join(' ')}`]
    ];
    return { rows, figures };
  } finally {
    for (const c of clientProcs) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGTERM');
    await Promise.all(clientProcs.map((c) => c.exited));
    await Promise.all(webs.map(stopWeb));
    await creds.remove();
  }
}

// ------------------------------------------------------------------------------------------------
// Alone: `npx tsx test/bench/push.ts` on its own embedded PostgreSQL with the Hà Nội demo.

async function main() {
  const { connectDb } = await import('../../db/client.ts');
  const { startEmbeddedPostgres } = await import('../../db/embedded.ts');
  const { runMigrations } = await import('../../db/migrate.ts');
  const { addDays } = await import('../../src/lib/domain/periods.ts');
  const { backfillSource } = await import('#server/pipeline/backfill');
  const { periodsCovering } = await import('../../src/lib/domain/periods.ts');
  const { demoWorld } = await import('../support/fixtures.ts');

  process.env.SOURCE_ALLOWED_HOSTS ??= '127.0.0.1,localhost';
  const NOW = new Date('2026-11-20T12:00:00Z');
  const TO = '2026-11-20';
  const days = Number(process.env.PUSH_DAYS ?? 35);
  const counts = (process.env.PUSH_CLIENTS ?? '1000,5000').split(',').map(Number);
  const nodes = (process.env.PUSH_NODES ?? '1,2').split(',').map(Number) as (1 | 2)[];
  const rounds = Number(process.env.PUSH_ROUNDS ?? 5);
  // 2025: the demo as `npm start` seeds it (the city's one board of 126 communes and 19 departments);
  // 2024: the old map, a city board of 30 districts and a board per district (more, smaller rooms).
  const map = (process.env.PUSH_MAP ?? '2025') as '2024' | '2025';
  // national: the national register imported over the demo (the country, 34 provinces, 3,321
  // communes): the boards' shape of a national installation, with data for Hà Nội's communes only.
  const national = process.env.PUSH_WORLD === 'national';

  const rows: [string, string][] = [];
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cityops-push-'));
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  try {
    await runMigrations(pg.url);
    const { sql } = await connectDb(pg.url);
    const world = await demoWorld(sql, { now: () => NOW, map });
    const from = addDays(TO, -(days - 1));
    for (const source of Object.values(world.sources).filter((s) => s.kind !== 'upload')) {
      await backfillSource(sql, source, { from, to: TO }, { secretKeyHex: world.secretKeyHex, recompute: false });
    }
    if (national) {
      const { importUnits } = await import('../../src/lib/server/admin/units-reform.ts');
      const data = (name: string) => readFileSync(new URL(`../../db/seed/data/${name}`, import.meta.url), 'utf8');
      const imported = await importUnits(
        sql,
        { register: { text: data('vietnam-2025.csv'), name: 'vietnam-2025.csv' }, merges: { text: data('merge-2025.csv'), name: 'merge-2025.csv' }, effectiveFrom: '2025-07-01' },
        { kind: 'system', name: 'push bench' },
        { now: NOW, jobs: null }
      );
      if (!imported.ok) throw new Error(`the national register did not import: ${JSON.stringify(imported.problems.slice(0, 3))}`);
    }
    await recomputeRankings(sql, [...periodsCovering('day', TO, TO), ...periodsCovering('month', TO, TO)]);
    for (const clients of counts) {
      for (const webNodes of nodes) {
        const { rows: r, figures } = await benchPush(sql, pg.url, { clients, webNodes, rounds });
        rows.push(...r);
        console.log(JSON.stringify(figures));
      }
    }
    await sql.end();
    await world.simulator.close();
  } finally {
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  printTable(`City Ops push bench (Hà Nội demo, map ${map}${national ? ', the national register over it' : ''}, ${days} days)`, rows);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
