/**
 * Read models of the drill-down: one indicator of one unit over a period (day by day, and its
 * children), the raw samples behind one day and the poll runs they came from, and, for the
 * explanation of a rank change, how many of the samples behind each indicator arrived late or
 * were corrected after their day.
 *
 * "The samples behind" a value follow the stock rule of the boards (README, Scoring): a flow's
 * samples are those of the day(s) themselves; a stock's are each unit's last value up to the day,
 * looking back to the start of the period or of the cadence unit it begins in (a monthly welfare
 * stock dated the 1st counts for every day of its month). So the raw samples of a day add up to
 * exactly the numerator and denominator shown for that day.
 */
import { DateTime } from 'luxon';
import { and, desc, eq, exists, inArray, isNull, sql as fragment } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { orm, prepared, type Queryable as Sql } from '#db/client';
import { metrics as metricsTable, unitClosure, units } from '#db/schema/index';
import type { StoredIndicator } from '#db/schema/rankings';
import { DEFAULT_SCHEME_KEY, type BoardPeriodKind, type IndicatorMeta, type IndicatorValue } from '#contract/dto';
import { isProvisional, periodOf, today, ZONE, type Period } from '#domain/periods';
import { ratioOfSums } from '#domain/ratio';
import { readSchemeIndicators } from './boards.ts';
import { childrenIndicatorValues, ownIndicatorValue } from './read/rankings-queries.ts';
import { dayValuesPerMetric, latenessPerMetric, samplesBehindDay } from './read/samples-queries.ts';
import { pollRunSummaries } from './read/sources-queries.ts';

export class DrillNotFoundError extends Error {}

// ---------------------------------------------------------------------------------------------
// Pure rules (unit-tested in drilldown.test.ts; the SQL below applies the same ones)

/** The instant a calendar day plus `days` begins in the city (00:00 ICT), as ISO 8601 UTC. */
export function dayStartIct(day: string, days = 0): string {
  return DateTime.fromISO(day, { zone: ZONE }).plus({ days }).toUTC().toISO()!;
}

/**
 * Late: first stored after the end of the day after the sample's day (ICT), i.e. not by the next
 * day. A sample whose arrival is unknown (stored before provenance was kept, or loaded as history
 * by a backfill) is never late.
 */
export function isLate(day: string, firstSeenAt: string | null): boolean {
  if (!firstSeenAt) return false;
  return new Date(firstSeenAt).getTime() >= new Date(dayStartIct(day, 2)).getTime();
}

/**
 * Corrected: the value changed after it was first stored, and after its own day had ended. A
 * count that grows during its own day (today's dossiers, re-read every poll) is not a correction.
 */
export function isCorrected(day: string, firstSeenAt: string | null, ingestedAt: string | null): boolean {
  if (!firstSeenAt || !ingestedAt) return false;
  const changed = new Date(ingestedAt).getTime();
  return changed > new Date(firstSeenAt).getTime() && changed >= new Date(dayStartIct(day, 1)).getTime();
}

/** Σ of the values of the given metric keys; null when none of them was reported. */
export function sumOf(values: ReadonlyMap<string, number>, keys: readonly string[]): number | null {
  let total = 0;
  let seen = false;
  for (const k of keys) {
    const v = values.get(k);
    if (v !== undefined) {
      total += v;
      seen = true;
    }
  }
  return seen ? total : null;
}

/** A metric's part in an indicator's ratio. */
export function roleOf(indicator: { numerator: readonly string[]; denominator: readonly string[] }, metricKey: string): MetricRole {
  const n = indicator.numerator.includes(metricKey);
  const d = indicator.denominator.includes(metricKey);
  return n && d ? 'both' : n ? 'numerator' : 'denominator';
}

// ---------------------------------------------------------------------------------------------
// Types

export type MetricRole = 'numerator' | 'denominator' | 'both';

export interface DrillUnit {
  code: string;
  name: string;
  level: string;
  type: string;
  hasChildren: boolean;
  /** The unit's ancestors, the root (city) first and its parent last: the breadcrumbs. */
  chain: { code: string; name: string }[];
}

export interface DrillMetric {
  key: string;
  nameVi: string;
  /** flow | stock */
  aggregation: string;
  /** day | month */
  cadence: string;
}

export interface DrillIndicator extends IndicatorMeta {
  numerator: DrillMetric[];
  denominator: DrillMetric[];
}

export interface DrillDay {
  /** YYYY-MM-DD */
  date: string;
  /** Σ over the unit's descendants; null when nothing was reported for the day. */
  numerator: number | null;
  denominator: number | null;
  /** numerator / denominator; null when there is no data or the denominator is 0. */
  ratio: number | null;
}

export interface DrillChild {
  code: string;
  name: string;
  type: string;
  hasChildren: boolean;
  /** From the stored board of this unit's children for the period (null: not computed yet). */
  value: IndicatorValue | null;
}

export interface IndicatorDrill {
  unit: DrillUnit;
  indicator: DrillIndicator;
  period: { kind: BoardPeriodKind; start: string; end: string; provisional: boolean };
  /**
   * The unit's value for the whole period: its row in its parent's stored board; for the root,
   * the sum of its children's (ratio of sums, no points). Null when not computed yet.
   */
  total: IndicatorValue | null;
  /** Every day of the period up to today (ICT), oldest first. */
  days: DrillDay[];
  /** The unit's children with this indicator's values for the period, best rank first. */
  children: DrillChild[];
}

export interface RawSample {
  unitCode: string;
  unitName: string;
  metricKey: string;
  metricName: string;
  role: MetricRole;
  /** The sample's own day (for a monthly stock, the day it was reported for: the month's first). */
  day: string;
  value: number;
  sourceKey: string;
  sourceName: string;
  /** The source's priority (higher wins). */
  priority: number;
  /**
   * Whether the value counts: per (unit, metric, day) only the highest-priority source's value
   * does. A value that does not count is listed beside the one that does, for the explanation.
   */
  counts: boolean;
  /** When the source said the value was observed (the poll's start), ISO 8601 UTC. */
  observedAt: string;
  /** When the value was first stored (null: before provenance was kept, or loaded as history). */
  firstSeenAt: string | null;
  /** When the value last changed (or was first stored). */
  ingestedAt: string;
  /** The poll run that last wrote or changed it (null: before provenance was kept). */
  pollRunId: number | null;
  late: boolean;
  corrected: boolean;
}

export interface PollRunSummary {
  id: number;
  sourceKey: string;
  sourceName: string;
  startedAt: string;
  finishedAt: string | null;
  /** success | partial | failed */
  outcome: string;
  /** schedule | manual | upload | gap | backfill */
  trigger: string;
  httpStatus: number | null;
  windowFrom: string;
  windowTo: string;
  accepted: number;
  rejected: number;
  changed: number;
  /** How many of this day's samples name this run. */
  samples: number;
  /** An upload: who sent it, and who approved it when approval is required ("Name (username)"). */
  submittedBy: string | null;
  approvedBy: string | null;
}

export interface RawSamples {
  unit: DrillUnit;
  indicator: DrillIndicator;
  day: string;
  numerator: number | null;
  denominator: number | null;
  ratio: number | null;
  samples: RawSample[];
  /** The distinct poll runs behind the samples, newest first. */
  polls: PollRunSummary[];
  /** Samples whose poll run is unknown (stored before provenance was kept). */
  withoutPoll: number;
}

/** Counts only: src/lib/i18n/arrivals.ts words them ("12 số liệu đến muộn, 3 số liệu được sửa sau"). */
export interface IndicatorLateness {
  indicatorKey: string;
  nameVi: string;
  /** Samples behind the indicator's value for the period (each metric counted once). */
  samples: number;
  late: number;
  corrected: number;
}

// ---------------------------------------------------------------------------------------------
// Queries

const drilled = alias(units, 'drilled');
const ancestor = alias(units, 'ancestor');
const ancestorChild = alias(units, 'ancestor_child');

// Prepared: every drill-down page starts here.
const unitWithAncestors = prepared((db) => {
  const day = fragment`${fragment.placeholder('day')}::date`;
  const inForce = and(
    eq(ancestorChild.parentId, ancestor.id),
    fragment`(${ancestorChild.validFrom} is null or ${ancestorChild.validFrom} <= ${day}) and (${ancestorChild.validTo} is null or ${ancestorChild.validTo} >= ${day})`
  );
  // The code's unit in force on the day, else its newest holder (a code is reused across a reform).
  const version = fragment`(select v.id from ${units} v where v.gso_code = ${fragment.placeholder('code')}
    order by (coalesce(v.valid_from <= ${day}, true) and coalesce(v.valid_to >= ${day}, true)) desc, v.valid_to desc nulls first limit 1)`;
  return db
    .select({
      id: ancestor.id, code: ancestor.gsoCode, name: ancestor.name, level: ancestor.level, type: ancestor.type, depth: unitClosure.depth,
      hasChildren: exists(db.select({ id: ancestorChild.id }).from(ancestorChild).where(inForce)).mapWith(Boolean)
    })
    .from(drilled)
    .innerJoin(unitClosure, eq(unitClosure.descendantId, drilled.id))
    .innerJoin(ancestor, eq(ancestor.id, unitClosure.ancestorId))
    .where(fragment`${drilled.id} = ${version}`)
    .orderBy(desc(unitClosure.depth))
    .prepare('unit_with_ancestors');
});

/**
 * A unit with its ancestors (the breadcrumbs) as it stood on `day` (default today: the code's unit in
 * force that day, else its newest holder); null when the code is unknown.
 */
export async function readDrillUnit(sql: Sql, code: string, day: string = today()): Promise<(DrillUnit & { id: number }) | null> {
  const rows = await unitWithAncestors(sql).execute({ code, day });
  const self = rows.find((r) => r.depth === 0);
  if (!self) return null;
  return {
    id: self.id, code: self.code, name: self.name, level: self.level, type: self.type, hasChildren: self.hasChildren,
    chain: rows.filter((r) => r.depth > 0).map((r) => ({ code: r.code, name: r.name }))
  };
}

/** The operations scheme's indicators (all, or the one of `key`), with their metrics. */
async function schemeIndicators(sql: Sql, key?: string): Promise<DrillIndicator[]> {
  const all = await readSchemeIndicators(sql);
  const rows = key === undefined ? all : all.filter((i) => i.key === key);
  const keys = [...new Set(rows.flatMap((r) => [...r.numerator, ...r.denominator]))];
  const m = metricsTable;
  const metrics: DrillMetric[] = keys.length
    ? await orm(sql).select({ key: m.key, nameVi: m.nameVi, aggregation: m.aggregation, cadence: m.cadence }).from(m).where(inArray(m.key, keys))
    : [];
  const byKey = new Map(metrics.map((m) => [m.key, m]));
  const metric = (k: string): DrillMetric => byKey.get(k) ?? { key: k, nameVi: k, aggregation: 'flow', cadence: 'day' };
  return rows.map((r) => ({ ...r, numerator: r.numerator.map(metric), denominator: r.denominator.map(metric) }));
}

const metricKeysOf = (i: DrillIndicator) => [...new Set([...i.numerator, ...i.denominator].map((m) => m.key))];

/** Resolves the unit and the indicator, or throws DrillNotFoundError with the reason in words. */
async function resolve(sql: Sql, unitCode: string, indicatorKey: string, day?: string) {
  const unit = await readDrillUnit(sql, unitCode, day);
  if (!unit) throw new DrillNotFoundError(`Không có đơn vị mã ${unitCode}`);
  const [indicator] = await schemeIndicators(sql, indicatorKey);
  if (!indicator) throw new DrillNotFoundError(`Không có chỉ số "${indicatorKey}" trong bộ chỉ số đang áp dụng`);
  return { unit, indicator };
}

const toValue = (v: StoredIndicator | null | undefined): IndicatorValue | null =>
  v ? { numerator: v.numerator, denominator: v.denominator, ratio: v.ratio, points: v.points, rank: v.rank } : null;

/**
 * One indicator of one unit over the period of `query.period` kind that contains `query.date`:
 * the daily values (ratio of sums; stocks per the stock rule) and its children's values.
 */
export async function readIndicatorDrill(
  sql: Sql,
  unitCode: string,
  indicatorKey: string,
  query: { period: BoardPeriodKind; date: string },
  now = new Date()
): Promise<IndicatorDrill> {
  const period = periodOf(query.period, query.date);
  const { unit, indicator } = await resolve(sql, unitCode, indicatorKey, period.end);
  const lastDay = [period.end, today(now)].sort()[0]!;
  const keys = metricKeysOf(indicator);

  const board = { schemeKey: DEFAULT_SCHEME_KEY, kind: period.kind, start: period.start, end: period.end, unitId: unit.id, indicatorKey: indicator.key };
  const [dayRows, childRows, own] = await Promise.all([
    lastDay < period.start ? Promise.resolve([]) : dayValuesPerMetric(sql, unit.id, keys, period.start, lastDay),
    childrenIndicatorValues(sql, board),
    ownIndicatorValue(sql, board)
  ]);

  const byDay = new Map<string, Map<string, number>>();
  for (const r of dayRows) {
    let values = byDay.get(r.day);
    if (!values) byDay.set(r.day, (values = new Map()));
    values.set(r.key, (values.get(r.key) ?? 0) + r.value);
  }
  const numeratorKeys = indicator.numerator.map((m) => m.key);
  const denominatorKeys = indicator.denominator.map((m) => m.key);
  const days: DrillDay[] = [];
  if (lastDay >= period.start) {
    for (let d = DateTime.fromISO(period.start, { zone: ZONE }); d.toISODate()! <= lastDay; d = d.plus({ days: 1 })) {
      const date = d.toISODate()!;
      const values = byDay.get(date) ?? new Map<string, number>();
      const numerator = sumOf(values, numeratorKeys);
      const denominator = sumOf(values, denominatorKeys);
      days.push({ date, numerator, denominator, ratio: numerator === null || denominator === null ? null : ratioOfSums(numerator, denominator) });
    }
  }

  const children: DrillChild[] = childRows.map((c) => ({ code: c.code, name: c.name, type: c.type, hasChildren: c.hasChildren, value: toValue(c.value) }));
  let total = toValue(own);
  if (!total && unit.chain.length === 0) {
    // The root is in no board: the sum of its children (every child counted, as the boards do).
    const reported = children.filter((c) => c.value && c.value.numerator !== null && c.value.denominator !== null);
    if (reported.length) {
      const numerator = reported.reduce((s, c) => s + c.value!.numerator!, 0);
      const denominator = reported.reduce((s, c) => s + c.value!.denominator!, 0);
      total = { numerator, denominator, ratio: ratioOfSums(numerator, denominator), points: null, rank: null };
    }
  }

  const { id: _id, ...unitOut } = unit;
  return {
    unit: unitOut,
    indicator,
    period: { kind: query.period, start: period.start, end: period.end, provisional: isProvisional(period, now) },
    total,
    days,
    children
  };
}

/**
 * Every sample behind one indicator of a unit (and its descendants) on one day, and the poll runs they
 * came from. Where sources overlap, every source's value is listed with whether it counts; the day's
 * numerator and denominator add up only the values that count.
 */
export async function readRawSamples(sql: Sql, unitCode: string, indicatorKey: string, day: string): Promise<RawSamples> {
  const { unit, indicator } = await resolve(sql, unitCode, indicatorKey, day);
  const keys = metricKeysOf(indicator);
  const metricKeys = { numerator: indicator.numerator.map((m) => m.key), denominator: indicator.denominator.map((m) => m.key) };
  const samples: RawSample[] = (await samplesBehindDay(sql, unit.id, keys, day)).map((r) => ({
    ...r,
    role: roleOf(metricKeys, r.metricKey),
    late: isLate(r.day, r.firstSeenAt),
    corrected: isCorrected(r.day, r.firstSeenAt, r.ingestedAt)
  }));

  const values = new Map<string, number>();
  for (const s of samples) if (s.counts) values.set(s.metricKey, (values.get(s.metricKey) ?? 0) + s.value);
  const numerator = sumOf(values, indicator.numerator.map((m) => m.key));
  const denominator = sumOf(values, indicator.denominator.map((m) => m.key));

  const perRun = new Map<number, number>();
  let withoutPoll = 0;
  for (const s of samples) {
    if (s.pollRunId === null) withoutPoll++;
    else perRun.set(s.pollRunId, (perRun.get(s.pollRunId) ?? 0) + 1);
  }
  const runIds = [...perRun.keys()];
  const polls: PollRunSummary[] = runIds.length
    ? (await pollRunSummaries(sql, runIds)).map((r) => ({ ...r, samples: perRun.get(r.id) ?? 0 }))
    : [];

  const { id: _id, ...unitOut } = unit;
  return {
    unit: unitOut, indicator, day, numerator, denominator,
    ratio: numerator === null || denominator === null ? null : ratioOfSums(numerator, denominator),
    samples, polls, withoutPoll
  };
}

/**
 * For the explanation of a rank change: per indicator key of the active scheme, how many of the
 * samples behind its value for `period` (a unit and its descendants) arrived late (first stored
 * after the end of the day after their day, ICT) and how many were corrected (changed after they
 * were first stored, once their day had ended); src/lib/i18n/arrivals.ts words them ("12 số liệu
 * đến muộn, 3 số liệu được sửa sau"). Samples whose arrival is unknown (stored
 * before provenance was kept, or loaded as history by a backfill) count as neither.
 * An unknown unit gives every indicator zeros. With `indicatorKey`, only that indicator (if it is
 * in the active scheme).
 */
export async function readLateAndCorrected(
  sql: Sql,
  unitCode: string,
  period: Pick<Period, 'start' | 'end'>,
  options: { indicatorKey?: string } = {}
): Promise<Record<string, IndicatorLateness>> {
  // One indicator only (the indicator page) reads only its metrics' samples.
  const indicators = await schemeIndicators(sql, options.indicatorKey);
  const keys = [...new Set(indicators.flatMap(metricKeysOf))];
  // The unit of the code at the period's end (a code is reused across a reform).
  const unit = await readDrillUnit(sql, unitCode, period.end);
  const rows = keys.length && unit ? await latenessPerMetric(sql, unit.id, keys, period) : [];
  const byMetric = new Map(rows.map((r) => [r.key, r]));
  const out: Record<string, IndicatorLateness> = {};
  for (const ind of indicators) {
    let samples = 0;
    let late = 0;
    let corrected = 0;
    for (const k of metricKeysOf(ind)) {
      const r = byMetric.get(k);
      if (!r) continue;
      samples += r.samples;
      late += r.late;
      corrected += r.corrected;
    }
    out[ind.key] = { indicatorKey: ind.key, nameVi: ind.nameVi, samples, late, corrected };
  }
  return out;
}
