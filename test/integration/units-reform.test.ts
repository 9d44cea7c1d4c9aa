/**
 * The reform import on the real PostgreSQL: the national register of 01/07/2025 (vietnam-2025.csv)
 * with its merge table (merge-2025.csv), on an empty database and on one holding the old Hà Nội
 * demo (with Đắk Lắk beside it): old units ended on 30/06/2025, new ones from 01/07/2025 (new rows
 * where a code is reused), the lineage with its shares, VN above the provinces, the home unit kept;
 * the same files twice change nothing; a problem on any line refuses everything. Import times are
 * printed (the issue asks for seconds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { importUnits, periodsFrom, type UnitsImportRequest } from '../../src/lib/server/admin/units-reform.ts';
import { importUnitsCsv, unitsSummary, type UnitsImportResult } from '../../src/lib/server/admin/units.ts';
import { seedCatalogue, syntheticPopulation } from '#server/seed/seed';
import { seedDemoUnits } from '#server/seed/reform';
import { HOME_UNIT_FACT } from '#server/boards';
import { RECOMPUTE_QUEUE } from '#server/jobs/queues';
import { readRecomputeStatus } from '#server/jobs/status';
import { freshDatabase } from '../support/db.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';
import { seedData as data, seedOldDemo } from '../support/old-demo.ts';
import type { Sql } from '../../db/client.ts';

const REGISTER = { text: data('vietnam-2025.csv'), name: 'vietnam-2025.csv' };
const MERGES = { text: data('merge-2025.csv'), name: 'merge-2025.csv' };
const DAKLAK = data('daklak.csv');
const NATIONAL: UnitsImportRequest = { register: REGISTER, merges: MERGES, effectiveFrom: '2025-07-01' };
// Friday 20 November 2026, 19:00 ICT.
const NOW = new Date('2026-11-20T12:00:00Z');

const actorOf = async (sql: Sql): Promise<Principal> => {
  const [user] = await sql<{ id: number }[]>`
    insert into users (username, display_name, password_hash, role) values ('quantri', 'Quản trị', 'x', 'admin') returning id`;
  return { kind: 'user', sessionId: 's', user: { id: user!.id, username: 'quantri', displayName: 'Quản trị', role: 'admin', unitCode: null, unitName: null } };
};

/** Everything an import may write, to compare before and after. */
const snapshot = async (sql: Sql) => ({
  units: await sql`select id, gso_code, name, level, type, parent_id, valid_from::text, valid_to::text, merged_into_id, external_codes, population from units order by id`,
  lineage: await sql`select predecessor_id, successor_id, note, share, estimated from unit_lineage order by 1, 2`,
  closure: (await sql<{ n: number }[]>`select count(*)::int as n from unit_closure`)[0]!.n,
  rollup: await sql`select ancestor_id, descendant_id, share, estimated from unit_rollup order by 1, 2`,
  meta: await sql`select key, value from app_meta order by key`
});

async function timed(label: string, run: () => Promise<UnitsImportResult>): Promise<UnitsImportResult> {
  const t0 = performance.now();
  const result = await run();
  const ms = Math.round(performance.now() - t0);
  console.info(`${label}: ${ms} ms`);
  // The issue asks for seconds (the register alone took 4.7 s before, doing the wrong thing).
  expect(ms).toBeLessThan(15_000);
  return result;
}

const count = async (sql: Sql, query: Promise<{ n: number }[]>) => (await query)[0]!.n;

describe('the national register and its merge table on an empty database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let actor: Principal;
  beforeAll(async () => {
    db = await freshDatabase();
    actor = await actorOf(db.sql);
  });
  afterAll(async () => db?.drop());

  it('creates VN, the 34 provinces and 3,321 communes, skips every merge row (no old unit is stored), and a second run changes nothing', async () => {
    const first = await timed('national register + merges, empty database', () => importUnits(db.sql, NATIONAL, actor, { now: NOW, jobs: null }));
    expect(first).toMatchObject({
      ok: true, kind: 'reform',
      counts: {
        effectiveFrom: '2025-07-01', endedOn: '2025-06-30', registerRows: 3356, mergeRows: 10_571, created: 3356, newVersions: 0, updated: 0, unchanged: 0, ended: 0,
        lineage: { created: 0, updated: 0, unchanged: 0, removed: 0 }, alreadyEnded: 0, homeUnit: null
      },
      recompute: null // no scheme yet
    });
    if (!first.ok || first.kind !== 'reform') throw new Error('not a reform');
    // 10,571 rows: 10,570 about old units not stored (63 old provinces), one about an area that is no unit (Kim Sơn's coastal flats).
    expect(first.counts.skipped.rows).toBe(10_570);
    expect(Object.keys(first.counts.skipped.provinces)).toHaveLength(63);
    expect(first.counts.skipped.notAUnit).toEqual([4732]);

    const levels = await db.sql<{ level: string; n: number; open: number; from_d: number }[]>`
      select level, count(*)::int as n, count(*) filter (where valid_from is null)::int as open, count(*) filter (where valid_from = '2025-07-01')::int as from_d
      from units where valid_to is null group by level order by level`;
    expect(levels).toEqual([
      { level: 'commune', n: 3321, open: 0, from_d: 3321 },
      { level: 'country', n: 1, open: 1, from_d: 0 },
      { level: 'province', n: 34, open: 34, from_d: 0 }
    ]);
    expect(await count(db.sql, db.sql`select count(*)::int as n from units c join units p on p.id = c.parent_id where p.gso_code = 'VN'`)).toBe(34);
    expect(await count(db.sql, db.sql`select count(*)::int as n from units c join units p on p.id = c.parent_id where p.gso_code = '01'`)).toBe(126);
    expect(await count(db.sql, db.sql`select count(*)::int as n from unit_closure k join units a on a.id = k.ancestor_id where a.gso_code = 'VN' and k.depth > 0`)).toBe(3355);

    const before = await snapshot(db.sql);
    const again = await timed('the same files again', () => importUnits(db.sql, NATIONAL, actor, { now: NOW, jobs: null }));
    expect(again).toMatchObject({ ok: true, counts: { created: 0, newVersions: 0, updated: 0, unchanged: 3356, ended: 0 }, recompute: null });
    expect(await snapshot(db.sql)).toEqual(before);
  });
});

describe('the reform over the old Hà Nội demo, with Đắk Lắk beside it', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let actor: Principal;
  let jobs: TestJobs;
  beforeAll(async () => {
    db = await freshDatabase();
    actor = await actorOf(db.sql);
    await seedOldDemo(db.sql);
    await seedCatalogue(db.sql);
    jobs = await testJobs(db, 'pgboss_reform');
  });
  afterAll(async () => {
    await jobs?.stop();
    await db?.drop();
  });

  it('takes Đắk Lắk beside Hà Nội (the register of 2024, without merges), setting no date', async () => {
    const result = await importUnitsCsv(db.sql, DAKLAK, actor, { now: NOW, jobs: null, file: 'daklak.csv' });
    expect(result).toMatchObject({ ok: true, kind: 'register', counts: { created: 196 } });
    expect(await db.sql`select gso_code from units where parent_id is null order by id`).toEqual([{ gso_code: '01' }, { gso_code: '66' }]);
  });

  it('ends the old map on 30/06/2025 and starts the new one on 01/07/2025, with the lineage of every old commune', async () => {
    // A stored board row of Thị trấn Kim Bài (10114) for 06/2025 and one for 07/2025, as an earlier recompute left them.
    const [kimBai] = await db.sql<{ id: number; parent: number }[]>`select id, parent_id as parent from units where gso_code = '10114'`;
    const [scheme] = await db.sql<{ id: number }[]>`select id from indicator_schemes where key = 'operations' and active`;
    for (const start of ['2025-06-01', '2025-07-01']) {
      await db.sql`
        insert into rankings (scheme_key, scope_unit_id, period_kind, period_start, period_end, unit_id, rank, total, indicators, scheme_id)
        values ('operations', ${kimBai!.parent}, 'month', ${start}, (${start}::date + interval '1 month - 1 day')::date, ${kimBai!.id}, 3, 80, '{}'::jsonb, ${scheme!.id})`;
    }
    expect(await db.sql`select value from app_meta where key = ${HOME_UNIT_FACT}`).toEqual([]);

    const result = await timed('national register + merges over the Hà Nội demo and Đắk Lắk', () => importUnits(db.sql, NATIONAL, actor, { now: NOW, jobs: jobs.boss, ip: '10.0.0.7' }));
    expect(result).toMatchObject({
      ok: true, kind: 'reform',
      counts: {
        // 01 and 66 continue (VN above them); Hà Nội's 126 communes and 68 of Đắk Lắk's 102 keep an old commune's code: new rows.
        created: 3356 - 2 - 194, newVersions: 194, updated: 2, unchanged: 0,
        // 30 districts + 526 communes of Hà Nội, 15 + 180 of Đắk Lắk.
        ended: 751,
        lineage: { created: 795 + 181, updated: 0, unchanged: 0, removed: 0 },
        alreadyEnded: 0, homeUnit: '01'
      }
    });
    if (!result.ok || result.kind !== 'reform') throw new Error('not a reform');
    expect(result.counts.skipped.rows).toBe(10_571 - 795 - 181 - 1);
    expect(result.counts.skipped.provinces).not.toHaveProperty('01');
    expect(result.counts.skipped.provinces).not.toHaveProperty('66');
    expect(result.counts.skipped.provinces['54']).toBeGreaterThan(0); // Phú Yên, not installed

    // Hà Nội: 126 new communes under the city from 01/07/2025; 30 districts and 526 communes ended on 30/06/2025.
    const children = await db.sql<{ level: string; valid_from: string | null; valid_to: string | null; n: number }[]>`
      select c.level, c.valid_from::text, c.valid_to::text, count(*)::int as n
      from units c join units p on p.id = c.parent_id where p.gso_code = '01' group by 1, 2, 3 order by 1, 2`;
    expect(children).toEqual([
      { level: 'commune', valid_from: '2025-07-01', valid_to: null, n: 126 },
      { level: 'district', valid_from: null, valid_to: '2025-06-30', n: 30 }
    ]);
    expect(await count(db.sql, db.sql`
      select count(*)::int as n from units c join units d on d.id = c.parent_id join units p on p.id = d.parent_id
      where p.gso_code = '01' and c.level = 'commune' and c.valid_to = '2025-06-30'`)).toBe(526);
    // 795 lineage rows from Hà Nội's old communes; each old commune's shares add up to 1.
    const shares = await db.sql<{ code: string; links: number; total: number }[]>`
      select o.gso_code as code, count(*)::int as links, sum(l.share) as total
      from unit_lineage l join units o on o.id = l.predecessor_id join units d on d.id = o.parent_id join units p on p.id = d.parent_id
      where p.gso_code = '01' group by o.gso_code`;
    expect(shares).toHaveLength(526);
    expect(shares.reduce((s, r) => s + r.links, 0)).toBe(795);
    for (const s of shares) expect(s.total, s.code).toBeCloseTo(1, 12);
    // Every successor of a Hà Nội commune is a new commune of the city.
    expect(await count(db.sql, db.sql`
      select count(*)::int as n from unit_lineage l join units o on o.id = l.predecessor_id join units s on s.id = l.successor_id
      join units so on so.id = s.parent_id join unit_closure k on k.descendant_id = o.id join units a on a.id = k.ancestor_id
      where a.gso_code = '01' and (so.gso_code <> '01' or s.valid_from <> '2025-07-01')`)).toBe(0);

    // 10114: Thị trấn Kim Bài keeps its row and parent (Huyện Thanh Oai) and ends; Xã Thanh Oai is a new row under the city.
    const v10114 = await db.sql`
      select u.id, u.name, p.gso_code as parent, u.valid_from::text, u.valid_to::text from units u join units p on p.id = u.parent_id
      where u.gso_code = '10114' order by u.id`;
    expect(v10114).toEqual([
      { id: kimBai!.id, name: 'Thị trấn Kim Bài', parent: '278', valid_from: null, valid_to: '2025-06-30' },
      { id: expect.any(Number), name: 'Xã Thanh Oai', parent: '01', valid_from: '2025-07-01', valid_to: null }
    ]);
    const lineage10114 = await db.sql`
      select o.name as old, l.note, l.share, l.estimated from unit_lineage l join units o on o.id = l.predecessor_id
      where l.successor_id = ${(v10114[1] as { id: number }).id} order by o.gso_code`;
    expect(lineage10114.length).toBeGreaterThan(1);
    expect(lineage10114).toContainEqual({ old: 'Thị trấn Kim Bài', note: 'Nhập toàn bộ', share: 1, estimated: false });

    // VN above both provinces; the city stays home (set now: there was one root and no home before).
    expect(await db.sql`select c.gso_code from units c join units p on p.id = c.parent_id where p.gso_code = 'VN' and c.gso_code in ('01', '66') order by 1`)
      .toEqual([{ gso_code: '01' }, { gso_code: '66' }]);
    expect(await db.sql`select value from app_meta where key = ${HOME_UNIT_FACT}`).toEqual([{ value: '01' }]);
    // The rollup: the city counts its old communes (the tree) and nothing twice; a new commune its predecessors.
    expect(await count(db.sql, db.sql`
      select count(*)::int as n from unit_rollup r join units a on a.id = r.ancestor_id join units d on d.id = r.descendant_id
      where a.id = ${(v10114[1] as { id: number }).id} and d.id = ${kimBai!.id}`)).toBe(1);

    // Đắk Lắk: 102 communes from 01/07/2025 (34 of them Phú Yên's, whose old units are not installed), 195 old units ended.
    expect(await db.sql`
      select count(*) filter (where c.valid_to is null)::int as open, count(*) filter (where c.valid_to = '2025-06-30')::int as ended
      from units c join units p on p.id = c.parent_id where p.gso_code = '66'`).toEqual([{ open: 102, ended: 15 }]);
    expect(await count(db.sql, db.sql`
      select count(*)::int as n from unit_lineage l join units o on o.id = l.predecessor_id join unit_closure k on k.descendant_id = o.id
      join units a on a.id = k.ancestor_id where a.gso_code = '66' and k.depth > 0`)).toBe(181);

    // The import leaves the stored boards as they are (Kim Bài's rows of 06/2025 and 07/2025): each board's job replaces its rows.
    expect(await db.sql`select period_start::text from rankings where unit_id = ${kimBai!.id} order by 1`).toEqual([{ period_start: '2025-06-01' }, { period_start: '2025-07-01' }]);

    // The boards from the periods holding 01/07/2025 through today's, one job each, as one batch.
    const periods = periodsFrom('2025-07-01', '2026-11-20');
    expect(result.recompute).toEqual({ batch: expect.any(String), periods: periods.length });
    const queued = await jobs.boss.findJobs(RECOMPUTE_QUEUE, { data: { batch: result.recompute!.batch } });
    expect(queued).toHaveLength(periods.length);
    expect(new Set(queued.map((j) => `${(j.data as { period: { kind: string } }).period.kind}`))).toEqual(new Set(['day', 'week', 'month', 'quarter', 'year', 'report_month', 'report_quarter', 'report_year']));
    expect(await readRecomputeStatus(jobs.boss, result.recompute!.batch)).toMatchObject({ kind: 'recompute', state: 'queued', done: 0, total: periods.length });

    const [audit] = await db.sql<{ actor_name: string; ip: string; after: { kind: string; counts: { ended: number }; ended: string[] } }[]>`
      select actor_name, ip, after from audit_log where action = 'import' and entity = 'unit' order by id desc limit 1`;
    expect(audit).toMatchObject({ actor_name: 'quantri', ip: '10.0.0.7', after: { kind: 'reform', counts: { ended: 751 } } });
    expect(audit!.after.ended).toContain('278');

    const summary = await unitsSummary(db.sql);
    expect(summary.home).toEqual({ code: '01', name: 'Thành phố Hà Nội' });
    expect(summary.roots.map((r) => r.code)).toEqual(['VN']);
    expect(summary.lineageCount).toBe(976);
    expect(summary.merged.find((u) => u.code === '10114')).toMatchObject({ name: 'Thị trấn Kim Bài', since: '2025-06-30', successors: [{ code: '10114', name: 'Xã Thanh Oai', note: 'Nhập toàn bộ' }] });
  });

  it('changes nothing with the same files again, and queues nothing', async () => {
    const before = await snapshot(db.sql);
    const jobsBefore = (await jobs.boss.findJobs(RECOMPUTE_QUEUE)).length;
    const again = await timed('the same files again', () => importUnits(db.sql, NATIONAL, actor, { now: NOW, jobs: jobs.boss }));
    expect(again).toMatchObject({
      ok: true, counts: { created: 0, newVersions: 0, updated: 0, unchanged: 3356, ended: 0, alreadyEnded: 526 + 180, lineage: { created: 0, updated: 0, unchanged: 976, removed: 0 }, homeUnit: null },
      recompute: null
    });
    expect(await snapshot(db.sql)).toEqual(before);
    expect(await jobs.boss.findJobs(RECOMPUTE_QUEUE)).toHaveLength(jobsBefore);
  });
});

describe('a problem on any line refuses everything', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let actor: Principal;
  beforeAll(async () => {
    db = await freshDatabase();
    actor = await actorOf(db.sql);
    await seedOldDemo(db.sql);
  });
  afterAll(async () => db?.drop());

  it('names each problem with its file and line, and writes nothing', async () => {
    const before = await snapshot(db.sql);
    const merges = MERGES.text.split('\n');
    merges[16] = merges[16]!.replace(/^\d+,/, '99999,'); // line 17: a new commune the register does not have
    const register = REGISTER.text.split('\n');
    register[3] = register[3]!.replace(/,01$/, ',02'); // line 4: a parent that is not in the register
    const result = await importUnits(db.sql, { register: { text: register.join('\n'), name: 'vietnam-2025.csv' }, merges: { text: merges.join('\n'), name: 'merge-2025.csv' }, effectiveFrom: '2025-07-01' }, actor, { now: NOW, jobs: null });
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.problems.map((p) => p.message);
    expect(messages).toEqual([
      'vietnam-2025.csv dòng 4: parent_gso_code 02 không tồn tại',
      `merge-2025.csv dòng 17: new_gso_code 99999 (${merges[16]!.split(',')[1]}) không có trong danh mục vietnam-2025.csv và không phải đơn vị đang hiệu lực`
    ]);
    expect(await snapshot(db.sql)).toEqual(before);
    expect(await count(db.sql, db.sql`select count(*)::int as n from audit_log`)).toBe(0);

    // In English when asked, and the date's own problem named by its field.
    const english = await importUnits(db.sql, { register: REGISTER, merges: { text: merges.join('\n'), name: 'merge-2025.csv' }, effectiveFrom: '2025-07-01' }, actor, { now: NOW, jobs: null, lang: 'en' });
    expect(english.ok ? [] : english.problems.map((p) => p.message)).toEqual([
      `merge-2025.csv line 17: new_gso_code 99999 (${merges[16]!.split(',')[1]}) is neither in the register vietnam-2025.csv nor a unit in force`
    ]);
    const undated = await importUnits(db.sql, { register: REGISTER, merges: MERGES }, actor, { now: NOW, jobs: null });
    expect(undated).toEqual({ ok: false, problems: [{ line: null, field: 'effectiveFrom', message: 'effectiveFrom: nhập ngày danh mục có hiệu lực (dd/mm/yyyy) khi nhập kèm bảng sáp nhập' }] });
    const future = await importUnits(db.sql, { ...NATIONAL, effectiveFrom: '2026-12-01' }, actor, { now: NOW, jobs: null });
    expect(future.ok ? [] : future.problems.map((p) => p.field)).toEqual(['effectiveFrom']);
    expect(await snapshot(db.sql)).toEqual(before);
  });
});

describe('the national register over the demo as it is seeded today (Hà Nội already on the map of 01/07/2025)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let actor: Principal;
  beforeAll(async () => {
    db = await freshDatabase();
    actor = await actorOf(db.sql);
    await db.sql.begin((tx) => seedDemoUnits(tx, syntheticPopulation));
  });
  afterAll(async () => db?.drop());

  it('puts VN and the other provinces around the city, keeping its communes, departments, lineage and home', async () => {
    const demoUnits = await db.sql`select id, gso_code, name, level, type, parent_id, valid_from::text, valid_to::text, population from units where gso_code <> '01' order by id`;
    const demoLineage = await db.sql`select predecessor_id, successor_id, note, share, estimated from unit_lineage order by 1, 2`;
    const departments = demoUnits.filter((u) => u.level === 'department').length;
    expect(departments).toBeGreaterThan(0);
    const result = await timed('national register + merges over the demo of today', () => importUnits(db.sql, NATIONAL, actor, { now: NOW, jobs: null }));
    expect(result).toMatchObject({
      ok: true, kind: 'reform',
      counts: {
        created: 3356 - 1 - 126, newVersions: 0, updated: 1, unchanged: 126, ended: 0, alreadyEnded: 526,
        lineage: { created: 0, updated: 0, unchanged: 795, removed: 0 }, homeUnit: null
      }
    });
    // The demo's units and lineage as they were; the city under VN; the home unit the demo set.
    expect(await db.sql`select id, gso_code, name, level, type, parent_id, valid_from::text, valid_to::text, population from units where id = any(${db.sql.array(demoUnits.map((u) => u.id as number))}::int[]) order by id`).toEqual(demoUnits);
    expect(await db.sql`select predecessor_id, successor_id, note, share, estimated from unit_lineage order by 1, 2`).toEqual(demoLineage);
    expect(await db.sql`select p.gso_code from units c join units p on p.id = c.parent_id where c.gso_code = '01'`).toEqual([{ gso_code: 'VN' }]);
    expect(await db.sql`select value from app_meta where key = ${HOME_UNIT_FACT}`).toEqual([{ value: '01' }]);
    expect(await count(db.sql, db.sql`select count(*)::int as n from units c join units p on p.id = c.parent_id where p.gso_code = '01' and c.valid_to is null`)).toBe(126 + departments);
  });
});

describe('the recompute a reform queues, run by the workers', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let actor: Principal;
  let jobs: TestJobs;
  // Ten days after the reform: the periods holding 01/07/2025 through 10/07/2025.
  const SOON = new Date('2025-07-10T05:00:00Z');
  beforeAll(async () => {
    db = await freshDatabase();
    actor = await actorOf(db.sql);
    await seedOldDemo(db.sql);
    await seedCatalogue(db.sql);
    jobs = await testJobs(db, 'pgboss_reform_run');
    await jobs.work();
  });
  afterAll(async () => {
    await jobs?.stop();
    await db?.drop();
  });

  it('is one job per period of every kind from the one holding the day, all run to the end; the boards then rank the new units only', async () => {
    // Thị trấn Kim Bài's row on its district's board of 07/2025, as a recompute before the import left it.
    const [kimBai] = await db.sql<{ id: number; parent: number }[]>`select id, parent_id as parent from units where gso_code = '10114'`;
    const [scheme] = await db.sql<{ id: number }[]>`select id from indicator_schemes where key = 'operations' and active`;
    await db.sql`
      insert into rankings (scheme_key, scope_unit_id, period_kind, period_start, period_end, unit_id, rank, total, indicators, scheme_id)
      values ('operations', ${kimBai!.parent}, 'month', '2025-07-01', '2025-07-31', ${kimBai!.id}, 3, 80, '{}'::jsonb, ${scheme!.id})`;
    const result = await importUnits(db.sql, NATIONAL, actor, { now: SOON, jobs: jobs.boss });
    if (!result.ok || !result.recompute) throw new Error('no recompute queued');
    // 10 days, 2 weeks, and one month, quarter, year, reporting month, quarter and year.
    expect(periodsFrom('2025-07-01', '2025-07-10')).toHaveLength(18);
    expect(result.recompute.periods).toBe(18);
    expect(await jobs.batch(result.recompute.batch)).toBe(18);
    expect(await readRecomputeStatus(jobs.boss, result.recompute.batch)).toMatchObject({ state: 'done', done: 18, total: 18 });
    // The city's board of 07/2025: its 126 communes, no district; Kim Bài's row is gone with its district's board.
    const board = await db.sql<{ level: string; n: number }[]>`
      select u.level, count(*)::int as n from rankings r join units s on s.id = r.scope_unit_id join units u on u.id = r.unit_id
      where s.gso_code = '01' and r.scheme_key = 'operations' and r.period_kind = 'month' and r.period_start = '2025-07-01' group by u.level`;
    expect(board).toEqual([{ level: 'commune', n: 126 }]);
    expect(await db.sql`select 1 from rankings where unit_id = ${kimBai!.id} and period_start = '2025-07-01'`).toEqual([]);
  });
});
