import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, serial, smallint, text, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** Administrative units of any depth (province → district → commune, or the two-tier layout). */
export const units = pgTable(
  'units',
  {
    id: serial().primaryKey(),
    /** National GSO code: 2 digits province, 3 district, 5 commune. */
    gsoCode: text().notNull().unique(),
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
    validFrom: date(),
    validTo: date(),
    mergedIntoId: integer().references((): AnyPgColumn => units.id),
    /** Position on its parent's tile map (the wall and the overview), column and row from the top left; null: laid out by code. */
    tileCol: smallint(),
    tileRow: smallint()
  },
  (t) => [index().on(t.parentId)]
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
