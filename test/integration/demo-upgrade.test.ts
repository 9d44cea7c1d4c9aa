/**
 * An installation seeded with the old demo (Hà Nội's 2024 map only, samples on old communes before
 * and after 01/07/2025) upgraded in place (src/lib/server/seed/reform.ts), on the real PostgreSQL:
 * every sample kept, the old units ended on 30/06/2025, the new ones from 01/07/2025 with their
 * lineage, the home unit and the demo users; the new units' history filled by the workers' job;
 * twice is once. And a fresh seed's units are the very same as an upgraded installation's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../db/client.ts';
import { HISTORY_QUEUE } from '#server/jobs/queues';
import { placeTiles, seedCatalogue, seedDemoSources, syntheticPopulation, upsertUnits } from '#server/seed/seed';
import { REFORM_FACT, applyDemoReform, seedDemoUnits, upgradeDemoInPlace } from '#server/seed/reform';
import { hanoiRegister } from '#server/seed/hanoi-2025';
import { loadTilesCsv, loadUnitsCsv } from '#server/seed/units-csv';
import { createUserIfMissing, seedDemoUsers } from '#server/seed/users';
import { newKeyHex } from '../../src/lib/server/secrets.ts';
import { templateSpec } from '../../src/lib/server/uploads.ts';
import { createSimulator } from '../../workers/simulator/server.ts';
import { hanoiSimUnits } from '../../workers/simulator/register.ts';
import { freshDatabase } from '../support/db.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';

type TestDb = Awaited<ReturnType<typeof freshDatabase>>;

/** "Today" for the upgrade: a few days after the reform, so that the history it queues is short. */
const NOW = new Date('2025-07-10T05:00:00Z');
const SAMPLE_DAYS = ['2025-06-29', '2025-06-30', '2025-07-01', '2025-07-02'];
const reg = hanoiRegister();

/** The previous release's seed: hanoi.csv in force with no end, its tiles, catalogue, sources, officer-278, seeded_at. */
async function seedOldDemo(sql: Sql, simulatorUrl: string, secretKeyHex: string) {
  await upsertUnits(sql, loadUnitsCsv());
  await placeTiles(sql, loadTilesCsv());
  await seedCatalogue(sql);
  await seedDemoSources(sql, { simulatorUrl, secretKeyHex, intervalSeconds: 60 });
  await createUserIfMissing(sql, { username: 'officer-278', displayName: 'Cán bộ huyện Thanh Oai', password: 'demo', role: 'officer', unitCode: '278' });
  // A few samples on old units (Thị trấn Kim Bài, Xã Thanh Mai, Huyện Thanh Oai's tasks), before and after the reform, as the old polls stored them.
  await sql`
    insert into samples (unit_id, metric_id, day, source_id, value, observed_at)
    select u.id, m.id, d::date, s.id, 10 + row_number() over (), now()
    from units u, metrics m, data_sources s, unnest(${SAMPLE_DAYS}::text[]) d
    where ((u.gso_code in ('10114', '10147') and m.key = 'dossier.received' and s.key = 'motcua')
        or (u.gso_code = '278' and m.key = 'task.open_overdue' and s.key = 'qlvb'))`;
  await sql`insert into app_meta (key, value) values ('seeded_at', now()::text)`;
}

/** Everything the upgrade may change, as plain rows (ids replaced by codes and days, so two databases compare). */
async function snapshot(sql: Sql) {
  const units = await sql`
    select u.gso_code, u.name, u.level, u.type, p.gso_code as parent, u.valid_from::text, u.valid_to::text, u.population, u.tile_col, u.tile_row
    from units u left join units p on p.id = u.parent_id order by u.gso_code, u.valid_to nulls last`;
  const lineage = await sql`
    select o.gso_code as old, n.gso_code as new, l.note, l.share, l.estimated
    from unit_lineage l join units o on o.id = l.predecessor_id join units n on n.id = l.successor_id order by 1, 2`;
  const rollup = await sql`select count(*)::int as n, sum(share) as share, count(*) filter (where estimated)::int as estimated from unit_rollup`;
  const closure = await sql`select count(*)::int as n from unit_closure`;
  const facts = await sql`select key, value from app_meta where key <> ${REFORM_FACT} order by key`;
  return { units, lineage, rollup, closure, facts };
}

describe('the old demo upgraded in place', () => {
  let db: TestDb;
  let jobs: TestJobs;
  let sim: ReturnType<typeof createSimulator>;
  let samplesBefore: readonly unknown[];
  const secretKeyHex = newKeyHex();

  beforeAll(async () => {
    db = await freshDatabase();
    sim = createSimulator({ seed: 'upgrade', units: hanoiSimUnits() });
    const port = await sim.listen(0);
    await seedOldDemo(db.sql, `http://127.0.0.1:${port}`, secretKeyHex);
    samplesBefore = await db.sql`select * from samples order by unit_id, metric_id, day, source_id`;
    jobs = await testJobs(db, 'pgboss_upgrade');
  });
  afterAll(async () => {
    await jobs?.stop();
    await sim?.close();
    await db?.drop();
  });

  it('ends the old map, creates the new one with its lineage, keeps every sample and every user', async () => {
    const outcome = await upgradeDemoInPlace(db.sql, { jobs: jobs.boss, now: NOW });
    expect(outcome).toMatchObject({ upgraded: true, ended: 30 + 526, history: { from: '2025-07-01', to: '2025-07-10' } });

    expect(await db.sql`select * from samples order by unit_id, metric_id, day, source_id`).toEqual(samplesBefore);
    const [ended] = await db.sql<{ districts: number; communes: number }[]>`
      select count(*) filter (where level = 'district')::int as districts, count(*) filter (where level = 'commune')::int as communes
      from units where valid_to = '2025-06-30' and valid_from is null`;
    expect(ended).toEqual({ districts: 30, communes: 526 });
    const started = await db.sql<{ level: string; n: number }[]>`
      select u.level, count(*)::int as n from units u join units p on p.id = u.parent_id
      where u.valid_from = '2025-07-01' and u.valid_to is null and p.gso_code = '01' group by u.level order by u.level`;
    expect(started).toEqual([{ level: 'commune', n: 126 }, { level: 'department', n: reg.departments.length }]);
    expect(await db.sql`select count(*)::int as n from unit_lineage`).toEqual([{ n: 795 }]);
    // Xã Thanh Oai is a new unit with Thị trấn Kim Bài's code, carrying Kim Bài whole and Xã Kim Thư in part.
    const thanhOai = await db.sql`
      select o.gso_code, o.name, l.note, l.share, l.estimated from unit_lineage l
      join units o on o.id = l.predecessor_id join units n on n.id = l.successor_id
      where n.gso_code = '10114' and n.valid_to is null order by o.gso_code`;
    expect(thanhOai).toContainEqual({ gso_code: '10114', name: 'Thị trấn Kim Bài', note: 'Nhập toàn bộ', share: 1, estimated: false });
    expect(thanhOai).toContainEqual({ gso_code: '10159', name: 'Xã Kim Thư', note: 'Nhập một phần', share: 0.5, estimated: true });
    // Every commune of the city has a tile; the districts keep theirs.
    expect(await db.sql`select count(*)::int as n from units where valid_from = '2025-07-01' and level = 'commune' and tile_col is not null`).toEqual([{ n: 126 }]);
    expect(await db.sql`select count(*)::int as n from units where level = 'district' and tile_col is not null`).toEqual([{ n: 30 }]);
    expect(await db.sql`select value from app_meta where key = 'home_unit'`).toEqual([{ value: '01' }]);
    // The stored samples stay; those of an old commune after its last day no longer count.
    const counted = await db.sql<{ code: string; day: string }[]>`
      select u.gso_code as code, e.day::text from effective_samples e join units u on u.id = e.unit_id order by 1, 2`;
    expect(counted.map((c) => `${c.code} ${c.day}`)).toEqual(['10114 2025-06-29', '10114 2025-06-30', '10147 2025-06-29', '10147 2025-06-30', '278 2025-06-29', '278 2025-06-30']);
    // The city's rollup holds the old communes (the tree) and the new ones; Xã Thanh Oai's the communes it came from.
    const [rollup] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from unit_rollup r join units a on a.id = r.ancestor_id join units d on d.id = r.descendant_id
      where a.gso_code = '10114' and a.valid_to is null and d.valid_to = '2025-06-30'`;
    expect(rollup!.n).toBe(6);

    // The upload templates list the units in force today that report the family.
    const template = async (family: string) => (await templateSpec(db.sql, family)).units.map((u) => u.code);
    expect(await template('eid')).toEqual(reg.communes.map((u) => u.gsoCode).sort());
    expect(await template('payment')).toHaveLength(126);
    for (const family of ['dossier', 'task']) {
      expect(await template(family)).toEqual([...reg.communes.map((u) => u.gsoCode).sort(), ...reg.departments.map((u) => u.gsoCode).sort()]);
    }

    await seedDemoUsers(db.sql);
    const people = await db.sql`
      select u.username, u.role, n.gso_code as unit, n.name as unit_name, n.valid_to::text from users u left join units n on n.id = u.unit_id order by u.username`;
    expect(people).toEqual([
      { username: 'admin', role: 'admin', unit: null, unit_name: null, valid_to: null },
      { username: 'leader', role: 'leader', unit: null, unit_name: null, valid_to: null },
      { username: 'officer-278', role: 'officer', unit: '278', unit_name: 'Huyện Thanh Oai', valid_to: '2025-06-30' },
      { username: 'officer-so-noi-vu', role: 'officer', unit: '01-S02', unit_name: 'Sở Nội vụ', valid_to: null },
      { username: 'officer-thanh-oai', role: 'officer', unit: '10114', unit_name: 'Xã Thanh Oai', valid_to: null }
    ]);
  });

  it("queues the new units' history, which the workers fill from the simulator", async () => {
    const queued = await jobs.boss.findJobs(HISTORY_QUEUE);
    expect(queued.map((j) => j.data)).toEqual([{ from: '2025-07-01', to: '2025-07-10' }]);
    await jobs.work({ secretKeyHex });
    await jobs.settled(HISTORY_QUEUE, queued[0]!.id);
    const stored = await db.sql<{ level: string; units: number; first: string; last: string }[]>`
      select u.level, count(distinct u.id)::int as units, min(s.day)::text as first, max(s.day)::text as last
      from samples s join units u on u.id = s.unit_id where s.day >= '2025-07-01' and u.valid_to is null
      group by u.level order by u.level`;
    expect(stored).toEqual([
      { level: 'commune', units: 126, first: '2025-07-01', last: '2025-07-10' },
      { level: 'department', units: reg.departments.length, first: '2025-07-01', last: '2025-07-10' }
    ]);
    // Nothing new on the old units after their last day: only the four samples the old polls stored.
    expect(await db.sql`select count(*)::int as n from samples s join units u on u.id = s.unit_id where u.valid_to is not null and s.day > u.valid_to`).toEqual([{ n: 6 }]);
    // Departments have no e-ID nor payment figures.
    expect(await db.sql`
      select count(*)::int as n from samples s join units u on u.id = s.unit_id join metrics m on m.id = s.metric_id
      where u.level = 'department' and m.family in ('eid', 'payment')`).toEqual([{ n: 0 }]);
  });

  it('changes nothing the second time', async () => {
    const before = await snapshot(db.sql);
    const fact = await db.sql`select value from app_meta where key = ${REFORM_FACT}`;
    expect(await upgradeDemoInPlace(db.sql, { jobs: jobs.boss, now: NOW })).toEqual({ upgraded: false, reason: 'done' });
    // The step itself is idempotent too (what an interrupted, retried start would run again).
    await db.sql.begin((tx) => applyDemoReform(tx));
    expect(await snapshot(db.sql)).toEqual(before);
    expect(await db.sql`select value from app_meta where key = ${REFORM_FACT}`).toEqual(fact);
    expect(await db.sql`select count(*)::int as n from samples where day < '2025-07-01'`).toEqual([{ n: 6 }]);
  });

  it('leaves a register that is not the old demo alone', async () => {
    const other = await freshDatabase();
    try {
      await upsertUnits(other.sql, loadUnitsCsv().filter((u) => u.gsoCode !== '10114')); // not the old demo's units
      const boss = await testJobs(other, 'pgboss_other');
      try {
        expect(await upgradeDemoInPlace(other.sql, { jobs: boss.boss, now: NOW })).toEqual({ upgraded: false, reason: 'not_old_demo' });
        expect(await other.sql`select count(*)::int as n from units where valid_to is not null or valid_from is not null`).toEqual([{ n: 0 }]);
      } finally {
        await boss.stop();
      }
    } finally {
      await other.drop();
    }
  });

  it("gives the same units as a fresh seed's", async () => {
    const fresh = await freshDatabase();
    try {
      await fresh.sql.begin((tx) => seedDemoUnits(tx, syntheticPopulation));
      const a = await snapshot(fresh.sql);
      const b = await snapshot(db.sql);
      expect(a.units).toEqual(b.units);
      expect(a.lineage).toEqual(b.lineage);
      expect(a.rollup).toEqual(b.rollup);
      // Twice is once for the seed's step as well.
      await fresh.sql.begin((tx) => seedDemoUnits(tx, syntheticPopulation));
      expect(await snapshot(fresh.sql)).toEqual(a);
    } finally {
      await fresh.drop();
    }
  });
});
