import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, integer, jsonb, pgTable, serial, smallserial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { INDICATOR_DIRECTIONS, METRIC_AGGREGATIONS, METRIC_CADENCES, METRIC_FAMILIES, METRIC_UNITS, TOTAL_RULES, ZERO_DENOMINATOR_RULES, type SchemeGroupDef } from '#domain/catalogue';
import { oneOf } from './checks.ts';

/** The catalogue of raw metrics. */
export const metrics = pgTable('metrics', {
  id: smallserial().primaryKey(),
  key: text().notNull().unique(),
  family: text({ enum: METRIC_FAMILIES }).notNull(),
  /** flow (adds up over days) or stock (last value in the period) */
  aggregation: text({ enum: METRIC_AGGREGATIONS }).notNull(),
  /** day | month: a stock reported monthly counts for every day of its month */
  cadence: text({ enum: METRIC_CADENCES }).notNull().default('day'),
  /** count | vnd */
  unit: text({ enum: METRIC_UNITS }).notNull(),
  /** The metric this one is a part of (a row where the part exceeds the whole is rejected). */
  partOf: text(),
  /** A value of a period (month, quarter, year), stored in period_samples, not of a day. */
  periodic: boolean().notNull().default(false),
  nameVi: text().notNull(),
  nameEn: text().notNull()
}, (t) => [oneOf(t.family, METRIC_FAMILIES), oneOf(t.aggregation, METRIC_AGGREGATIONS), oneOf(t.cadence, METRIC_CADENCES), oneOf(t.unit, METRIC_UNITS)]);

/** A versioned scoring scheme: a past rank is explained with the version it used. */
export const indicatorSchemes = pgTable(
  'indicator_schemes',
  {
    id: serial().primaryKey(),
    key: text().notNull(),
    version: integer().notNull(),
    nameVi: text().notNull(),
    nameEn: text().notNull(),
    active: boolean().notNull().default(false),
    /** Rating bands, best first: a total at or above `min` earns the band (Xuất sắc / Tốt / Khá / Trung bình / Yếu by default). */
    bands: jsonb().$type<{ name: string; min: number }[]>().notNull().default(sql`'[{"name":"Xuất sắc","min":90},{"name":"Tốt","min":80},{"name":"Khá","min":65},{"name":"Trung bình","min":50},{"name":"Yếu","min":0}]'::jsonb`),
    /** Who made this version, and why (shown with every rank computed under it). */
    note: text(),
    /** Groups of indicators with their own maxima (the 766 index's six); [] for none. */
    groups: jsonb().$type<SchemeGroupDef[]>().notNull().default(sql`'[]'::jsonb`),
    /** scaled (Σ over what applies, rescaled to the maximum) or sum (plain sum, no points counting 0). */
    totalRule: text({ enum: TOTAL_RULES }).notNull().default('scaled'),
    /** The period kinds its boards exist for; null: every kind. */
    periodKinds: text().array(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
  },
  (t) => [unique().on(t.key, t.version), oneOf(t.totalRule, TOTAL_RULES)]
);

/** ratio = Σ numerator metrics / Σ denominator metrics; points = maxPoints × min(1, ratio / saturation). */
export const indicators = pgTable(
  'indicators',
  {
    id: serial().primaryKey(),
    schemeId: integer().notNull().references(() => indicatorSchemes.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    family: text({ enum: METRIC_FAMILIES }).notNull(),
    nameVi: text().notNull(),
    nameEn: text().notNull(),
    numerator: text().array().notNull(),
    denominator: text().array().notNull(),
    direction: text({ enum: INDICATOR_DIRECTIONS }).notNull().default('higher_is_better'),
    maxPoints: doublePrecision().notNull(),
    saturation: doublePrecision().notNull().default(1),
    numeratorNounVi: text().notNull(),
    sortOrder: integer().notNull().default(0),
    /** The scheme group it belongs to (indicator_schemes.groups[].key); null: none. */
    groupKey: text(),
    /** What it earns when its denominator is 0: none, zero or full points. */
    zeroDenominator: text({ enum: ZERO_DENOMINATOR_RULES }).notNull().default('none'),
    /** Its points are the publisher's score as is (the numerator metrics, unit points). */
    published: boolean().notNull().default(false)
  },
  (t) => [
    unique().on(t.schemeId, t.key), oneOf(t.family, METRIC_FAMILIES), oneOf(t.direction, INDICATOR_DIRECTIONS),
    oneOf(t.zeroDenominator, ZERO_DENOMINATOR_RULES)
  ]
);
