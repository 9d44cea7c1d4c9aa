/**
 * The seed: units, the metric catalogue, the built-in schemes, the demo sources, and history
 * backfilled from the simulator. Runs only on an empty (or half-seeded) database; every step is
 * an upsert, so an interrupted seed simply runs again.
 */
import type { Sql } from '#db/client';
import { rebuildClosure } from '#db/closure';
import { METRICS, SCHEMES } from '#domain/catalogue';
import { DEFAULT_BANDS } from '#domain/bands';
import { addDays, periodOf, today } from '#domain/periods';
import { seal } from '#server/secrets';
import { backfillSource, recomputeRange } from '../pipeline/backfill.ts';
import { loadSource } from '../pipeline/poll.ts';
import type { Logger } from '../log.ts';
import { DEMO_SOURCES } from './demo-sources.ts';
import { uniform } from './random.ts';
import { loadTilesCsv, loadUnitsCsv, type TileRow, type UnitRow } from './units-csv.ts';

export async function isSeeded(sql: Sql): Promise<boolean> {
  const [row] = await sql`select 1 from app_meta where key = 'seeded_at'`;
  return Boolean(row);
}

/** Inserts or updates units by GSO code, links parents, and rebuilds the closure table. */
export async function upsertUnits(sql: Sql, rows: UnitRow[]): Promise<void> {
  await sql`
    insert into units (gso_code, name, level, type, population, population_synthetic)
    select code, name, level, type, pop, true
    from unnest(${sql.array(rows.map((r) => r.gsoCode))}::text[], ${sql.array(rows.map((r) => r.name))}::text[],
                ${sql.array(rows.map((r) => r.level))}::text[], ${sql.array(rows.map((r) => r.type))}::text[],
                ${sql.array(rows.map((r) => syntheticPopulation(r)))}::int[]) as t(code, name, level, type, pop)
    on conflict (gso_code) do update set name = excluded.name, level = excluded.level, type = excluded.type`;
  await sql`
    update units u set parent_id = p.id
    from unnest(${sql.array(rows.map((r) => r.gsoCode))}::text[], ${sql.array(rows.map((r) => r.parentGsoCode ?? ''))}::text[]) as t(code, parent)
    join units p on p.gso_code = t.parent
    where u.gso_code = t.code`;
  await rebuildClosure(sql);
}

/** Places units on their parent's tile map (the wall's and the overview's map scene). */
export async function placeTiles(sql: Sql, tiles: TileRow[]): Promise<void> {
  await sql`
    update units u set tile_col = t.col, tile_row = t.row
    from unnest(${sql.array(tiles.map((t) => t.gsoCode))}::text[], ${sql.array(tiles.map((t) => t.col))}::int[],
                ${sql.array(tiles.map((t) => t.row))}::int[]) as t(code, col, row)
    where u.gso_code = t.code`;
}



/** No trustworthy population per unit was found: generated, and flagged synthetic. */
function syntheticPopulation(u: UnitRow): number | null {
  if (u.level !== 'commune') return null;
  return Math.round(6_000 + 24_000 * uniform('population', u.gsoCode));
}

export async function seedCatalogue(sql: Sql): Promise<void> {
  for (const m of METRICS) {
    await sql`
      insert into metrics (key, family, aggregation, cadence, unit, part_of, name_vi, name_en)
      values (${m.key}, ${m.family}, ${m.aggregation}, ${m.cadence}, ${m.unit}, ${m.partOf ?? null}, ${m.nameVi}, ${m.nameEn})
      on conflict (key) do update set family = excluded.family, aggregation = excluded.aggregation, cadence = excluded.cadence,
        unit = excluded.unit, part_of = excluded.part_of, name_vi = excluded.name_vi, name_en = excluded.name_en`;
  }
  // Every built-in scheme (operations, national_766), each active in its version 1; a scheme that
  // names no bands gets the default ones (Xuất sắc 90 / Tốt 80 / Khá 65 / Trung bình 50 / Yếu).
  for (const s of SCHEMES) {
    const [scheme] = await sql<{ id: number }[]>`
      insert into indicator_schemes (key, version, name_vi, name_en, active, bands)
      values (${s.key}, ${s.version}, ${s.nameVi}, ${s.nameEn}, true, ${JSON.stringify(s.bands ?? DEFAULT_BANDS)}::jsonb)
      on conflict (key, version) do update set name_vi = excluded.name_vi
      returning id`;
    let order = 0;
    for (const i of s.indicators) {
      await sql`
        insert into indicators (scheme_id, key, family, name_vi, name_en, numerator, denominator, direction, max_points, saturation,
                                numerator_noun_vi, sort_order)
        values (${scheme!.id}, ${i.key}, ${i.family}, ${i.nameVi}, ${i.nameEn}, ${sql.array([...i.numerator])}, ${sql.array([...i.denominator])},
                ${i.direction}, ${i.maxPoints}, ${i.saturation}, ${i.numeratorNounVi}, ${order++})
        on conflict (scheme_id, key) do update set family = excluded.family, numerator = excluded.numerator,
          denominator = excluded.denominator, max_points = excluded.max_points, saturation = excluded.saturation,
          sort_order = excluded.sort_order`;
    }
  }
}

/** The demo systems as source rows (upserted by key); returns their ids in DEMO_SOURCES order. */
export async function seedDemoSources(
  sql: Sql,
  options: { simulatorUrl: string; secretKeyHex: string; intervalSeconds: number; only?: string[] }
): Promise<number[]> {
  const ids: number[] = [];
  for (const d of DEMO_SOURCES.filter((d) => !options.only || options.only.includes(d.key))) {
    const credentials = seal(JSON.stringify(d.credentials), options.secretKeyHex);
    const [row] = await sql<{ id: number }[]>`
      insert into data_sources (key, name, family, kind, produces, mapping, granularity, url_template, auth_kind, credentials_sealed,
                                interval_seconds, timeout_ms, stale_after_seconds, trailing_days, daily_deadline)
      values (${d.key}, ${d.name}, ${d.family}, ${d.kind}, ${d.produces}, ${JSON.stringify(d.mapping)}::jsonb, ${d.granularity},
              ${d.kind === 'upload' ? '' : options.simulatorUrl + d.path}, ${d.credentials.kind},
              ${d.credentials.kind === 'none' ? null : credentials}, ${options.intervalSeconds}, 4000,
              ${d.staleAfterSeconds ?? options.intervalSeconds * 4}, 3, ${d.dailyDeadline})
      on conflict (key) do update set name = excluded.name, family = excluded.family, kind = excluded.kind,
        produces = excluded.produces, mapping = excluded.mapping, granularity = excluded.granularity,
        url_template = excluded.url_template, auth_kind = excluded.auth_kind, credentials_sealed = excluded.credentials_sealed,
        interval_seconds = excluded.interval_seconds, timeout_ms = excluded.timeout_ms, stale_after_seconds = excluded.stale_after_seconds,
        daily_deadline = excluded.daily_deadline, updated_at = now()
      returning id`;
    ids.push(row!.id);
  }
  return ids;
}

export async function seed(
  sql: Sql,
  options: {
    simulatorUrl: string;
    secretKeyHex: string;
    intervalSeconds: number;
    backfillDays: number;
    now?: Date;
    log?: Logger;
  }
): Promise<void> {
  const log = options.log;
  await upsertUnits(sql, loadUnitsCsv());
  await placeTiles(sql, loadTilesCsv());
  await seedCatalogue(sql);
  const sourceIds = await seedDemoSources(sql, options);
  log?.info('units, catalogue and demo sources seeded');
  // Recent weeks now, so the boards show at once; older history is left to the workers' backfill job.
  const to = today(options.now);
  const historyFrom = addDays(to, -(options.backfillDays - 1));
  const recentFrom = [periodOf('month', addDays(periodOf('month', to).start, -1)).start, historyFrom].sort().at(-1)!;
  for (const id of sourceIds) {
    const source = (await loadSource(sql, id))!;
    if (source.kind === 'upload') continue;
    await backfillSource(sql, source, { from: recentFrom, to }, { secretKeyHex: options.secretKeyHex, log, recompute: false });
  }
  await recomputeRange(sql, { from: recentFrom, to }, log);
  if (historyFrom < recentFrom) {
    const pending = JSON.stringify({ from: historyFrom, to: addDays(recentFrom, -1) });
    await sql`insert into app_meta (key, value) values ('history_pending', ${pending})
              on conflict (key) do update set value = excluded.value, updated_at = now()`;
  }
  await sql`insert into app_meta (key, value) values ('seeded_at', ${new Date().toISOString()})
            on conflict (key) do update set value = excluded.value, updated_at = now()`;
}
