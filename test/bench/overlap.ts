/**
 * `npx tsx test/bench/overlap.ts`: what reading values through effective_samples (migration 0014:
 * per unit, metric and day only the highest-priority source counts) costs the ranking recompute.
 * Same database, same process, interleaved runs: the view as shipped, against the same view
 * redefined as a plain `select … from samples` (every source adds up: the reads before 0014).
 * Then the worst case: a second, lower-priority source with a value for every dossier sample.
 * Prints medians; asserts nothing. BENCH_DAYS (default 30), BENCH_RUNS (default 5).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectDb } from '../../db/client.ts';
import { startEmbeddedPostgres } from '../../db/embedded.ts';
import { runMigrations } from '../../db/migrate.ts';
import { addDays, periodsCovering } from '../../src/lib/domain/periods.ts';
import { backfillSource } from '#server/pipeline/backfill';
import { recomputeRankings } from '#server/ranking/rankings';
import { demoWorld } from '../support/fixtures.ts';
import { freePort } from '../support/ports.ts';

process.env.SOURCE_ALLOWED_HOSTS ??= '127.0.0.1,localhost';
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const NOW = new Date('2026-11-20T12:00:00Z');
const TO = '2026-11-20';
const COLUMNS = 'unit_id, metric_id, day, source_id, value, observed_at, ingested_at, poll_run_id, first_seen_at';

const dataDir = await mkdtemp(path.join(tmpdir(), 'cityops-bench-overlap-'));
const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
const out: string[] = [];
try {
  await runMigrations(pg.url);
  const { sql } = await connectDb(pg.url);
  const world = await demoWorld(sql, { now: () => NOW });
  const from = addDays(TO, -(DAYS - 1));
  for (const source of Object.values(world.sources).filter((s) => s.kind !== 'upload')) {
    await backfillSource(sql, source, { from, to: TO }, { secretKeyHex: world.secretKeyHex, recompute: false });
  }
  await sql`analyze`;
  const [counted] = await sql<{ n: number }[]>`select count(*)::int as n from samples`;
  out.push(`${DAYS} days, ${counted!.n.toLocaleString('en')} samples, ${RUNS} interleaved runs each, median`);

  const [shipped] = await sql<{ def: string }[]>`select pg_get_viewdef('effective_samples') as def`;
  const plain = () => sql.unsafe(`create or replace view effective_samples as select ${COLUMNS} from samples`);
  const asShipped = () => sql.unsafe(`create or replace view effective_samples as ${shipped!.def}`);

  const dayBoards = periodsCovering('day', addDays(TO, -29), TO);
  const monthBoard = periodsCovering('month', TO, TO);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const time = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  async function compare(label: string) {
    const t = { plainDays: [] as number[], viewDays: [] as number[], plainMonth: [] as number[], viewMonth: [] as number[] };
    await recomputeRankings(sql, monthBoard); // warm-up
    for (let i = 0; i < RUNS; i++) {
      await plain();
      t.plainDays.push(await time(() => recomputeRankings(sql, dayBoards)));
      t.plainMonth.push(await time(() => recomputeRankings(sql, monthBoard)));
      await asShipped();
      t.viewDays.push(await time(() => recomputeRankings(sql, dayBoards)));
      t.viewMonth.push(await time(() => recomputeRankings(sql, monthBoard)));
    }
    const row = (what: string, a: number[], b: number[]) =>
      `${label}: ${what}: every source adds up ${median(a).toFixed(0)} ms, highest priority only ${median(b).toFixed(0)} ms (${((median(b) / median(a) - 1) * 100).toFixed(0)} %)`;
    out.push(row('recompute 30 day boards × 31 scopes', t.plainDays, t.viewDays));
    out.push(row('recompute 1 month board × 31 scopes', t.plainMonth, t.viewMonth));
  }

  await compare('no overlap (the demo: systems of record 100, upload 10)');

  // The worst case: a lower-priority copy of every dossier sample (each of those costs one probe).
  const [copy] = await sql<{ id: number }[]>`
    insert into data_sources (key, name, family, kind, produces, granularity, url_template, auth_kind, mapping, priority, enabled)
    select 'motcua-copy', 'Bản sao một cửa', family, kind, produces, granularity, url_template, auth_kind, mapping, 50, false
    from data_sources where key = 'motcua' returning id`;
  const [copied] = await sql<{ n: number }[]>`
    with c as (
      insert into samples (unit_id, metric_id, day, source_id, value, observed_at)
      select unit_id, metric_id, day, ${copy!.id}, value * 3, observed_at from samples s
      where s.source_id = (select id from data_sources where key = 'motcua') returning 1
    ) select count(*)::int as n from c`;
  await sql`analyze`;
  await compare(`worst case (${copied!.n.toLocaleString('en')} lower-priority copies of the dossier samples)`);
  await sql.end();
  await world.simulator.close();
} finally {
  await pg.stop();
  await rm(dataDir, { recursive: true, force: true });
}
console.log(`\nOverlap bench (one node, embedded PostgreSQL)\n\n${out.join('\n')}`);
