/**
 * National scale, storage (issue 15, item 4), on the real PostgreSQL: samples partitioned by month
 * (migration 0018) with a default partition; the months created ahead (ensureSamplePartitions, the
 * workers' daily job), a month's rows moved out of the default partition when it is created, a
 * backfill's months made before it writes; and a board with nothing to rank written once, not
 * again while it stays so.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgBoss } from 'pg-boss';
import { addDays, periodOf, today } from '#domain/periods';
import { DEFAULT_PARTITION, ensureSamplePartitions, monthsCovering, partitionName, samplePartitions } from '#server/partitions';
import { backfillSource } from '#server/pipeline/backfill';
import { recomputeRankings } from '#server/ranking/rankings';
import { PARTITIONS_CRON, PARTITIONS_QUEUE, schedulePartitions } from '../../workers/jobs/sample-partitions.ts';
import { freshDatabase } from '../support/db.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

/** Where each of these days' rows of samples are stored (partition name → count). */
async function whereStored(sql: postgres.Sql, days: string[]) {
  const rows = await sql<{ part: string; n: number }[]>`
    select tableoid::regclass::text as part, count(*)::int as n from samples where day = any(${sql.array(days)}::date[]) group by 1 order by 1`;
  return Object.fromEntries(rows.map((r) => [r.part, r.n]));
}

describe('samples partitioned by month', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const insert = (day: string, unitId: number, value = 1) =>
    db.sql`insert into samples (unit_id, metric_id, day, source_id, value, observed_at) values (${unitId}, 1, ${day}, 1, ${value}, now())`;

  it('is a partitioned table after the migration: a default partition, this month and the three after it, the key and index of before, the views', async () => {
    const [table] = await db.sql<{ kind: string }[]>`select relkind::text as kind from pg_class where oid = 'samples'::regclass`;
    expect(table!.kind).toBe('p');
    const [def] = await db.sql<{ name: string }[]>`
      select c.relname as name from pg_partitioned_table p join pg_class c on c.oid = p.partdefid where p.partrelid = 'samples'::regclass`;
    expect(def!.name).toBe(DEFAULT_PARTITION);
    const parts = await samplePartitions(db.sql);
    const thisMonth = `${today().slice(0, 7)}-01`;
    const ahead = monthsCovering(thisMonth, addDays(thisMonth, 31 * 3)).slice(0, 4).map(partitionName);
    expect(ahead).toHaveLength(4);
    for (const name of ahead) expect(parts).toContain(name);
    // Each month's bounds: its first day to the next month's.
    const [bounds] = await db.sql<{ bound: string }[]>`select pg_get_expr(relpartbound, oid) as bound from pg_class where relname = ${ahead[0]!}`;
    expect(bounds!.bound).toBe(`FOR VALUES FROM ('${thisMonth}') TO ('${monthsCovering(thisMonth, addDays(thisMonth, 31))[1]}')`);
    const indexes = await db.sql<{ name: string; def: string }[]>`
      select c.relname as name, pg_get_indexdef(c.oid) as def from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = 'samples'::regclass order by 1`;
    expect(indexes.map((i) => i.name)).toEqual(['samples_metric_id_day_index', 'samples_unit_id_metric_id_day_source_id_pk']);
    expect(indexes[1]!.def).toContain('(unit_id, metric_id, day, source_id)');
    const views = await db.sql<{ name: string }[]>`select viewname as name from pg_views where schemaname = 'public' and viewname in ('samples_by_priority', 'effective_samples') order by 1`;
    expect(views.map((v) => v.name)).toEqual(['effective_samples', 'samples_by_priority']);
  });

  it('stores each row in the partition of its month, a day of no month in the default one, and refuses a second row of the same key', async () => {
    const inMonth = `${today().slice(0, 7)}-15`;
    await insert(inMonth, 10);
    await insert('1999-05-03', 10);
    expect(await whereStored(db.sql, [inMonth, '1999-05-03'])).toEqual({ [partitionName(inMonth)]: 1, [DEFAULT_PARTITION]: 1 });
    await expect(insert(inMonth, 10)).rejects.toMatchObject({ code: '23505' });
  });

  it('moves a month out of the default partition when it creates that month, and a second call does nothing', async () => {
    await insert('1999-05-20', 11, 7);
    await insert('1999-06-01', 11, 8); // another month, left where it is
    const created = await ensureSamplePartitions(db.sql, { from: '1999-05-10', to: '1999-05-31' });
    expect(created).toEqual({ created: ['samples_y1999m05'], moved: 2, deferred: [] });
    expect(await whereStored(db.sql, ['1999-05-03', '1999-05-20', '1999-06-01'])).toEqual({ samples_y1999m05: 2, [DEFAULT_PARTITION]: 1 });
    const values = await db.sql<{ day: string; value: number }[]>`select day::text, value from samples where unit_id = 11 order by day`;
    expect(values).toEqual([{ day: '1999-05-20', value: 7 }, { day: '1999-06-01', value: 8 }]);
    expect(await ensureSamplePartitions(db.sql, { from: '1999-05-01', to: '1999-05-31' })).toEqual({ created: [], moved: 0, deferred: [] });
    // Several months at once, across a year's end.
    expect((await ensureSamplePartitions(db.sql, { from: '1999-11-30', to: '2000-02-01' })).created).toEqual([
      'samples_y1999m11', 'samples_y1999m12', 'samples_y2000m01', 'samples_y2000m02'
    ]);
  });

  it('leaves a month for later, its rows in the default partition, while a reader holds the default partition', async () => {
    const reader = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      await insert('1998-03-03', 12);
      const held = reader.begin(async (tx) => {
        await tx`select count(*) from ${tx(DEFAULT_PARTITION)}`;
        // The reader keeps its lock while ensureSamplePartitions waits and gives up.
        const left = await ensureSamplePartitions(db.sql, { from: '1998-03-01', to: '1998-03-31' }, { lockTimeoutMs: 200 });
        expect(left).toEqual({ created: [], moved: 0, deferred: ['samples_y1998m03'] });
      });
      await held;
      expect(await whereStored(db.sql, ['1998-03-03'])).toEqual({ [DEFAULT_PARTITION]: 1 });
      // Once the reader is gone, it goes through.
      expect(await ensureSamplePartitions(db.sql, { from: '1998-03-01', to: '1998-03-31' })).toEqual({ created: ['samples_y1998m03'], moved: 1, deferred: [] });
    } finally {
      await reader.end();
    }
  });
});

describe('the workers\' daily partitions job', () => {
  let db: TestDb;
  let jobs: TestJobs;
  let boss: PgBoss;
  beforeAll(async () => {
    db = await freshDatabase();
    jobs = await testJobs(db, 'pgboss_partitions');
    await jobs.work();
    boss = jobs.boss;
  });
  afterAll(async () => {
    await jobs?.stop();
    await db?.drop();
  });

  it('creates the month of its day and the three after it, and is scheduled daily in the city\'s time', async () => {
    const spy = boss.getSpy(PARTITIONS_QUEUE);
    const id = await boss.send(PARTITIONS_QUEUE, { today: '2031-11-10' });
    const done = await spy.waitForJobWithId(id!, 'completed');
    expect(done.output).toMatchObject({ created: ['samples_y2031m11', 'samples_y2031m12', 'samples_y2032m01', 'samples_y2032m02'], moved: 0 });
    const parts = await samplePartitions(db.sql);
    expect(parts).toContain('samples_y2032m02');
    expect(parts).not.toContain('samples_y2032m03');

    await schedulePartitions(boss);
    const [schedule] = await boss.getSchedules(PARTITIONS_QUEUE);
    expect(schedule).toMatchObject({ name: PARTITIONS_QUEUE, cron: PARTITIONS_CRON, options: expect.objectContaining({ tz: 'Asia/Ho_Chi_Minh' }) });
  });
});

describe('a backfill', () => {
  let db: TestDb;
  let world: TestWorld;
  useDemoWorld((h) => ({ db, world } = h));

  it('a real backfill makes the months of its days, lands its rows there, and a second identical one changes nothing', async () => {
    const range = { from: '2024-01-30', to: '2024-02-02' };
    expect(await samplePartitions(db.sql)).not.toContain('samples_y2024m01');
    const first = await backfillSource(db.sql, world.source, range, { secretKeyHex: world.secretKeyHex, recompute: false });
    expect(first.samples).toBe(526 * 4 * 9); // communes × days × metrics
    expect(first.changed).toBe(first.samples);
    const parts = await samplePartitions(db.sql);
    expect(parts).toContain('samples_y2024m01');
    expect(parts).toContain('samples_y2024m02');
    expect(await whereStored(db.sql, ['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-02'])).toEqual({ samples_y2024m01: 526 * 2 * 9, samples_y2024m02: 526 * 2 * 9 });
    const [runs] = await db.sql<{ n: number; changed: number }[]>`select count(*)::int as n, sum(changed)::int as changed from poll_runs where trigger = 'backfill'`;
    expect(runs!.changed).toBe(first.samples);
    const second = await backfillSource(db.sql, world.source, range, { secretKeyHex: world.secretKeyHex, recompute: false });
    expect(second).toMatchObject({ samples: first.samples, changed: 0 });
  });
});

describe('a board with nothing to rank', () => {
  let db: TestDb;
  let world: TestWorld;
  useDemoWorld((h) => ({ db, world } = h));

  it('is stored once, not written again while it stays so, and ranked again when a value arrives', async () => {
    const day = periodOf('day', '2022-08-08'); // no sample anywhere
    const all = await recomputeRankings(db.sql, [day]);
    expect(all).toHaveLength(31); // the city and its 30 districts: every board written, all of it "no data"
    const board = () => db.sql<{ scope: string; unit: string; rank: number | null; reason: string | null; computed_at: string }[]>`
      select s.gso_code as scope, u.gso_code as unit, r.rank, r.not_ranked_reason as reason, r.computed_at::text
      from rankings r join units s on s.id = r.scope_unit_id join units u on u.id = r.unit_id
      where r.period_kind = 'day' and r.period_start = ${day.start} and r.scheme_key = 'operations' order by 1, 2`;
    const stored = await board();
    expect(stored).toHaveLength(30 + 526);
    expect(stored.every((r) => r.rank === null && r.reason === 'no_data')).toBe(true);

    expect(await recomputeRankings(db.sql, [day])).toEqual([]);
    expect(await board()).toEqual(stored);

    // One commune of Thanh Oai (278) reports: its district's board and the city's are ranked again, no other.
    const kimBai = world.units.find((u) => u.gsoCode === '10114')!;
    await db.sql`
      insert into samples (unit_id, metric_id, day, source_id, value, observed_at)
      select u.id, m.id, ${day.start}, ${world.source.id}, 5, now() from units u, metrics m where u.gso_code = ${kimBai.gsoCode} and m.key = 'dossier.received'`;
    const written = await recomputeRankings(db.sql, [day]);
    const codes = await db.sql<{ code: string }[]>`select gso_code as code from units where id = any(${db.sql.array(written)}::int[]) order by 1`;
    expect(codes.map((c) => c.code)).toEqual(['01', '278']);
    const now = await board();
    expect(now.filter((r) => r.scope === '278' && r.unit === '10114')[0]!.computed_at).not.toBe(stored.find((r) => r.scope === '278' && r.unit === '10114')!.computed_at);
    expect(now.filter((r) => r.scope !== '278' && r.scope !== '01')).toEqual(stored.filter((r) => r.scope !== '278' && r.scope !== '01'));
  });
});
