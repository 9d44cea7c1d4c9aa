/**
 * The seed: units (Hà Nội before and since the reform of 01/07/2025: hanoi-2025.ts, reform.ts), the
 * metric catalogue, the built-in schemes, the demo sources, and history backfilled from the
 * simulator. Runs only on an empty (or half-seeded) database; every step is an upsert, so an
 * interrupted seed simply runs again.
 */
import { eq, sql as expr } from 'drizzle-orm';
import { excluded, orm, type Sql } from '#db/client';
import { rebuildClosure } from '#db/closure';
import { indicators, indicatorSchemes, metrics } from '#db/schema/indicators';
import { appMeta } from '#db/schema/ops';
import { dataSources, DEFAULT_REQUEST } from '#db/schema/sources';
import { units } from '#db/schema/units';
import { METRICS, SCHEMES } from '#domain/catalogue';
import { DEFAULT_BANDS } from '#domain/bands';
import { addDays, periodOf, today } from '#domain/periods';
import type { PgBoss } from 'pg-boss';
import { seal } from '#server/secrets';
import { queueHistory } from '#server/jobs/send';
import { backfillSource, recomputeRange } from '../pipeline/backfill.ts';
import { loadSource } from '../pipeline/poll.ts';
import { splitAtRegisterChanges } from '../pipeline/history.ts';
import type { Logger } from '../log.ts';
import { DEMO_SOURCES } from './demo-sources.ts';
import { uniform } from './random.ts';
import { type TileRow, type UnitRow } from './units-csv.ts';
import { DEMO_HISTORY_FROM } from './hanoi-2025.ts';
import { placeTiles as placeUnitTiles, seedDemoUnits, setFact, upsertCurrentUnits } from './reform.ts';

export async function isSeeded(sql: Sql): Promise<boolean> {
  const [row] = await orm(sql).select({ key: appMeta.key }).from(appMeta).where(eq(appMeta.key, 'seeded_at'));
  return Boolean(row);
}

/** Inserts or updates units in force by GSO code, links parents, and rebuilds the closure table (the test world's units). */
export async function upsertUnits(sql: Sql, rows: UnitRow[]): Promise<void> {
  await upsertCurrentUnits(sql, rows, syntheticPopulation);
  await rebuildClosure(sql);
}

/** Places units on their parent's tile map (the wall's and the overview's map scene). */
export async function placeTiles(sql: Sql, tiles: TileRow[]): Promise<void> {
  await placeUnitTiles(sql, tiles);
}

/** No trustworthy population per unit was found: generated, and flagged synthetic (a new commune's: reform.ts). */
export function syntheticPopulation(u: UnitRow): number | null {
  if (u.level !== 'commune') return null;
  return Math.round(6_000 + 24_000 * uniform('population', u.gsoCode));
}

export async function seedCatalogue(sql: Sql): Promise<void> {
  const db = orm(sql);
  // One statement; new metrics get their ids in catalogue order.
  await db
    .insert(metrics)
    .values(METRICS.map((m) => ({
      key: m.key, family: m.family, aggregation: m.aggregation, cadence: m.cadence, unit: m.unit, partOf: m.partOf ?? null, periodic: m.periodic ?? false,
      nameVi: m.nameVi, nameEn: m.nameEn
    })))
    .onConflictDoUpdate({
      target: metrics.key,
      set: {
        family: excluded(metrics.family), aggregation: excluded(metrics.aggregation), cadence: excluded(metrics.cadence), unit: excluded(metrics.unit),
        partOf: excluded(metrics.partOf), periodic: excluded(metrics.periodic), nameVi: excluded(metrics.nameVi), nameEn: excluded(metrics.nameEn)
      }
    });
  // Every built-in scheme (operations, national_766, national_766_progress), each active in its version 1; a scheme that
  // names no bands gets the default ones (Xuất sắc 90 / Tốt 80 / Khá 65 / Trung bình 50 / Yếu).
  for (const s of SCHEMES) {
    const [scheme] = await db
      .insert(indicatorSchemes)
      .values({
        key: s.key, version: s.version, nameVi: s.nameVi, nameEn: s.nameEn, active: true, bands: [...(s.bands ?? DEFAULT_BANDS)],
        groups: [...(s.groups ?? [])], totalRule: s.totalRule ?? 'scaled', periodKinds: s.periodKinds ? [...s.periodKinds] : null
      })
      .onConflictDoUpdate({
        target: [indicatorSchemes.key, indicatorSchemes.version],
        set: {
          nameVi: excluded(indicatorSchemes.nameVi), groups: excluded(indicatorSchemes.groups), totalRule: excluded(indicatorSchemes.totalRule),
          periodKinds: excluded(indicatorSchemes.periodKinds)
        }
      })
      .returning({ id: indicatorSchemes.id });
    await db
      .insert(indicators)
      .values(s.indicators.map((i, order) => ({
        schemeId: scheme!.id, key: i.key, family: i.family, nameVi: i.nameVi, nameEn: i.nameEn, numerator: [...i.numerator],
        denominator: [...i.denominator], direction: i.direction, maxPoints: i.maxPoints, saturation: i.saturation,
        numeratorNounVi: i.numeratorNounVi, sortOrder: order, groupKey: i.group ?? null, zeroDenominator: i.zeroDenominator ?? 'none',
        published: i.published ?? false
      })))
      .onConflictDoUpdate({
        target: [indicators.schemeId, indicators.key],
        set: {
          family: excluded(indicators.family), numerator: excluded(indicators.numerator), denominator: excluded(indicators.denominator),
          maxPoints: excluded(indicators.maxPoints), saturation: excluded(indicators.saturation), sortOrder: excluded(indicators.sortOrder),
          groupKey: excluded(indicators.groupKey), zeroDenominator: excluded(indicators.zeroDenominator), published: excluded(indicators.published)
        }
      });
  }
}

/**
 * The demo systems as source rows (upserted by key); returns their ids in DEMO_SOURCES order. A
 * source whose code system no unit carries is left out: the national portal's sources (codes
 * `portal`, `portal_id`) exist on the map of 01/07/2025 only, not on a test world of the 2024 map.
 */
export async function seedDemoSources(
  sql: Sql,
  options: { simulatorUrl: string; secretKeyHex: string; intervalSeconds: number; only?: string[] }
): Promise<number[]> {
  const ids: number[] = [];
  const carried = new Set(
    (await sql<{ system: string }[]>`select distinct jsonb_object_keys(external_codes) as system from units where external_codes <> '{}'::jsonb`).map((r) => r.system)
  );
  const seeded = DEMO_SOURCES.filter((d) => (!options.only || options.only.includes(d.key)) && (!d.codeSystem || d.codeSystem === 'gso' || carried.has(d.codeSystem)));
  for (const d of seeded) {
    const credentials = seal(JSON.stringify(d.credentials), options.secretKeyHex);
    const t = dataSources;
    const interval = d.intervalSeconds ?? options.intervalSeconds;
    const [row] = await orm(sql)
      .insert(t)
      .values({
        key: d.key, name: d.name, family: d.family, kind: d.kind, produces: d.produces, mapping: d.mapping, granularity: d.granularity,
        urlTemplate: d.kind === 'upload' ? '' : options.simulatorUrl + d.path, authKind: d.credentials.kind,
        credentialsSealed: d.credentials.kind === 'none' ? null : credentials, intervalSeconds: interval, timeoutMs: d.timeoutMs ?? 4000,
        staleAfterSeconds: d.staleAfterSeconds ?? interval * 4, trailingDays: d.trailingDays ?? 3, dailyDeadline: d.dailyDeadline, priority: d.priority,
        request: d.request ?? DEFAULT_REQUEST, codeSystem: d.codeSystem ?? 'gso', periods: d.periods ?? null
      })
      .onConflictDoUpdate({
        target: t.key,
        // Everything but trailing_days, which an administrator may have changed.
        set: {
          name: excluded(t.name), family: excluded(t.family), kind: excluded(t.kind), produces: excluded(t.produces), mapping: excluded(t.mapping),
          granularity: excluded(t.granularity), urlTemplate: excluded(t.urlTemplate), authKind: excluded(t.authKind),
          credentialsSealed: excluded(t.credentialsSealed), intervalSeconds: excluded(t.intervalSeconds), timeoutMs: excluded(t.timeoutMs),
          staleAfterSeconds: excluded(t.staleAfterSeconds), dailyDeadline: excluded(t.dailyDeadline), priority: excluded(t.priority),
          request: excluded(t.request), codeSystem: excluded(t.codeSystem), periods: excluded(t.periods), updatedAt: expr`now()`
        }
      })
      .returning({ id: t.id });
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
    /** Days of history; unset: from DEMO_HISTORY_FROM (or 430 days, when that is longer), across the reform. */
    backfillDays?: number;
    now?: Date;
    log?: Logger;
    /** Where the older history is queued (see `#server/pipeline/history`). */
    jobs: PgBoss;
  }
): Promise<void> {
  const log = options.log;
  await sql.begin((tx) => seedDemoUnits(tx, syntheticPopulation));
  await seedCatalogue(sql);
  const sourceIds = await seedDemoSources(sql, options);
  log?.info('units, catalogue and demo sources seeded');
  // Recent weeks now, so the boards show at once; older history is left to the workers' history job.
  const to = today(options.now);
  const historyFrom = historyStart(to, options.backfillDays);
  const recentFrom = [periodOf('month', addDays(periodOf('month', to).start, -1)).start, historyFrom].sort().at(-1)!;
  const recent = await splitAtRegisterChanges(sql, { from: recentFrom, to });
  for (const id of sourceIds) {
    const source = (await loadSource(sql, id))!;
    if (source.kind === 'upload') continue;
    for (const range of recent) {
      try {
        await backfillSource(sql, source, range, { secretKeyHex: options.secretKeyHex, log, recompute: false });
      } catch (e) {
        // A periodic source (the portal, whose gateway fails a third of its requests at the end of a
        // month) does not stop the seed: its hourly polls and the history job read its periods again.
        if (!source.periods?.length) throw e;
        log?.warn({ source: source.key, from: range.from, to: range.to, err: e }, 'periodic source not read at seed; its polls will read it');
      }
    }
  }
  await recomputeRange(sql, { from: recentFrom, to }, log);
  // The older history is a job for the workers (started next); queued before seeded_at, so a seed
  // interrupted here runs again and queues it again (one at a time: the second is absorbed).
  if (historyFrom < recentFrom) await queueHistory(options.jobs, { from: historyFrom, to: addDays(recentFrom, -1) });
  await setFact(sql, 'seeded_at', new Date().toISOString());
}

/**
 * The first day of the seed's history: `backfillDays` back from `to` when given; else DEMO_HISTORY_FROM
 * (the reporting year 2025, so the history crosses the reform of REFORM_DAY) or 430 days back, whichever is earlier.
 */
export function historyStart(to: string, backfillDays?: number): string {
  if (backfillDays !== undefined) return addDays(to, -(backfillDays - 1));
  return [DEMO_HISTORY_FROM, addDays(to, -429), to].sort()[0]!;
}
