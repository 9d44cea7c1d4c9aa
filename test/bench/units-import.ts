/**
 * `npx tsx test/bench/units-import.ts`: the units import's figures on the real embedded PostgreSQL.
 *  1. the national register (vietnam-2025.csv, 3,356 rows) with its merge table (merge-2025.csv,
 *     10,571 rows) from 01/07/2025 on an empty database, then the same files again;
 *  2. the same on the old Hà Nội demo (2024 map) holding BENCH_DAYS days of history, its samples
 *     and every board of those days stored (what an installation of that time holds), then the
 *     recompute the import queues, run period by period as the workers run it (recomputeBoards),
 *     with its count and time per period kind.
 * Prints a table; asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { connectDb } from '../../db/client.ts';
import { startEmbeddedPostgres } from '../../db/embedded.ts';
import { runMigrations } from '../../db/migrate.ts';
import { addDays } from '../../src/lib/domain/periods.ts';
import { backfillSource, recomputeRange } from '#server/pipeline/backfill';
import { recomputeBoards } from '#server/ranking/slow-boards';
import { importUnits, periodsFrom, type UnitsImportRequest } from '../../src/lib/server/admin/units-reform.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { demoWorld } from '../support/fixtures.ts';
import { freePort } from '../support/ports.ts';
import { time, printTable } from './table.ts';

process.env.SOURCE_ALLOWED_HOSTS ??= '127.0.0.1,localhost';
const NOW = new Date('2026-11-20T12:00:00Z');
const TO = '2026-11-20';
const DAYS = Number(process.env.BENCH_DAYS ?? 538); // back to 01/06/2025: a month before the reform
const data = (name: string) => readFileSync(new URL(`../../db/seed/data/${name}`, import.meta.url), 'utf8');
const NATIONAL: UnitsImportRequest = {
  register: { text: data('vietnam-2025.csv'), name: 'vietnam-2025.csv' },
  merges: { text: data('merge-2025.csv'), name: 'merge-2025.csv' },
  effectiveFrom: '2025-07-01'
};
const actor: Principal = { kind: 'system', name: 'bench' };
const rows: [string, string][] = [];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const dataDir = await mkdtemp(path.join(tmpdir(), 'cityops-bench-units-'));
const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
try {
  await runMigrations(pg.url);
  const admin = postgres(pg.url.replace(/\/[^/]+$/, '/postgres'), { max: 1, onnotice: () => {} });
  const template = pg.url.slice(pg.url.lastIndexOf('/') + 1);
  const database = async (name: string) => {
    await admin.unsafe(`create database ${name} template ${template}`);
    return connectDb(pg.url.replace(/\/[^/]+$/, `/${name}`));
  };

  // 1. An empty database, three times over (a fresh database each), and the same files again.
  for (let i = 1; i <= 3; i++) {
    const { sql } = await database(`empty_${i}`);
    const first = await time(() => importUnits(sql, NATIONAL, actor, { now: NOW, jobs: null }));
    if (!first.value.ok) throw new Error(JSON.stringify(first.value.problems.slice(0, 5)));
    rows.push([`national register + merges, empty database (run ${i})`, seconds(first.ms)]);
    if (i === 1) {
      const again = await time(() => importUnits(sql, NATIONAL, actor, { now: NOW, jobs: null }));
      rows.push(['the same files again (nothing changes)', seconds(again.ms)]);
    }
    await sql.end();
  }

  // 2. The old Hà Nội demo with its history, boards stored.
  const { sql } = await database('hanoi_demo');
  const world = await demoWorld(sql, { now: () => NOW });
  const from = addDays(TO, -(DAYS - 1));
  const load = await time(async () => {
    for (const source of Object.values(world.sources).filter((s) => s.kind !== 'upload')) {
      await backfillSource(sql, source, { from, to: TO }, { secretKeyHex: world.secretKeyHex, recompute: false });
    }
    await recomputeRange(sql, { from, to: TO });
  });
  const [held] = await sql<{ samples: number; rankings: number }[]>`select (select count(*)::int from samples) as samples, (select count(*)::int from rankings) as rankings`;
  rows.push([`set-up: Hà Nội demo, ${DAYS} days of history from ${from}, every board stored`, `${seconds(load.ms)} (${held!.samples.toLocaleString('en')} samples, ${held!.rankings.toLocaleString('en')} board rows)`]);
  const timings: Record<string, number> = {};
  const reform = await time(() => importUnits(sql, NATIONAL, actor, { now: NOW, jobs: null, timings }));
  if (!reform.value.ok || reform.value.kind !== 'reform') throw new Error(JSON.stringify(reform.value));
  const c = reform.value.counts;
  const [left] = await sql<{ n: number }[]>`select count(*)::int as n from rankings`;
  rows.push(['national register + merges over the Hà Nội demo', `${seconds(reform.ms)} (created ${c.created}, new versions ${c.newVersions}, ended ${c.ended}, lineage ${c.lineage.created}, skipped ${c.skipped.rows})`]);
  for (const [step, ms] of Object.entries(timings)) rows.push([`  ${step}`, `${ms.toFixed(0)} ms`]);
  rows.push(['  board rows of ended units deleted (periods from 01/07/2025)', (held!.rankings - left!.n).toLocaleString('en')]);
  const again = await time(() => importUnits(sql, NATIONAL, actor, { now: NOW, jobs: null }));
  rows.push(['the same files again (nothing changes)', seconds(again.ms)]);

  // The recompute the import queues: one job per period from the one holding 01/07/2025 through today's.
  const periods = periodsFrom('2025-07-01', TO);
  const byKind = new Map<string, { n: number; ms: number }>();
  const all = await time(async () => {
    for (const p of periods) {
      const t = await time(() => recomputeBoards(sql, [p]));
      const k = byKind.get(p.kind) ?? { n: 0, ms: 0 };
      byKind.set(p.kind, { n: k.n + 1, ms: k.ms + t.ms });
    }
  });
  rows.push([`recompute queued by the import: ${periods.length} jobs (one per period), run one after another`, seconds(all.ms)]);
  for (const [kind, k] of byKind) rows.push([`  ${kind}: ${k.n} periods`, `${seconds(k.ms)} (${(k.ms / k.n).toFixed(0)} ms each)`]);
  await sql.end();
  await world.simulator.close();
  await admin.end();
} finally {
  await pg.stop();
  await rm(dataDir, { recursive: true, force: true });
}

printTable('City Ops units import (one node, embedded PostgreSQL)', rows);
