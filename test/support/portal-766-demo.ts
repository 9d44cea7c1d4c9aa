/**
 * A whole province's 766 figures for the screens' tests (and a developer's database): every child of
 * the scope in force, and the scope itself, for some months, with their quarters and years, written
 * as a periodic source stores them (test/support/period-values.ts) — deterministic, varied, and with
 * the portal's published group scores equal to the re-computation except where a test plants a
 * difference. What the portal simulator and the periodic sources will give for real; until then, this.
 */
import type { Sql } from '../../db/client.ts';
import { NATIONAL_766_SCHEME, PORTAL_766_GROUPS } from '../../src/lib/domain/catalogue.ts';
import { periodOf, type Period } from '../../src/lib/domain/periods.ts';
import { points, round } from '../../src/lib/domain/ratio.ts';
import { periodSource, writePeriodValues, type PeriodValue } from './period-values.ts';

/** A published group score set apart from ours: `delta` points added to the formula's. */
export interface PlantedDifference {
  unitCode: string;
  /** The month's first day (YYYY-MM-01). */
  month: string;
  group: string;
  delta: number;
}

/** A small deterministic generator from a string (the unit and the month): the same figures on every run. */
function random(seed: string): () => number {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

const pair = (code: string, n: number, d: number) => ({ [`p766.${code}.n`]: n, [`p766.${code}.d`]: d });

/** One unit's counts for a month (no published scores yet); `big`: a department (more dossiers). */
export function monthCounts(code: string, month: string, big: boolean): Record<string, number> {
  const r = random(`${code}|${month}`);
  const int = (lo: number, hi: number) => Math.floor(lo + r() * (hi - lo + 1));
  const part = (d: number, lo: number, hi: number) => Math.min(d, Math.round(d * (lo + r() * (hi - lo))));
  const received = big ? int(400, 3000) : int(60, 900);
  const onTime = part(received, 0.72, 1);
  // Two units in a hundred: no national report data for the sync (0 of 0, not counted).
  const syncD = r() < 0.02 ? 0 : received;
  const obligation = int(10, big ? 400 : 120);
  const feeFormality = int(4, 30);
  const satD = int(80, 1500);
  const petitions = r() < 0.4 ? 0 : int(1, 8);
  const resolved = part(received, 0.85, 1);
  return {
    ...pair('publish_on_time', 0, 0), ...pair('public_update_on_time', 0, 0),
    ...pair('public_content_full', part(50, 0.6, 1), 50), ...pair('dossier_sync', syncD, syncD),
    ...pair('progress', onTime, received),
    'p766.dossier_online_payment_success': part(obligation, 0.4, 1), 'p766.dossier_financial_obligation': obligation,
    'p766.dossier_online_formality_payment_success': part(feeFormality, 0.1, 0.9), 'p766.fee_formality': feeFormality,
    'p766.fee_dossier_formality': part(feeFormality, 0.05, 0.6), 'p766.fee_dossier_formality_distinct': feeFormality,
    ...pair('dossier_receiving_satisfaction', part(satD, 0.45, 0.95), satD),
    ...pair('petition_processing_on_time', part(petitions, 0.3, 1), petitions), ...pair('petition_handling_satisfaction', part(petitions, 0.2, 1), petitions),
    ...pair('original_result_available', part(resolved, 0.3, 0.95), resolved), ...pair('so_hoa_giay_to_giai_quyet', part(resolved, 0.02, 0.4), resolved),
    ...pair('reused_digitized_data', part(received, 0, 0.3), received), ...pair('synced_with_dvcqg_personal_storage', 0, resolved),
    ...pair('citizen_data_connected_dossier', part(received, 0.2, 0.9), received), ...pair('citizen_data_connected_formality', part(40, 0.05, 0.6), 40),
    'p766.electronic_certified_copy.score': 2,
    // The online group cannot be re-derived: its published score is the only figure.
    'p766.score.online': round(3 + r() * 8.5, 2)
  };
}

/** The published group scores the portal's formulas give for these counts (the online group's as given). */
export function publishedScores(values: Record<string, number>): Record<string, number> {
  const sum = (keys: readonly string[]) => keys.reduce((s, k) => s + (values[k] ?? 0), 0);
  const out: Record<string, number> = {};
  for (const g of PORTAL_766_GROUPS) {
    if ('publishedOnly' in g && g.publishedOnly) {
      out[g.publishedMetric] = values[g.publishedMetric]!;
      continue;
    }
    let total = 0;
    for (const ind of NATIONAL_766_SCHEME.indicators.filter((i) => i.group === g.key)) {
      const rule = 'zeroDenominator' in ind ? ind.zeroDenominator : 'none';
      if ('published' in ind && ind.published) {
        total += sum(ind.numerator);
        continue;
      }
      const d = sum(ind.denominator);
      total += d > 0 ? points(sum(ind.numerator) / d, ind.maxPoints, ind.saturation)! : rule === 'zero' ? 0 : rule === 'full' ? ind.maxPoints : 0;
    }
    out[g.publishedMetric] = round(total, 2);
  }
  return out;
}

/** Σ of counts over periods (a quarter from its months); scores (points) averaged, never summed. */
function summed(parts: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + v;
  for (const k of ['p766.score.online', 'p766.electronic_certified_copy.score']) out[k] = round(out[k]! / parts.length, 2);
  return out;
}

export interface PortalDemo {
  /** The periods written (months, their quarters, their years): recompute these. */
  periods: Period[];
  /** The children written (code, level). */
  units: { code: string; level: string }[];
  sourceId: number;
}

/**
 * Writes the months' figures of every child of `scopeCode` in force on each month's first day and of
 * the scope itself (its counts the sums of its children's), with their quarters and years as the
 * portal publishes them (counts summed, the scores of the sums), and the published scores (planted
 * differences added). Does not recompute: the caller does (recomputeRankings(sql, demo.periods)).
 * `priority` (default 100, a system of record's): above every other source's, these values win over
 * what the product's own portal sources poll for the same units and periods.
 */
export async function writePortalDemo(
  sql: Sql,
  options: { scopeCode: string; months: string[]; differences?: PlantedDifference[]; sourceKey?: string; priority?: number }
): Promise<PortalDemo> {
  const sourceId = await periodSource(sql, options.sourceKey ?? 'test-766-demo', options.priority);
  const values: PeriodValue[] = [];
  const byPeriod = new Map<string, { kind: 'month' | 'quarter' | 'year'; start: string; unit: string; parts: Record<string, number>[] }>();
  let units: { code: string; level: string }[] = [];
  for (const month of options.months) {
    units = await sql<{ code: string; level: string }[]>`
      select c.gso_code as code, c.level from units c join units p on p.id = c.parent_id
      where p.gso_code = ${options.scopeCode} and (p.valid_to is null or p.valid_to >= ${month}::date)
        and (c.valid_from is null or c.valid_from <= ${month}::date) and (c.valid_to is null or c.valid_to >= ${month}::date)
      order by c.gso_code`;
    const children = units.map((u) => ({ unit: u.code, counts: monthCounts(u.code, month, u.level !== 'commune') }));
    const scope = { unit: options.scopeCode, counts: summed(children.map((c) => c.counts)) };
    for (const { unit, counts } of [...children, scope]) {
      for (const kind of ['month', 'quarter', 'year'] as const) {
        const start = periodOf(kind, month).start;
        const key = `${kind}|${start}|${unit}`;
        const entry = byPeriod.get(key) ?? { kind, start, unit, parts: [] };
        entry.parts.push(counts);
        byPeriod.set(key, entry);
      }
    }
  }
  for (const p of byPeriod.values()) {
    const counts = summed(p.parts);
    const published = publishedScores(counts);
    for (const d of options.differences ?? []) {
      const metric = `p766.score.${d.group}`;
      if (p.kind === 'month' && d.month === p.start && d.unitCode === p.unit) published[metric] = round(published[metric]! + d.delta, 2);
    }
    values.push({ unitCode: p.unit, kind: p.kind, start: p.start, values: { ...counts, ...published } });
  }
  await writePeriodValues(sql, sourceId, values);
  const periods = [...new Map([...byPeriod.values()].map((p) => [`${p.kind}|${p.start}`, periodOf(p.kind, p.start)])).values()];
  return { periods, units, sourceId };
}
