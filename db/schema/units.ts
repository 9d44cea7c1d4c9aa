import { sql } from 'drizzle-orm';
import { boolean, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, serial, smallint, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * Administrative units of any depth (country → province → district → commune before 1 July 2025,
 * country → province → commune since; a city's departments as units of their own level), each with
 * the days it is in force. A code names one unit on any day, not forever: a new commune keeps the
 * code of one commune it absorbed (Xã Thanh Oai, 10114, was Thị trấn Kim Bài's), so the two are two
 * rows, one ending the day before the other begins (docs/units.md).
 */
export const units = pgTable(
  'units',
  {
    id: serial().primaryKey(),
    /** National GSO code (2 digits province, 3 district, 5 commune; VN the country), or the register's own code. Unique among the units in force on a day. */
    gsoCode: text().notNull(),
    /** Codes other systems use for the same unit, e.g. { "portal": "H26.01" }. */
    externalCodes: jsonb().$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    name: text().notNull(),
    /** province | district | commune (data, not code: any level names). */
    level: text().notNull(),
    /** The register's type: Quận, Huyện, Phường, Xã, Thị trấn … */
    type: text().notNull(),
    parentId: integer().references((): AnyPgColumn => units.id),
    population: integer(),
    /** True when the population is generated for the demo, not an official figure. */
    populationSynthetic: boolean().notNull().default(true),
    /** First day in force (null: since before the records); inclusive. */
    validFrom: date(),
    /** Last day in force (null: in force); inclusive. */
    validTo: date(),
    /** The one unit that absorbed this one whole (the legacy import's merged_into); unit_lineage holds every link. */
    mergedIntoId: integer().references((): AnyPgColumn => units.id),
    /** Position on its parent's tile map (the wall and the overview), column and row from the top left; null: laid out by code. */
    tileCol: smallint(),
    tileRow: smallint()
  },
  (t) => [
    index().on(t.parentId),
    // One unit in force per code; two ended versions of a code never end on the same day.
    uniqueIndex('units_gso_code_current').on(t.gsoCode).where(sql`valid_to is null`),
    uniqueIndex('units_gso_code_until').on(t.gsoCode, t.validTo)
  ]
);

/**
 * Which unit went into which at a reform (the register's merge table): the predecessor's figures
 * before it ended count in the successor, times `share`. A whole commune merged in has share 1; one
 * split between several new communes is shared (see docs/units.md for the rule) and `estimated`,
 * so the successor's figures before the reform are marked "ước tính". The shares of a predecessor
 * add up to 1: its figures are never counted twice nor dropped.
 */
export const unitLineage = pgTable(
  'unit_lineage',
  {
    predecessorId: integer().notNull().references(() => units.id, { onDelete: 'cascade' }),
    successorId: integer().notNull().references(() => units.id, { onDelete: 'cascade' }),
    /** The register's own words: Nhập toàn bộ, Nhập một phần, Giữ nguyên … */
    note: text().notNull(),
    /** 0..1: the part of the predecessor's figures that counts in the successor. */
    share: doublePrecision().notNull(),
    /** True when the share is a guess (only part of the predecessor went in). */
    estimated: boolean().notNull()
  },
  (t) => [primaryKey({ columns: [t.predecessorId, t.successorId] }), index().on(t.successorId)]
);

/**
 * Whose figures count in whose: every pair of the tree closure (share 1) and, through unit_lineage,
 * each unit's predecessors and their descendants (share and estimated from the lineage, multiplied
 * along the path, summed over paths). The sums of the boards and the series join this table;
 * effective_samples already drops a sample dated outside its unit's days in force. Rebuilt with the
 * closure (db/closure.ts).
 */
export const unitRollup = pgTable(
  'unit_rollup',
  {
    ancestorId: integer().notNull().references(() => units.id, { onDelete: 'cascade' }),
    descendantId: integer().notNull().references(() => units.id, { onDelete: 'cascade' }),
    share: doublePrecision().notNull(),
    estimated: boolean().notNull()
  },
  (t) => [primaryKey({ columns: [t.ancestorId, t.descendantId] }), index().on(t.descendantId)]
);

/** Transitive closure of the hierarchy: a rollup over any depth is one join. Rebuilt by the seed / unit import. */
export const unitClosure = pgTable(
  'unit_closure',
  {
    ancestorId: integer().notNull().references(() => units.id, { onDelete: 'cascade' }),
    descendantId: integer().notNull().references(() => units.id, { onDelete: 'cascade' }),
    depth: integer().notNull()
  },
  (t) => [primaryKey({ columns: [t.ancestorId, t.descendantId] }), index().on(t.descendantId)]
);

export type Unit = typeof units.$inferSelect;
export type UnitLineage = typeof unitLineage.$inferSelect;
