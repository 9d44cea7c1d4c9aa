/**
 * `npm run bench`: the single-node figures the scale plan rests on, measured on the real embedded
 * PostgreSQL with the simulator. Prints a table; asserts nothing (targets live here, not in tests).
 *   npm run bench                      the city: Hà Nội's demo (BENCH_DAYS, default 430)
 *   npm run bench -- --scale national  the country: 34 provinces, 3,321 communes (national.ts; BENCH_DAYS, default 400)
 */
import { parseArgs } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectDb } from '../../db/client.ts';
import { startEmbeddedPostgres } from '../../db/embedded.ts';
import { runMigrations } from '../../db/migrate.ts';
import { periodsCovering, addDays } from '../../src/lib/domain/periods.ts';
import { readBoard } from '../../src/lib/server/boards.ts';
import { backfillSource, recomputeRange } from '#server/pipeline/backfill';
import { pollSource } from '#server/pipeline/poll';
import { recomputeRankings } from '#server/ranking/rankings';
import { demoWorld, setOverride } from '../support/fixtures.ts';
import { freePort } from '../support/ports.ts';
import { benchWall } from './wall.ts';
import { time, printTable } from './table.ts';

// The bench's own simulators listen on loopback: allow them, as demo mode does.
process.env.SOURCE_ALLOWED_HOSTS ??= '127.0.0.1,localhost';

const { values: args } = parseArgs({ options: { scale: { type: 'string', default: 'city' } } });
if (args.scale === 'national') {
  const { nationalBench } = await import('./national.ts');
  await nationalBench();
} else if (args.scale === 'city') await cityBench();
else throw new Error(`--scale: expected city or national, got ${JSON.stringify(args.scale)}`);

/** Hà Nội's demo, as `npm start` seeds it. */
async function cityBench() {
  const DAYS = Number(process.env.BENCH_DAYS ?? 430);
  const NOW = new Date('2026-11-20T12:00:00Z');
  const TO = '2026-11-20';
  const rows: [string, string][] = [];

  const dataDir = await mkdtemp(path.join(tmpdir(), 'cityops-bench-'));
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  try {
    await runMigrations(pg.url);
    const { sql } = await connectDb(pg.url);
    // The demo as `npm start` seeds it: Hà Nội's 126 communes and 19 departments since 01/07/2025.
    const world = await demoWorld(sql, { now: () => NOW, map: (process.env.BENCH_MAP as '2024' | '2025' | undefined) ?? '2025' });
    const from = addDays(TO, -(DAYS - 1));

    for (const source of Object.values(world.sources).filter((s) => s.kind !== 'upload')) {
      const load = await time(() => backfillSource(sql, source, { from, to: TO }, { secretKeyHex: world.secretKeyHex, recompute: false }));
      rows.push([`backfill ${DAYS} days of ${source.key} (fetch, map, check, upsert)`, `${(load.ms / 1000).toFixed(1)} s, ${load.value.samples.toLocaleString('en')} samples`]);
    }
    const rank = await time(() => recomputeRange(sql, { from, to: TO }));
    rows.push([`rank ${DAYS} days: every board of the eight period kinds, every scope`, `${(rank.ms / 1000).toFixed(1)} s`]);

    const dayPeriods = periodsCovering('day', addDays(TO, -29), TO);
    const days = await time(() => recomputeRankings(sql, dayPeriods));
    rows.push(['recompute 30 day boards, every scope', `${days.ms.toFixed(0)} ms (${(days.ms / 30).toFixed(0)} ms a day)`]);
    const month = await time(() => recomputeRankings(sql, periodsCovering('month', TO, TO)));
    rows.push(['recompute 1 month board, every scope', `${month.ms.toFixed(0)} ms`]);

    for (const source of Object.values(world.sources).filter((s) => s.kind !== 'upload')) {
      const idle = await time(() => pollSource(sql, source, { secretKeyHex: world.secretKeyHex, now: NOW }));
      rows.push([`poll ${source.key}, nothing changed (${idle.value.accepted.toLocaleString('en')} samples)`, `${idle.ms.toFixed(0)} ms`]);
    }
    await setOverride(world.simulatorUrl, { unitCode: '10114', date: TO, receivedDelta: 10 });
    const busy = await time(() => pollSource(sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW }));
    rows.push(['poll, one commune changed (upsert + day, week, month, reporting-month boards + NOTIFY)', `${busy.ms.toFixed(0)} ms`]);

    const reads: number[] = [];
    for (let i = 0; i < 50; i++) reads.push((await time(() => readBoard(sql, { scope: '01', period: 'month', date: TO }, NOW))).ms);
    reads.sort((a, b) => a - b);
    const cityRows = (await readBoard(sql, { scope: '01', period: 'month', date: TO }, NOW)).rows.length;
    rows.push([`read the city board (${cityRows} rows), median / p95 of 50`, `${reads[25]!.toFixed(1)} / ${reads[47]!.toFixed(1)} ms`]);

    const [size] = await sql<{ samples: string; rankings: string }[]>`
      select pg_size_pretty(pg_total_relation_size('samples')) as samples, pg_size_pretty(pg_total_relation_size('rankings')) as rankings`;
    rows.push(['storage: samples / rankings', `${size!.samples} / ${size!.rankings}`]);
    rows.push(...(await benchWall(sql, pg.url)));
    rows.push(['peak RSS of this process (simulator + ingest + ranking)', `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`]);
    await sql.end();
    await world.simulator.close();
  } finally {
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  printTable('City Ops benchmark (one node, embedded PostgreSQL)', rows);
}
