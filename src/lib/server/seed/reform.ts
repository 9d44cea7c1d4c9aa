/**
 * The demo's units as they are today (hanoi-2025.ts): the seed stores them, and an installation
 * seeded with the old demo (Hà Nội's 2024 map only, in force with no end) is upgraded in place.
 *
 * `applyDemoReform` is the one step both use: set-based SQL in the caller's transaction, idempotent
 * (a second run changes nothing): it ends the 30 districts and 526 communes on 30/06/2025, creates
 * the 126 new communes and the departments from 01/07/2025 (new rows, also where a code is an old
 * commune's) with the national portal's codes (portal-codes.ts), writes the 795 lineage links with
 * their shares, gives the new communes a synthetic population (their predecessors', times the
 * shares) and their tiles, rebuilds unit_closure and unit_rollup, and sets the home unit. No
 * sample is touched: an old commune's samples after 30/06/2025 stay in `samples`; the view
 * effective_samples no longer counts them.
 *
 * `upgradeDemoInPlace` runs at start (workers/supervisor/start.ts) on a seeded installation: once,
 * recorded as the app_meta fact REFORM_FACT in the same transaction as the change and the history
 * jobs it queues (the new units' figures from 01/07/2025 to today, by the workers' backfill-history
 * job), so an interrupted start leaves nothing half done and the next start simply does it.
 *
 * Overlap with the units import (src/lib/server/admin/units.ts, the reform import of issue 14): both
 * end units, create the new ones and write unit_lineage from lineageShares(); this step is the demo's
 * fixed register (its files, its departments and tiles, the old-demo check), the import the general one.
 */
import { sql as expr } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { orm, excluded, type Queryable, type Sql } from '#db/client';
import { rebuildClosure } from '#db/closure';
import { appMeta } from '#db/schema/ops';
import { addDays, periodOf, today } from '#domain/periods';
import { HISTORY_QUEUE, type HistoryJob } from '#server/jobs/queues';
import { inTransaction } from '#server/jobs/send';
import { HOME_UNIT_FACT } from '../boards.ts';
import type { Logger } from '../log.ts';
import { HOME_CODE, LAST_OLD_DAY, REFORM_DAY, hanoiRegister } from './hanoi-2025.ts';
import { writePortalCodes } from './portal-codes.ts';
import { HANOI_2025_TILES_CSV, HANOI_TILES_CSV, loadTilesCsv, type TileRow, type UnitRow } from './units-csv.ts';

/** app_meta: when the demo's units were brought to the map of 01/07/2025 (by the seed or an upgrade), as JSON. */
export const REFORM_FACT = 'demo_reform_2025';

/** The history an upgrade queues: the new units' figures, from the reform day to today. */
export const UPGRADE_HISTORY_KEY = 'history:demo-reform-2025';

/** One process at a time changes the demo's units (two starts on one database wait for each other). */
const LOCK = expr`select pg_advisory_xact_lock(hashtext('cityops:demo-reform-2025'))`;

async function lock(tx: Queryable): Promise<void> {
  await orm(tx).execute(LOCK);
}

const arrays = (rows: UnitRow[]) => ({
  codes: rows.map((r) => r.gsoCode),
  names: rows.map((r) => r.name),
  levels: rows.map((r) => r.level),
  types: rows.map((r) => r.type)
});

/**
 * The units of 01/07/2025 on top of the old map (which must be stored: hanoi.csv's rows). In the
 * caller's transaction; idempotent. Returns how many old units it ended now (0 on a second run).
 */
export async function applyDemoReform(tx: Queryable): Promise<{ ended: number }> {
  await lock(tx);
  const reg = hanoiRegister();
  const oldCodes = reg.before.map((u) => u.gsoCode);
  // 1. The districts and communes end on the eve of the reform: the old rows only (no valid_from;
  //    a new commune that kept the code starts on the reform day).
  const ended = await tx`
    update units set valid_to = ${LAST_OLD_DAY}
    where gso_code = any(${oldCodes}::text[]) and level in ('district', 'commune') and valid_to is null and valid_from is null
    returning id`;
  // 2. The new communes and the departments, under the city, from the reform day: new rows (the
  //    code is free among the units in force now), or the same rows again on a second run.
  const created = arrays([...reg.communes, ...reg.departments]);
  await tx`
    insert into units (gso_code, name, level, type, parent_id, population_synthetic, valid_from)
    select t.code, t.name, t.level, t.type, city.id, true, ${REFORM_DAY}::date
    from unnest(${created.codes}::text[], ${created.names}::text[], ${created.levels}::text[], ${created.types}::text[]) as t(code, name, level, type)
    cross join (select id from units where gso_code = ${HOME_CODE} and valid_to is null) city
    on conflict (gso_code) where valid_to is null
    do update set name = excluded.name, level = excluded.level, type = excluded.type, parent_id = excluded.parent_id, valid_from = excluded.valid_from`;
  // 2b. The national portal's codes (H26, H26.01 …, H26.100 …) of the city and these units, into external_codes.
  await writePortalCodes(tx, REFORM_DAY);
  // 3. The lineage: each old commune into its new one(s), with the register's words and the share.
  const l = reg.lineage;
  await tx`
    insert into unit_lineage (predecessor_id, successor_id, note, share, estimated)
    select o.id, n.id, t.note, t.share, t.estimated::bool
    from unnest(${l.map((x) => x.oldCode)}::text[], ${l.map((x) => x.newCode)}::text[], ${l.map((x) => x.note)}::text[],
                ${l.map((x) => x.share)}::float8[], ${l.map((x) => String(x.estimated))}::text[]) as t(old, new, note, share, estimated)
    join units o on o.gso_code = t.old and o.valid_to = ${LAST_OLD_DAY}::date and o.level = 'commune'
    join units n on n.gso_code = t.new and n.valid_from = ${REFORM_DAY}::date and n.valid_to is null and n.level = 'commune'
    on conflict (predecessor_id, successor_id)
    do update set note = excluded.note, share = excluded.share, estimated = excluded.estimated`;
  // 4. No official population per commune: the new commune's synthetic one is its predecessors', times the shares.
  await tx`
    update units n set population = p.population
    from (
      select l.successor_id as id, round(sum(l.share * o.population))::int as population
      from unit_lineage l join units o on o.id = l.predecessor_id
      group by l.successor_id
    ) p
    where n.id = p.id and n.valid_from = ${REFORM_DAY}::date and n.population is distinct from p.population`;
  // 5. The new communes' tiles (the old districts keep theirs, for the boards before the reform).
  await placeTiles(tx, loadTilesCsv(HANOI_2025_TILES_CSV));
  await rebuildClosure(tx);
  // 6. The home unit (kept when an administrator or an import has set one).
  await orm(tx).insert(appMeta).values({ key: HOME_UNIT_FACT, value: HOME_CODE }).onConflictDoNothing({ target: appMeta.key });
  return { ended: ended.length };
}

/**
 * Places units on their parent's tile map. A code held by several units over time (10114) places
 * the one in force today, else the newest: the same rule as readUnit.
 */
export async function placeTiles(tx: Queryable, tiles: TileRow[]): Promise<void> {
  const day = today();
  await tx`
    update units u set tile_col = t.col, tile_row = t.row
    from unnest(${tiles.map((t) => t.gsoCode)}::text[], ${tiles.map((t) => t.col)}::int[], ${tiles.map((t) => t.row)}::int[]) as t(code, col, row)
    where u.id = (
      select v.id from units v where v.gso_code = t.code
      order by (coalesce(v.valid_from <= ${day}::date, true) and coalesce(v.valid_to >= ${day}::date, true)) desc, v.valid_to desc nulls first
      limit 1)
      and (u.tile_col is distinct from t.col or u.tile_row is distinct from t.row)`;
}

/** Inserts or updates the units in force by GSO code and links their parents (no closure rebuild). */
export async function upsertCurrentUnits(tx: Queryable, rows: UnitRow[], population: (u: UnitRow) => number | null): Promise<void> {
  if (!rows.length) return;
  const a = arrays(rows);
  await tx`
    insert into units (gso_code, name, level, type, population, population_synthetic)
    select t.code, t.name, t.level, t.type, t.population, true
    from unnest(${a.codes}::text[], ${a.names}::text[], ${a.levels}::text[], ${a.types}::text[], ${rows.map(population)}::int[]) as t(code, name, level, type, population)
    on conflict (gso_code) where valid_to is null
    do update set name = excluded.name, level = excluded.level, type = excluded.type`;
  // A parent per row in one statement, both in force.
  await tx`
    update units u set parent_id = p.id
    from unnest(${a.codes}::text[], ${rows.map((r) => r.parentGsoCode ?? '')}::text[]) as t(code, parent)
    join units p on p.gso_code = t.parent and p.valid_to is null
    where u.gso_code = t.code and u.valid_to is null and u.parent_id is distinct from p.id`;
}

/**
 * The seed's units: the old map (unless the reform already ended it: an interrupted seed runs
 * again), the district tiles, then the reform, and REFORM_FACT; in the caller's transaction.
 */
export async function seedDemoUnits(tx: Queryable, population: (u: UnitRow) => number | null): Promise<void> {
  await lock(tx);
  const reg = hanoiRegister();
  const [reformed] = await tx`select 1 from units where valid_to = ${LAST_OLD_DAY}::date and gso_code = any(${reg.before.map((u) => u.gsoCode)}::text[]) limit 1`;
  if (!reformed) {
    await upsertCurrentUnits(tx, [reg.city, ...reg.before], population);
    await placeTiles(tx, loadTilesCsv(HANOI_TILES_CSV));
  }
  await applyDemoReform(tx);
  await setFact(tx, REFORM_FACT, JSON.stringify({ at: new Date().toISOString(), by: 'seed' }));
}

export type UpgradeOutcome =
  | { upgraded: true; ended: number; history: HistoryJob | null }
  | { upgraded: false; reason: 'done' | 'not_old_demo' };

/**
 * Brings an installation seeded with the old demo to the map of 01/07/2025, once. The old demo is
 * recognised by its units: every district and commune of hanoi.csv in force, with no days of their
 * own, and no commune of the city starting on a day (so a register imported by an administrator is
 * never touched). Anything else is recorded as not an old demo, and left alone.
 * The new units' history (from the reform day to today) is queued for the workers in the same
 * transaction, as two jobs: the recent weeks first, so that this month's board fills within
 * seconds of the workers' start, then the months before.
 */
export async function upgradeDemoInPlace(sql: Sql, options: { jobs: PgBoss; now?: Date; log?: Logger }): Promise<UpgradeOutcome> {
  const reg = hanoiRegister();
  const oldCodes = reg.before.map((u) => u.gsoCode);
  const outcome = await sql.begin(async (tx): Promise<UpgradeOutcome> => {
    await lock(tx);
    const [done] = await tx<{ value: string }[]>`select value from app_meta where key = ${REFORM_FACT}`;
    if (done) {
      // A demo moved to the 2025 map before the portal's codes existed gets them now (idempotent, merged).
      if (!done.value.includes('"skipped"')) await writePortalCodes(tx, REFORM_DAY);
      return { upgraded: false, reason: 'done' };
    }
    const [shape] = await tx<{ old: number; dated: number }[]>`
      select
        (select count(*)::int from units where gso_code = any(${oldCodes}::text[]) and level in ('district', 'commune') and valid_from is null and valid_to is null) as old,
        (select count(*)::int from units c join units p on p.id = c.parent_id
          where p.gso_code = ${HOME_CODE} and c.level = 'commune' and c.valid_from is not null) as dated`;
    if (shape!.old !== oldCodes.length || shape!.dated > 0) {
      await setFact(tx, REFORM_FACT, JSON.stringify({ at: new Date().toISOString(), by: 'upgrade', skipped: 'not the old demo', ...shape }));
      return { upgraded: false, reason: 'not_old_demo' };
    }
    const { ended } = await applyDemoReform(tx);
    const to = today(options.now);
    let history: HistoryJob | null = null;
    if (REFORM_DAY <= to) {
      history = { from: REFORM_DAY, to };
      const recentFrom = [periodOf('month', addDays(periodOf('month', to).start, -1)).start, REFORM_DAY].sort().at(-1)!;
      const jobs = [{ data: { from: recentFrom, to } satisfies HistoryJob, singletonKey: `${UPGRADE_HISTORY_KEY}:recent`, priority: 1 }];
      if (REFORM_DAY < recentFrom) jobs.push({ data: { from: REFORM_DAY, to: addDays(recentFrom, -1) }, singletonKey: UPGRADE_HISTORY_KEY, priority: 0 });
      await options.jobs.insert(HISTORY_QUEUE, jobs, { db: inTransaction(tx) });
    }
    await setFact(tx, REFORM_FACT, JSON.stringify({ at: new Date().toISOString(), by: 'upgrade', ended, history }));
    return { upgraded: true, ended, history };
  });
  if (outcome.upgraded) {
    options.log?.info({ ended: outcome.ended, history: outcome.history }, 'the demo moved to the map of 01/07/2025: districts and old communes ended 30/06/2025, 126 communes and the departments from 01/07/2025; their history is queued');
  }
  return outcome;
}

/** Writes one fact of app_meta. */
export async function setFact(tx: Queryable, key: string, value: string): Promise<void> {
  await orm(tx)
    .insert(appMeta)
    .values({ key, value })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: excluded(appMeta.value), updatedAt: expr`now()` } });
}
