/**
 * `npx tsx test/bench/storage.ts`: the storage figures of issue 15 item 4 (partitions, COPY
 * backfills, batched recomputes), before and after, on the Hà Nội demo as `npm start` seeds it.
 *  1. backfill BENCH_DAYS days of the four systems (fetch, map, check, write), then the same
 *     dossiers again (nothing changes), and a raw COPY of every stored sample into a table of the
 *     same shape (the ceiling the ingest is compared with);
 *  2. rank the range, 30 day boards, one month board; a poll that changes one commune; board reads;
 *  3. the national register imported over it (VN and its 34 provinces, most of them without a
 *     sample), then the same recomputes again.
 * BENCH_REPEAT repeats each timed recompute and prints every run. Prints a table; asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { connectDb } from '../../db/client.ts';
import { startEmbeddedPostgres } from '../../db/embedded.ts';
import { runMigrations } from '../../db/migrate.ts';
import { addDays, periodsCovering } from '../../src/lib/domain/periods.ts';
import { readBoard } from '../../src/lib/server/boards.ts';
import { backfillSource, recomputeRange } from '#server/pipeline/backfill';
import { pollSource } from '#server/pipeline/poll';
import { recomputeRankings } from '#server/ranking/rankings';
import { importUnits, type UnitsImportRequest } from '../../src/lib/server/admin/units-reform.ts';
import { demoWorld, setOverride } from '../support/fixtures.ts';
import { freePort } from '../support/ports.ts';
import { time, printTable } from './table.ts';

process.env.SOURCE_ALLOWED_HOSTS ??= '127.0.0.1,localhost';
const DAYS = Number(process.env.BENCH_DAYS ?? 60);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const NOW = new Date('2026-11-20T12:00:00Z');
const TO = '2026-11-20';
const rows: [string, string][] = [];
const runs = async (label: string, fn: () => Promise<unknown>) => {
  const ms: number[] = [];
  for (let i = 0; i < REPEAT; i++) ms.push((await time(fn)).ms);
  rows.push([label, `${ms.map((m) => m.toFixed(0)).join(' / ')} ms`]);
};
const data = (name: string) => readFileSync(new URL(`../../db/seed/data/${name}`, import.meta.url), 'utf8');
const NATIONAL: UnitsImportRequest = {
  register: { text: data('vietnam-2025.csv'), name: 'vietnam-2025.csv' },
  merges: { text: data('merge-2025.csv'), name: 'merge-2025.csv' },
  effectiveFrom: '2025-07-01'
};

const dataDir = await mkdtemp(path.join(tmpdir(), 'cityops-bench-storage-'));
const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
try {
  await runMigrations(pg.url);
  const { sql } = await connectDb(pg.url);
  const world = await demoWorld(sql, { now: () => NOW, map: '2025' });
  const from = addDays(TO, -(DAYS - 1));
  const sources = Object.values(world.sources).filter((s) => s.kind !== 'upload');

  let ingestMs = 0;
  for (const source of sources) {
    const load = await time(() => backfillSource(sql, source, { from, to: TO }, { secretKeyHex: world.secretKeyHex, recompute: false }));
    if (!source.periods?.length) ingestMs += load.ms; // the daily sources: what lands in samples
    rows.push([`backfill ${DAYS} days of ${source.key}`, `${load.ms.toFixed(0)} ms, ${load.value.samples.toLocaleString('en')} samples, ${load.value.changed.toLocaleString('en')} changed`]);
  }
  const again = await time(() => backfillSource(sql, world.source, { from, to: TO }, { secretKeyHex: world.secretKeyHex, recompute: false }));
  rows.push([`backfill ${world.source.key} again (nothing changes)`, `${again.ms.toFixed(0)} ms, ${again.value.changed} changed`]);

  // The same rows through a raw COPY into a table of the same shape (no pipeline, no upsert).
  const [{ n }] = (await sql<{ n: number }[]>`select count(*)::int as n from samples`) as unknown as [{ n: number }];
  const chunks: Buffer[] = [];
  for await (const c of await sql`copy (select unit_id, metric_id, day, source_id, value, observed_at, ingested_at, poll_run_id, first_seen_at from samples) to stdout`.readable()) chunks.push(c as Buffer);
  await sql`create table samples_raw (unit_id int not null, metric_id smallint not null, day date not null, source_id int not null, value float8 not null,
            observed_at timestamptz not null, ingested_at timestamptz not null, poll_run_id int, first_seen_at timestamptz,
            primary key (unit_id, metric_id, day, source_id))`;
  const copy = await time(async () => pipeline(Readable.from(chunks), await sql`copy samples_raw from stdin`.writable()));
  await sql`drop table samples_raw`;
  rows.push([`raw COPY of the ${n.toLocaleString('en')} samples (same shape, primary key)`, `${copy.ms.toFixed(0)} ms`]);
  rows.push(['ingest rows/s (daily sources) : COPY rows/s', `${Math.round(n / (ingestMs / 1000)).toLocaleString('en')} : ${Math.round(n / (copy.ms / 1000)).toLocaleString('en')} (ratio ${(copy.ms / ingestMs).toFixed(2)})`]);

  const rank = await time(() => recomputeRange(sql, { from, to: TO }));
  rows.push([`rank ${DAYS} days: every board of every kind`, `${rank.ms.toFixed(0)} ms`]);
  const dayPeriods = periodsCovering('day', addDays(TO, -29), TO);
  await runs('recompute 30 day boards', () => recomputeRankings(sql, dayPeriods));
  await runs('recompute 1 month board', () => recomputeRankings(sql, periodsCovering('month', TO, TO)));

  const idle = await time(() => pollSource(sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW }));
  rows.push([`poll ${world.source.key}, nothing changed`, `${idle.ms.toFixed(0)} ms`]);
  const busy: number[] = [];
  for (let i = 1; i <= REPEAT; i++) {
    await setOverride(world.simulatorUrl, { unitCode: '10114', date: TO, receivedDelta: 10 * i });
    busy.push((await time(() => pollSource(sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW }))).ms);
  }
  rows.push(['poll, one commune changed (upsert + live boards)', `${busy.map((m) => m.toFixed(0)).join(' / ')} ms`]);
  const reads: number[] = [];
  for (let i = 0; i < 50; i++) reads.push((await time(() => readBoard(sql, { scope: '01', period: 'month', date: TO }, NOW))).ms);
  reads.sort((a, b) => a - b);
  rows.push(['read the city board, median / p95 of 50', `${reads[25]!.toFixed(1)} / ${reads[47]!.toFixed(1)} ms`]);

  // The national register over the demo: VN and 34 provinces, all but Hà Nội without a sample.
  const imported = await time(() => importUnits(sql, NATIONAL, { kind: 'system', name: 'bench' }, { now: NOW, jobs: null }));
  if (!imported.value.ok) throw new Error(JSON.stringify(imported.value));
  rows.push(['national register imported over the demo', `${imported.ms.toFixed(0)} ms`]);
  const rankNational = await time(() => recomputeRange(sql, { from: addDays(TO, -29), to: TO }));
  rows.push(['national: rank 30 days, every board of every kind', `${rankNational.ms.toFixed(0)} ms`]);
  await runs('national: recompute 30 day boards', () => recomputeRankings(sql, dayPeriods));
  await runs('national: recompute 1 month board', () => recomputeRankings(sql, periodsCovering('month', TO, TO)));
  const busyNational: number[] = [];
  for (let i = 1; i <= REPEAT; i++) {
    await setOverride(world.simulatorUrl, { unitCode: '10114', date: TO, receivedDelta: 100 + 10 * i });
    busyNational.push((await time(() => pollSource(sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW }))).ms);
  }
  rows.push(['national: poll, one commune changed (upsert + live boards)', `${busyNational.map((m) => m.toFixed(0)).join(' / ')} ms`]);
  const [scopes] = await sql<{ n: number }[]>`select count(distinct scope_unit_id)::int as n from rankings where period_kind = 'month' and period_start = ${`${TO.slice(0, 8)}01`}`;
  rows.push(['national: scopes stored for the month', String(scopes!.n)]);

  const [size] = await sql<{ samples: string; rankings: string }[]>`
    select pg_size_pretty((select sum(pg_total_relation_size(c.oid)) from pg_class c where c.relname = 'samples' or c.relname like 'samples\_%' and c.relkind = 'r')::bigint) as samples,
           pg_size_pretty(pg_total_relation_size('rankings')) as rankings`;
  rows.push(['storage: samples (with partitions) / rankings', `${size!.samples} / ${size!.rankings}`]);
  await sql.end();
  await world.simulator.close();
} finally {
  await pg.stop();
  await rm(dataDir, { recursive: true, force: true });
}

printTable(`City Ops storage bench (${DAYS} days, Hà Nội demo)`, rows);
