/**
 * `npm run bench -- --scale national`: the national figures of issue 15, from one run on the real
 * embedded PostgreSQL, everything through the product's own code:
 *   - the national register (vietnam-2025.csv + merge-2025.csv from 01/07/2025) through the units import;
 *   - a simulated set of district systems per province (workers/simulator/national.ts, in a child
 *     process of its own, so its CPU and memory are measured apart), each province's four systems
 *     connected as data: clones of the seeded demo sources (one-stop shop, e-ID, welfare CSV, task
 *     tracker), scoped to the province, pointed at its simulator;
 *   - BENCH_DAYS (default 400) days of every commune backfilled through backfillSource (fetch → map →
 *     check → upsert), BENCH_CONCURRENCY sources at a time (default 2, one per core), then every board
 *     of the range ranked;
 * then: ingest rate vs a raw COPY of the same rows into a table of the same shape; ranking every board
 * of one day and of one month; board reads (the country's provinces, a province's communes, a
 * commune's page) p50/p95 over 200; a province's poll changing one commune → boards recomputed →
 * NOTIFY heard by a LISTEN here, p95 of 20; storage; peak memory per process; the push figures of
 * test/bench/push.ts (benchPush, BENCH_PUSH_CLIENTS clients, default 5000, on one then two web nodes;
 * BENCH_PUSH=0 leaves it out). BENCH_SLOW_MS=n logs PostgreSQL's statements of n ms or more on stderr.
 * Prints a table and writes the figures as JSON to BENCH_JSON (when set). Asserts nothing.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { connectDb, orm, type Sql } from '../../db/client.ts';
import { startEmbeddedPostgres } from '../../db/embedded.ts';
import { runMigrations } from '../../db/migrate.ts';
import { dataSources, DEFAULT_REQUEST } from '../../db/schema/sources.ts';
import { addDays, periodOf, PERIOD_KINDS } from '../../src/lib/domain/periods.ts';
import { RANKINGS_CHANNEL, type RankingsChanged } from '../../src/lib/contract/notify.ts';
import { NotFoundError, readActiveSchemes, readBoard, readSeries, readUnit } from '../../src/lib/server/boards.ts';
import { readKpiHistory } from '../../src/lib/server/kpis.ts';
import { readSourceHealth, readSourceHealthForUnit } from '../../src/lib/server/sources.ts';
import { estimateBefore, readUnitLineage } from '../../src/lib/server/lineage.ts';
import { readLateAndCorrected } from '../../src/lib/server/drilldown.ts';
import { canReadBoard, canReadDetail } from '../../src/lib/server/auth/access.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { importUnits } from '../../src/lib/server/admin/units-reform.ts';
import { seedCatalogue } from '#server/seed/seed';
import { DEMO_SOURCES } from '#server/seed/demo-sources';
import { seal, newKeyHex } from '../../src/lib/server/secrets.ts';
import { backfillSource, recomputeRange } from '#server/pipeline/backfill';
import { affectedPeriods, loadSource, pollSource, type SourceRow } from '#server/pipeline/poll';
import { recomputeRankings, schemesUsing } from '#server/ranking/rankings';
import { BIG_BOARDS_DELAY_SECONDS, recomputeBoards } from '#server/ranking/slow-boards';
import { createBoss } from '#server/jobs/boss';
import { RECOMPUTE_QUEUE } from '#server/jobs/queues';
import type { ProvinceSimulator, SimulatorUsage } from '../../workers/simulator/national.ts';
import { setOverride } from '../support/fixtures.ts';
import { freePort } from '../support/ports.ts';
import { cpuBetween, GROUPS, monitorProcesses, type Group } from './national-procs.ts';
import { time, printTable } from './table.ts';

const DAYS = Number(process.env.BENCH_DAYS ?? 400);
const CONCURRENCY = Math.max(1, Number(process.env.BENCH_CONCURRENCY ?? 2));
const PUSH_CLIENTS = Number(process.env.BENCH_PUSH_CLIENTS ?? 5000);
const NOW = new Date('2026-11-20T12:00:00Z');
const TO = '2026-11-20';
const REFORM_DAY = '2025-07-01';
/** The demo's four families, one system each: dossiers, e-ID, welfare payments (CSV), tasks. */
const FAMILY_SOURCES = ['motcua', 'vneid', 'ansinh', 'qlvb'] as const;
const READS = 200;
const POLLS = 20;
const data = (name: string) => readFileSync(new URL(`../../db/seed/data/${name}`, import.meta.url), 'utf8');

/** The contract of test/bench/push.ts (H3), imported only when the file is there. */
interface PushFigures {
  clients: number; webNodes: number; p50Ms: number; p95Ms: number; p99Ms: number;
  received: number; expected: number; webCpuPercent: number[]; webRssMb: number[]; connectMs: number;
}
type BenchPush = (sql: Sql, databaseUrl: string, opts: { clients: number; webNodes: 1 | 2; rounds?: number }) => Promise<{ rows: [string, string][]; figures: PushFigures }>;

/** The q-quantile of sorted values (nearest rank). */
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
const round1 = (x: number) => Math.round(x * 10) / 10;
const n = (x: number) => Math.round(x).toLocaleString('en');
const mb = (bytes: number) => round1(bytes / 2 ** 20);

/** The simulators' child process: ready with its provinces' ports. */
async function startSimulators(onSpawn: (pid: number | undefined) => void): Promise<{ child: ChildProcess; provinces: ProvinceSimulator[]; usage: () => Promise<SimulatorUsage>; close: () => Promise<void> }> {
  const child = fork(fileURLToPath(new URL('../../workers/simulator/national.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, SIM_NOW: NOW.toISOString(), SIMULATOR_SEED: 'national-bench' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  onSpawn(child.pid);
  const provinces = await new Promise<ProvinceSimulator[]>((resolve, reject) => {
    child.once('message', (m: { type: string; provinces: ProvinceSimulator[] }) => (m.type === 'ready' ? resolve(m.provinces) : reject(new Error(`simulators: ${JSON.stringify(m)}`))));
    child.once('exit', (code) => reject(new Error(`the simulators' process exited (${code}) before it was ready`)));
  });
  const usage = () =>
    new Promise<SimulatorUsage>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== 'usage') return;
        child.off('message', on);
        resolve(m as SimulatorUsage);
      };
      child.on('message', on);
      child.send({ type: 'usage' });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.send({ type: 'close' });
    });
  return { child, provinces, usage, close };
}

/** Each province's four systems as data sources: the seeded demo sources' rows, scope and URL changed. */
async function connectProvinces(sql: Sql, provinces: ProvinceSimulator[], secretKeyHex: string): Promise<Map<string, SourceRow[]>> {
  const provinceIds = new Map(
    (await sql<{ code: string; id: number }[]>`select gso_code as code, id from units where level = 'province' and valid_to is null`).map((r) => [r.code, r.id])
  );
  const demo = FAMILY_SOURCES.map((key) => DEMO_SOURCES.find((d) => d.key === key)!);
  const values = provinces.flatMap((p) =>
    demo.map((d) => ({
      key: `${d.key}-${p.code}`, name: `${d.name} — ${p.name}`, family: d.family, kind: d.kind, produces: d.produces, mapping: d.mapping,
      granularity: d.granularity, urlTemplate: `http://127.0.0.1:${p.port}${d.path}`, authKind: d.credentials.kind,
      credentialsSealed: d.credentials.kind === 'none' ? null : seal(JSON.stringify(d.credentials), secretKeyHex), intervalSeconds: 60,
      timeoutMs: d.timeoutMs ?? 4000, staleAfterSeconds: d.staleAfterSeconds ?? 240, trailingDays: d.trailingDays ?? 3, dailyDeadline: d.dailyDeadline,
      priority: d.priority, request: d.request ?? DEFAULT_REQUEST, codeSystem: d.codeSystem ?? 'gso', periods: d.periods ?? null,
      scopeUnitId: provinceIds.get(p.code) ?? null
    }))
  );
  if (values.some((v) => v.scopeUnitId === null)) throw new Error('a simulated province is not in the imported register');
  const ids = await orm(sql).insert(dataSources).values(values).returning({ id: dataSources.id });
  const out = new Map<string, SourceRow[]>();
  for (const { id } of ids) {
    const source = (await loadSource(sql, id))!;
    const code = source.key.slice(source.key.lastIndexOf('-') + 1);
    out.set(code, [...(out.get(code) ?? []), source]);
  }
  return out;
}

/** 200 timed calls (after 5 unmeasured): p50 and p95 in ms. */
async function timedReads(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < READS; i++) ms.push((await time(fn)).ms);
  ms.sort((a, b) => a - b);
  return { p50: round1(quantile(ms, 0.5)), p95: round1(quantile(ms, 0.95)) };
}

/**
 * What the unit page's loader (src/routes/units/[code]/+page.server.ts) reads for a commune under the
 * operations scheme, a leader signed in: schemes, the unit, access, lineage, its parent's board, its
 * sources, the indicator's 90-day series, its late and corrected samples.
 */
async function communePage(sql: Sql, code: string, principal: Principal, parts?: Map<string, number[]>): Promise<number> {
  const period = periodOf('month', TO);
  /** One step of the page (its reads in parallel, as the loader makes them), timed into `parts`. */
  const step = async <T>(name: string, fn: () => Promise<T>) => {
    const t = await time(fn);
    parts?.set(name, [...(parts.get(name) ?? []), t.ms]);
    return t.value;
  };
  const active = await step('schemes', () => readActiveSchemes(sql));
  if (!active.some((s) => s.key === 'operations')) throw new Error('no operations scheme');
  const unit = await step('unit', () => readUnit(sql, code, period.end));
  if (!unit?.parent) throw new Error(`commune ${code} not found`);
  const parent = unit.parent;
  const [detail, sourcesAllowed, lineage] = await step('access + lineage', () =>
    Promise.all([canReadDetail(sql, principal, unit.code), canReadBoard(sql, principal, parent.code), readUnitLineage(sql, unit.id)])
  );
  const query = { scope: parent.code, period: 'month' as const, date: TO, scheme: 'operations' };
  const [parentBoard, sources] = await step('province board + sources', () =>
    Promise.all([
      readBoard(sql, query).catch((e) => (e instanceof NotFoundError ? null : Promise.reject(e))),
      sourcesAllowed ? readSourceHealthForUnit(sql, unit.code) : Promise.resolve(null)
    ])
  );
  if (!parentBoard?.rows.some((r) => r.unitCode === code)) throw new Error(`commune ${code} is not on its province's board`);
  const [series, arrivals] = detail
    ? await step('90-day series + late/corrected', () => Promise.all([readSeries(sql, unit.code, 'dossier.on_time', addDays(TO, -89), TO), readLateAndCorrected(sql, unit.code, period)]))
    : [null, null];
  return (sources?.length ?? 0) + (series ? 1 : 0) + (arrivals ? 1 : 0) + lineage.predecessors.length;
}

/** The overview page's reads (src/routes/+page.server.ts) for a scope: its board, KPI history, sources, estimate note. */
async function overviewPage(sql: Sql, scope: string): Promise<number> {
  const query = { scope, period: 'month' as const, date: TO, scheme: 'operations' };
  const [board, history, sources] = await Promise.all([readBoard(sql, query), readKpiHistory(sql, query), readSourceHealth(sql)]);
  await estimateBefore(sql, board);
  return board.rows.length + history.length + sources.length;
}

/** Bytes per table (a partitioned table with its partitions), largest first. */
async function storage(sql: Sql) {
  return sql<{ table: string; bytes: number; partitions: number }[]>`
    select c.relname as table,
           case when c.relkind = 'p' then (select coalesce(sum(pg_total_relation_size(t.relid)), 0) from pg_partition_tree(c.oid) t)
                else pg_total_relation_size(c.oid) end::float8 as bytes,
           case when c.relkind = 'p' then (select count(*) - 1 from pg_partition_tree(c.oid)) else 0 end::int as partitions
    from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
    where ns.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    order by 2 desc`;
}

/**
 * A raw COPY of the rows the pipeline stored, month by month: each month read out of `samples` first
 * (not timed), then written by COPY FROM STDIN into `bench_copy`, a table of the same shape (columns,
 * defaults, constraints, indexes; partitioned the same way when `samples` is). Returns the rows and
 * the milliseconds of the writes alone.
 */
async function rawCopy(sql: Sql): Promise<{ rows: number; ms: number; partitioned: boolean }> {
  const [shape] = await sql<{ partitioned: boolean }[]>`select exists (select 1 from pg_partitioned_table where partrelid = 'samples'::regclass) as partitioned`;
  const partitioned = shape!.partitioned;
  await sql.unsafe(`create table bench_copy (like samples including defaults including constraints including indexes)${partitioned ? ' partition by range (day)' : ''}`);
  if (partitioned) {
    const parts = await sql<{ name: string; bound: string }[]>`
      select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
      from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'samples'::regclass`;
    for (const p of parts) await sql.unsafe(`create table "bench_copy_${p.name}" partition of bench_copy ${p.bound}`);
  }
  const cols = 'unit_id, metric_id, day, source_id, value, observed_at, ingested_at, poll_run_id, first_seen_at';
  const months = await sql<{ m: string }[]>`select distinct to_char(date_trunc('month', day), 'YYYY-MM-DD') as m from samples order by 1`;
  let ms = 0;
  for (const { m } of months) {
    const chunks: Buffer[] = [];
    const out = await sql.unsafe(`copy (select ${cols} from samples where day >= '${m}'::date and day < '${m}'::date + interval '1 month') to stdout`).readable();
    for await (const chunk of out) chunks.push(chunk as Buffer);
    const t0 = performance.now();
    await pipeline(Readable.from(chunks), await sql.unsafe(`copy bench_copy (${cols}) from stdin`).writable());
    ms += performance.now() - t0;
  }
  const [copied] = await sql<{ rows: number }[]>`select count(*)::int as rows from bench_copy`;
  return { rows: copied!.rows, ms, partitioned };
}

export async function nationalBench(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg();
  const phases: { phase: string; atSeconds: number; benchMaxRssMb: number }[] = [];
  /** A phase done: on stderr as it happens (a long run shows where it is), and in the JSON. */
  const done = (phase: string) => {
    const p = { phase, atSeconds: Math.round((performance.now() - started) / 1000), benchMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
    phases.push(p);
    console.error(`[national bench] ${p.atSeconds} s: ${phase} (bench peak RSS ${p.benchMaxRssMb} MB)`);
  };
  const rows: [string, string][] = [];
  const json: Record<string, unknown> = { scale: 'national', days: DAYS, to: TO, concurrency: CONCURRENCY };
  const row = (label: string, value: string) => rows.push([label, value]);
  const from = addDays(TO, -(DAYS - 1));
  if (from < REFORM_DAY) throw new Error(`BENCH_DAYS=${DAYS} reaches before the reform (${REFORM_DAY}): at most ${1 + (Date.parse(TO) - Date.parse(REFORM_DAY)) / 864e5} days`);

  const dataDir = await mkdtemp(path.join(tmpdir(), 'cityops-bench-national-'));
  // BENCH_SLOW_MS=n: PostgreSQL logs every statement of n ms or more, shown on stderr as it happens (a diagnosis aid).
  const slowMs = process.env.BENCH_SLOW_MS ? Number(process.env.BENCH_SLOW_MS) : null;
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    log: slowMs === null ? undefined : (line) => void (/duration: \d/.test(line) && console.error(`[postgres] ${line.replace(/\s+/g, ' ').slice(0, 600)}`))
  });
  let sims: Awaited<ReturnType<typeof startSimulators>> | null = null;
  let simPid: number | undefined;
  const procs = monitorProcesses({ postmaster: pg.pid, simulators: () => simPid });
  try {
    await runMigrations(pg.url);
    const { sql } = await connectDb(pg.url, { max: Math.max(8, CONCURRENCY * 2 + 2) });
    if (slowMs !== null) {
      await sql.unsafe(`alter system set log_min_duration_statement = ${Math.max(0, Math.round(slowMs))}`);
      await sql`select pg_reload_conf()`;
    }

    // 1. The register, the catalogue, the provinces' systems and their sources.
    const imported = await time(() =>
      importUnits(sql, {
        register: { text: data('vietnam-2025.csv'), name: 'vietnam-2025.csv' },
        merges: { text: data('merge-2025.csv'), name: 'merge-2025.csv' },
        effectiveFrom: REFORM_DAY
      }, { kind: 'system', name: 'bench' }, { now: NOW, jobs: null })
    );
    if (!imported.value.ok) throw new Error(`units import: ${JSON.stringify(imported.value.problems.slice(0, 5))}`);
    const [counts] = await sql<{ provinces: number; communes: number }[]>`
      select count(*) filter (where level = 'province')::int as provinces, count(*) filter (where level = 'commune')::int as communes from units where valid_to is null`;
    row(`units import: national register + merge table from ${REFORM_DAY}`, `${(imported.ms / 1000).toFixed(1)} s (${counts!.provinces} provinces, ${n(counts!.communes)} communes)`);
    json.unitsImportMs = Math.round(imported.ms);
    json.provinces = counts!.provinces;
    json.communes = counts!.communes;
    await seedCatalogue(sql);
    const simStart = await time(() => startSimulators((pid) => (simPid = pid)));
    sims = simStart.value;
    row('simulators: one per province, in one child process', `${sims.provinces.length} listening after ${(simStart.ms / 1000).toFixed(1)} s`);
    const secretKeyHex = newKeyHex();
    const byProvince = await connectProvinces(sql, sims.provinces, secretKeyHex);
    const sources = [...byProvince.values()].flat();
    row('sources: the demo\'s four systems cloned per province (scope, URL)', `${sources.length} (${FAMILY_SOURCES.join(', ')})`);
    json.sources = sources.length;

    // 2. History through the pipeline, CONCURRENCY sources at a time, provinces in turn.
    const order = FAMILY_SOURCES.flatMap((_, f) => [...byProvince.values()].map((list) => list[f]!));
    const perFamily = new Map<string, { samples: number; rejected: number; ms: number }>();
    let next = 0;
    let finished = 0;
    const cpu0 = procs.cpu();
    const backfill = await time(async () => {
      const worker = async () => {
        for (let i = next++; i < order.length; i = next++) {
          const source = order[i]!;
          const t = await time(() => backfillSource(sql, source, { from, to: TO }, { secretKeyHex, recompute: false }));
          const family = source.key.slice(0, source.key.lastIndexOf('-'));
          const f = perFamily.get(family) ?? { samples: 0, rejected: 0, ms: 0 };
          perFamily.set(family, { samples: f.samples + t.value.samples, rejected: f.rejected + t.value.rejected, ms: f.ms + t.ms });
          if (++finished % 17 === 0) done(`backfilled ${finished} of ${order.length} sources`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    });
    const backfillCpu = cpuBetween(cpu0, procs.cpu());
    const [stored] = await sql<{ samples: number; periodSamples: number }[]>`
      select (select count(*)::int from samples) as samples, (select count(*)::int from period_samples) as "periodSamples"`;
    const ingestRate = stored!.samples / (backfill.ms / 1000);
    row(`backfill ${DAYS} days (${from} – ${TO}), every source, ${CONCURRENCY} at a time`, `${(backfill.ms / 1000).toFixed(1)} s, ${n(stored!.samples)} samples stored`);
    for (const [family, f] of perFamily) {
      row(`  ${family} (34 sources; sum of their times)`, `${(f.ms / 1000).toFixed(1)} s, ${n(f.samples)} rows accepted${f.rejected ? `, ${n(f.rejected)} REJECTED` : ''}`);
    }
    row('  CPU during the backfill: ' + GROUPS.join(' / '), `${GROUPS.map((g) => backfillCpu[g].toFixed(0)).join(' / ')} s (wall ${(backfill.ms / 1000).toFixed(0)} s, 2 cores)`);
    row('ingest rate (samples stored / backfill wall time)', `${n(ingestRate)} rows/s`);
    json.backfillMs = Math.round(backfill.ms);
    json.samples = stored!.samples;
    json.periodSamples = stored!.periodSamples;
    json.backfillByFamily = Object.fromEntries([...perFamily].map(([k, f]) => [k, { samples: f.samples, rejected: f.rejected, ms: Math.round(f.ms) }]));
    json.backfillCpuSeconds = roundAll(backfillCpu);
    json.ingestRowsPerSecond = Math.round(ingestRate);
    done('backfill');

    // 3. Every board of the range, then one day's and one month's.
    const rankAll = await time(() => recomputeRange(sql, { from, to: TO }));
    const [ranked] = await sql<{ rows: number; boards: number }[]>`
      select count(*)::int as rows, count(distinct (scheme_key, scope_unit_id, period_kind, period_start))::int as boards from rankings`;
    row(`rank every board of the ${DAYS} days (8 period kinds, every scope)`, `${(rankAll.ms / 1000).toFixed(1)} s (${n(ranked!.boards)} boards, ${n(ranked!.rows)} rows)`);
    json.rankAllMs = Math.round(rankAll.ms);
    json.boards = ranked!.boards;
    json.rankingRows = ranked!.rows;
    done('every board ranked');

    // Storage as the history and its boards left it (before the repeated recomputes below rewrite board rows).
    const tables = await storage(sql);
    const samplesBytes = tables.find((t) => t.table === 'samples')?.bytes ?? 0;
    const rankingsBytes = tables.find((t) => t.table === 'rankings')?.bytes ?? 0;
    const [db] = await sql<{ bytes: number }[]>`select pg_database_size(current_database())::float8 as bytes`;
    for (const t of tables.filter((t) => t.bytes >= 1 << 20 || t.table === 'samples').slice(0, 10)) {
      row(`storage: ${t.table}${t.partitions ? ` (${t.partitions} partitions)` : ''}`, `${mb(t.bytes)} MB`);
    }
    row('storage: the whole database', `${mb(db!.bytes)} MB`);
    row('storage: samples per million samples / rankings per million board rows', `${mb(samplesBytes / (stored!.samples / 1e6))} / ${mb(rankingsBytes / (ranked!.rows / 1e6))} MB`);
    json.storageMb = Object.fromEntries(tables.map((t) => [t.table, mb(t.bytes)]));
    json.databaseMb = mb(db!.bytes);
    json.samplesMbPerMillion = mb(samplesBytes / (stored!.samples / 1e6));
    json.rankingsMbPerMillionRows = mb(rankingsBytes / (ranked!.rows / 1e6));
    const median3 = async (fn: () => Promise<unknown>) => {
      const ms = [(await time(fn)).ms, (await time(fn)).ms, (await time(fn)).ms].sort((a, b) => a - b);
      return ms[1]!;
    };
    const rankDay = await median3(() => recomputeRankings(sql, [periodOf('day', TO)]));
    const rankMonth = await median3(() => recomputeRankings(sql, [periodOf('month', TO)]));
    row('rank every board of one day, nationally (median of 3)', `${rankDay.toFixed(0)} ms`);
    row('rank every board of one month, nationally (median of 3)', `${rankMonth.toFixed(0)} ms`);
    // What a dossier poll's transaction recomputes for a changed day: its day, week, month and
    // reporting-month boards, of the schemes that score the dossier counts.
    const dossierMetricIds = (await sql<{ id: number }[]>`select id from metrics where key like 'dossier.%'`).map((m) => m.id);
    const pollSchemes = await schemesUsing(sql, dossierMetricIds);
    const rankLive = await median3(() => recomputeRankings(sql, affectedPeriods([TO]), { schemes: pollSchemes }));
    row(`rank the live boards of one day (day, week, month, reporting month; ${pollSchemes.join(', ')}: a dossier poll's recompute), median of 3`, `${rankLive.toFixed(0)} ms`);
    json.rankLiveBoardsMs = Math.round(rankLive);
    // Each kind alone (once): which of them the live boards' time is.
    const byKind: Record<string, number> = {};
    for (const kind of PERIOD_KINDS) byKind[kind] = Math.round((await time(() => recomputeRankings(sql, [periodOf(kind, TO)]))).ms);
    row('  one board of each kind, every scheme and scope (once each)', Object.entries(byKind).map(([k, ms]) => `${k} ${ms}`).join(', ') + ' ms');
    json.rankOneBoardByKindMs = byKind;
    json.rankDayMs = Math.round(rankDay);
    json.rankMonthMs = Math.round(rankMonth);

    // 4. A raw COPY of the same rows into a table of the same shape.
    const copy = await rawCopy(sql);
    const copyRate = copy.rows / (copy.ms / 1000);
    row(`raw COPY of the same rows into a table of the same shape${copy.partitioned ? ' (partitioned alike)' : ''}`, `${(copy.ms / 1000).toFixed(1)} s, ${n(copy.rows)} rows: ${n(copyRate)} rows/s`);
    row('ingest / COPY', (ingestRate / copyRate).toFixed(2));
    json.copyMs = Math.round(copy.ms);
    json.copyRows = copy.rows;
    json.copyRowsPerSecond = Math.round(copyRate);
    json.ingestToCopyRatio = Math.round((ingestRate / copyRate) * 1000) / 1000;
    const [copyTable] = await sql<{ bytes: number }[]>`
      select (case when c.relkind = 'p' then (select sum(pg_total_relation_size(t.relid)) from pg_partition_tree(c.oid) t) else pg_total_relation_size(c.oid) end)::float8 as bytes
      from pg_class c where c.oid = 'bench_copy'::regclass`;
    row('  the COPY\'s table, per million rows (samples: above)', `${mb(copyTable!.bytes / (copy.rows / 1e6))} MB`);
    json.copyTableMbPerMillion = mb(copyTable!.bytes / (copy.rows / 1e6));
    await sql`drop table bench_copy`;
    done('raw COPY');

    // 5. Board reads: the country, the largest province, one of its communes.
    const [largest] = await sql<{ code: string; name: string; communes: number; commune: string }[]>`
      select p.gso_code as code, p.name, count(c.id)::int as communes, min(c.gso_code) as commune
      from units p join units c on c.parent_id = p.id and c.valid_to is null
      where p.level = 'province' and p.valid_to is null group by p.id order by 3 desc, 1 limit 1`;
    const province = largest!;
    const leader: Principal = { kind: 'user', sessionId: 'bench', user: { id: 0, username: 'bench', displayName: 'bench', role: 'leader', unitCode: null, unitName: null } };
    const board = (scope: string) => () => readBoard(sql, { scope, period: 'month', date: TO, scheme: 'operations' }, NOW);
    const countryRows = (await board('VN')()).rows.length;
    const pageParts = new Map<string, number[]>();
    const reads = {
      country: await timedReads(board('VN')),
      province: await timedReads(board(province.code)),
      commune: await timedReads(() => communePage(sql, province.commune, leader, pageParts))
    };
    const overview = { country: await timedReads(() => overviewPage(sql, 'VN')), province: await timedReads(() => overviewPage(sql, province.code)) };
    const readRow = (label: string, r: { p50: number; p95: number }) => row(label, `${r.p50} / ${r.p95} ms`);
    readRow(`read the country's board (${countryRows} provinces, month), p50 / p95 of ${READS}`, reads.country);
    readRow(`read ${province.name}'s board (${province.communes} communes, month), p50 / p95 of ${READS}`, reads.province);
    readRow(`read a commune's page (${province.commune}: the unit page's reads), p50 / p95 of ${READS}`, reads.commune);
    const partP95 = [...pageParts].map(([name, ms]) => [name, round1(quantile(ms.sort((a, b) => a - b), 0.95))] as const);
    row('  its steps, p95 each', partP95.map(([name, ms]) => `${name} ${ms}`).join(', ') + ' ms');
    json.communePageStepsP95Ms = Object.fromEntries(partP95);
    readRow(`  the overview page's reads, the country, p50 / p95 of ${READS}`, overview.country);
    readRow(`  the overview page's reads, ${province.name}, p50 / p95 of ${READS}`, overview.province);
    json.boardReads = reads;
    json.overviewReads = overview;
    json.boardReadP95Ms = Math.max(reads.country.p95, reads.province.p95, reads.commune.p95);
    json.readProvince = { code: province.code, communes: province.communes, commune: province.commune };
    done('board reads');

    // 6. A province's dossier poll with one commune changed → its boards recomputed → the NOTIFY heard here.
    const sim = sims.provinces.find((p) => p.code === province.code)!;
    const dossier = byProvince.get(province.code)!.find((s) => s.key.startsWith('motcua-'))!;
    const heard = new Map<number, number>();
    const waiting = new Map<number, () => void>();
    const listener = await sql.listen(RANKINGS_CHANNEL, (payload) => {
      const at = performance.now();
      const id = (JSON.parse(payload) as RankingsChanged).pollRunId;
      if (id === null) return;
      heard.set(id, at);
      waiting.get(id)?.();
    });
    const toPush: number[] = [];
    const pollOnly: number[] = [];
    let samplesChanged = 0;
    // As the workers poll: with the job queue, so the country's board (big: BIG_BOARD_UNITS) is left
    // to its job and the long boards are queued, not recomputed in the poll.
    const boss = await createBoss(pg.url, { schema: 'pgboss_bench' });
    for (let i = 0; i < POLLS; i++) {
      await setOverride(`http://127.0.0.1:${sim.port}`, { unitCode: province.commune, date: TO, receivedDelta: 10 + i });
      const t0 = performance.now();
      const outcome = await pollSource(sql, dossier, { secretKeyHex, now: NOW, jobs: boss });
      const returned = performance.now();
      if (outcome.outcome !== 'success' || !outcome.pollRunId || outcome.changed === 0) throw new Error(`province poll ${i}: ${outcome.outcome} (${outcome.changed} changed) ${outcome.error ?? ''}`);
      const id = outcome.pollRunId;
      if (!heard.has(id)) await new Promise<void>((resolve) => waiting.set(id, resolve));
      waiting.delete(id);
      toPush.push(heard.get(id)! - t0);
      pollOnly.push(returned - t0);
      samplesChanged = outcome.changed;
    }
    await listener.unlisten();
    // What the polls left to a job: the country's live boards, each period once for all 20 polls.
    const bigJobs = (await sql<{ n: number }[]>`select count(*)::int as n from pgboss_bench.job where name = ${RECOMPUTE_QUEUE} and data->>'cause' = 'big_boards'`)[0]!.n;
    const [root] = await sql<{ id: number }[]>`select id from units where parent_id is null and (valid_to is null or valid_to >= ${TO}::date) order by id limit 1`;
    const countryLive = await time(async () => {
      for (const p of affectedPeriods([TO])) await recomputeBoards(sql, [p], { schemes: pollSchemes, scopes: [root!.id] });
    });
    await boss.stop({ graceful: false });
    toPush.sort((a, b) => a - b);
    pollOnly.sort((a, b) => a - b);
    const pollToPush = { p50: round1(quantile(toPush, 0.5)), p95: round1(quantile(toPush, 0.95)), max: round1(toPush.at(-1)!) };
    row(`poll ${province.name}'s one-stop shop, one commune changed → boards recomputed → NOTIFY heard, p50 / p95 of ${POLLS}`, `${pollToPush.p50} / ${pollToPush.p95} ms (max ${pollToPush.max})`);
    row('  the same polls, start → pollSource returned, p50 / p95', `${round1(quantile(pollOnly, 0.5))} / ${round1(quantile(pollOnly, 0.95))} ms`);
    row(`  the country's live boards, left by the polls to a job (${bigJobs} queued for ${POLLS} polls; at most every ${BIG_BOARDS_DELAY_SECONDS} s): the job's work`, `${round1(countryLive.ms)} ms`);
    json.countryBoardsJobMs = round1(countryLive.ms);
    json.provincePollToPush = pollToPush;
    json.provincePollToPushP95Ms = pollToPush.p95;
    json.provincePollSamplesChanged = samplesChanged;
    done('province polls');

    // Peak memory before the push bench (whose web servers and client processes are children of this one too).
    const peaks = procs.peaks();
    const simUsage = await sims.usage();

    // 8. Push, through H3's benchPush when it is there.
    const pushFile = new URL('./push.ts', import.meta.url);
    if (process.env.BENCH_PUSH === '0') row('push', 'not measured: BENCH_PUSH=0');
    else if (existsSync(fileURLToPath(pushFile))) {
      const { benchPush } = (await import(pushFile.href)) as { benchPush: BenchPush };
      const push: Record<string, PushFigures> = {};
      for (const webNodes of [1, 2] as const) {
        const r = await benchPush(sql, pg.url, { clients: PUSH_CLIENTS, webNodes });
        rows.push(...r.rows);
        push[`webNodes${webNodes}`] = r.figures;
      }
      json.push = push;
      json.pushClients = PUSH_CLIENTS;
      json[`push${PUSH_CLIENTS}P95Ms`] = round1(push.webNodes1!.p95Ms);
      json[`push${PUSH_CLIENTS}TwoNodesP95Ms`] = round1(push.webNodes2!.p95Ms);
      json.webRssMb = [...push.webNodes1!.webRssMb, ...push.webNodes2!.webRssMb];
      done('push');
    } else {
      row('push (test/bench/push.ts)', 'not measured: the file is not in this tree yet');
      json.push5000P95Ms = null;
    }

    row('peak RSS: this process (bench: fetch, map, ingest, ranking, reads)', `${peaks.benchMb} MB`);
    row('peak RSS: the simulators\' process (34 provinces)', `${simUsage.maxRssMb} MB (CPU ${((simUsage.cpuUserMs + simUsage.cpuSystemMs) / 1000).toFixed(0)} s in all)`);
    row('peak RSS: the largest mapping helper', `${peaks.mappingHelperMb} MB`);
    row('peak PostgreSQL: total PSS / largest process RSS', `${peaks.postgresPssMb} / ${peaks.postgresLargestMb} MB`);
    json.peakRssMb = { bench: peaks.benchMb, simulators: simUsage.maxRssMb, mappingHelper: peaks.mappingHelperMb, postgresPss: peaks.postgresPssMb, postgresLargestProcess: peaks.postgresLargestMb };
    json.simulatorsCpuSeconds = round1((simUsage.cpuUserMs + simUsage.cpuSystemMs) / 1000);
    await sql.end();
  } finally {
    procs.stop();
    await sims?.close();
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  const wall = (performance.now() - started) / 1000;
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  row('the machine: cores, load average (1, 5, 15 min) at the start / at the end', `${cpus().length}, ${load(loadAtStart)} / ${load(loadavg())}`);
  json.machine = { cores: cpus().length, loadAtStart, loadAtEnd: loadavg() };
  row('wall-clock time of the whole run', `${wall.toFixed(0)} s`);
  json.wallClockSeconds = Math.round(wall);
  json.phases = phases;
  // Long labels (the push bench's) on a line of their own, the value under them.
  printTable(`City Ops national benchmark (${DAYS} days, one node, embedded PostgreSQL)`, rows);
  if (process.env.BENCH_JSON) {
    await writeFile(process.env.BENCH_JSON, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`\nfigures written to ${process.env.BENCH_JSON}`);
  }
}

function roundAll(r: Record<Group, number>): Record<Group, number> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round1(v)])) as Record<Group, number>;
}
