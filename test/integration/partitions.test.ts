/**
 * National scale, storage (issue 15, item 4), on the real PostgreSQL: samples partitioned by month
 * (migration 0018) with a default partition; the months created ahead (ensureSamplePartitions, the
 * workers' daily job), a month's rows moved out of the default partition when it is created; a
 * backfill written through COPY with exactly the upsert's provenance and answer; and a board with
 * nothing to rank written once, not again while it stays so.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgBoss } from 'pg-boss';
import { addDays, periodOf, today } from '#domain/periods';
import { analyzeSamples, DEFAULT_PARTITION, ensureSamplePartitions, monthsCovering, partitionName, samplePartitions } from '#server/partitions';
import { copySamples, upsertSamples } from '#server/pipeline/ingest';
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

describe('a backfill through COPY', () => {
  let db: TestDb;
  let world: TestWorld;
  useDemoWorld((h) => ({ db, world } = h));

  /** Every stored row of a source, its provenance included, keyed so two sources compare. */
  const stored = (sourceId: number) => db.sql`
    select unit_id, metric_id, day::text, value, observed_at, poll_run_id, first_seen_at, ingested_at = first_seen_at as unchanged_since_first_seen
    from samples where source_id = ${sourceId} order by unit_id, metric_id, day`;
  const DAYS = ['2023-03-30', '2023-03-31', '2023-04-01'];
  const rows = DAYS.flatMap((day, d) => [1, 2, 3].flatMap((unitId) => [1, 2].map((metricId) => ({ unitId, metricId, day, value: unitId * 10 + metricId + d + 0.25 }))));
  const observedAt = new Date('2023-04-02T03:00:00Z');

  it('stores, answers and keeps provenance exactly as the upsert does; the same rows again change nothing', async () => {
    // The upsert into source 901, COPY into source 902: same rows, same runs.
    const write = (how: 'upsert' | 'copy', r: typeof rows, pollRunId: number) =>
      db.sql.begin((tx) =>
        how === 'upsert'
          ? upsertSamples(tx, 901, r, observedAt, { pollRunId, firstSeen: 'on_time' })
          : copySamples(tx, 902, r, observedAt, { pollRunId, firstSeen: 'on_time' }, { timeoutMs: 30_000 })
      );
    const first = { upsert: await write('upsert', rows, 1), copy: await write('copy', rows, 1) };
    expect(first.copy).toEqual(first.upsert);
    expect(first.copy.changed).toBe(18);
    expect([...first.copy.changedDays].sort()).toEqual(DAYS);
    expect([...first.copy.changedMetricIds].sort()).toEqual([1, 2]);
    expect([...first.copy.changedUnitIds].sort()).toEqual([1, 2, 3]);
    const a = await stored(901);
    expect(await stored(902)).toEqual(a);
    // History counts as first seen at the end of its own day in the city, and has not changed since.
    const [firstSeen] = await db.sql<{ ok: boolean }[]>`
      select bool_and(first_seen_at = (day + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') and bool_or(first_seen_at = '2023-04-01 00:00:00+07') as ok
      from samples where source_id = 902`;
    expect(firstSeen!.ok).toBe(true);
    expect(a.every((r) => r.unchanged_since_first_seen && r.poll_run_id === 1)).toBe(true);
    // In the month partitions the migration did not make: the default partition holds them until a backfill makes their months.
    expect(await whereStored(db.sql, DAYS)).toEqual({ [DEFAULT_PARTITION]: 36 });

    const again = { upsert: await write('upsert', rows, 2), copy: await write('copy', rows, 2) };
    expect(again.copy).toEqual({ changed: 0, changedDays: new Set(), changedMetricIds: new Set(), changedUnitIds: new Set() });
    expect(again.upsert).toEqual(again.copy);
    expect(await stored(902)).toEqual(a);

    // Two values corrected on two days: only those move (value, run, ingested_at), first_seen_at stays.
    const corrected = rows.map((r) => (r.unitId === 2 && r.metricId === 1 && r.day !== '2023-03-31' ? { ...r, value: r.value + 100 } : r));
    const third = { upsert: await write('upsert', corrected, 3), copy: await write('copy', corrected, 3) };
    expect(third.copy).toEqual(third.upsert);
    expect(third.copy).toEqual({ changed: 2, changedDays: new Set(['2023-03-30', '2023-04-01']), changedMetricIds: new Set([1]), changedUnitIds: new Set([2]) });
    const after = await stored(902);
    expect(await stored(901)).toEqual(after);
    const moved = after.filter((r) => r.poll_run_id === 3);
    expect(moved.map((r) => [r.unit_id, r.metric_id, r.day, r.value])).toEqual([[2, 1, '2023-03-30', 121.25], [2, 1, '2023-04-01', 123.25]]);
    expect(moved.every((r) => !r.unchanged_since_first_seen)).toBe(true);
    expect(after.filter((r) => r.poll_run_id !== 3)).toEqual(a.filter((r) => !(r.unit_id === 2 && r.metric_id === 1 && r.day !== '2023-03-31')));
  });

  it('fails in words, and leaves nothing, when a value is not a number', async () => {
    const bad = [{ unitId: 1, metricId: 1, day: '2023-05-02', value: Number.NaN }, { unitId: 1, metricId: 1, day: '2023-05-03', value: undefined as unknown as number }];
    await expect(db.sql.begin((tx) => copySamples(tx, 903, bad, observedAt, { pollRunId: 4, firstSeen: 'on_time' }, { timeoutMs: 30_000 }))).rejects.toThrow(/invalid input syntax for type double precision: "undefined"/);
    expect(await db.sql`select 1 from samples where source_id = 903`).toEqual([]);
  });

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

    // Statistics after the load: the table's own and its range's months, not the other months.
    await analyzeSamples(db.sql, range);
    const analyzed = await db.sql<{ name: string }[]>`select relname as name from pg_stat_user_tables where last_analyze is not null and relname like 'samples%' order by 1`;
    expect(analyzed.map((r) => r.name)).toEqual(['samples', DEFAULT_PARTITION, 'samples_y2024m01', 'samples_y2024m02']);
    const [inherited] = await db.sql<{ n: number }[]>`select count(*)::int as n from pg_stats where tablename = 'samples' and inherited and attname = 'day'`;
    expect(inherited!.n).toBe(1);
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

  it('recomputes only the boards a poll\'s changed units reach, when told them', async () => {
    const day = periodOf('day', '2022-08-09');
    const ids = await db.sql<{ code: string; id: number; parent: string }[]>`
      select u.gso_code as code, u.id, p.gso_code as parent from units u join units p on p.id = u.parent_id where u.gso_code in ('10114', '00004')`;
    const unit = (code: string) => ids.find((u) => u.code === code)!;
    expect(unit('00004').parent).not.toBe('278'); // a commune of another district
    const put = (code: string, value: number) => db.sql`
      insert into samples (unit_id, metric_id, day, source_id, value, observed_at)
      select ${unit(code).id}, m.id, ${day.start}, ${world.source.id}, ${value}, now() from metrics m where m.key = 'dossier.received'
      on conflict (unit_id, metric_id, day, source_id) do update set value = excluded.value`;
    await put('10114', 5);
    await put('00004', 5);
    await recomputeRankings(db.sql, [day]);
    const computedAt = () => db.sql<{ scope: string; at: string }[]>`
      select s.gso_code as scope, max(r.computed_at)::text as at from rankings r join units s on s.id = r.scope_unit_id
      where r.period_kind = 'day' and r.period_start = ${day.start} group by 1 order by 1`;
    const before = new Map((await computedAt()).map((r) => [r.scope, r.at]));
    await put('10114', 6);
    await put('00004', 6); // changed too, but not named: its district's board is left as it was
    const written = await recomputeRankings(db.sql, [day], { units: [unit('10114').id] });
    const codes = await db.sql<{ code: string }[]>`select gso_code as code from units where id = any(${db.sql.array(written)}::int[]) order by 1`;
    expect(codes.map((c) => c.code)).toEqual(['01', '278']);
    const after = new Map((await computedAt()).map((r) => [r.scope, r.at]));
    expect(after.get('278')).not.toBe(before.get('278'));
    expect(after.get('01')).not.toBe(before.get('01'));
    expect(after.get(unit('00004').parent)).toBe(before.get(unit('00004').parent));
    expect(await recomputeRankings(db.sql, [day], { units: [] })).toEqual([]);
  });
});
