/**
 * Targets (chỉ tiêu, docs/targets.md): the least ratio an indicator should reach, set by an
 * administrator for the whole installation (unit null: every unit) or for one unit, for every
 * period (period kind and start null) or for one period. The most specific one applies
 * (#domain/targets resolveTarget).
 */
import { sql } from 'drizzle-orm';
import { check, date, doublePrecision, integer, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { PERIOD_KINDS } from '#domain/periods';
import { oneOf } from './checks.ts';
import { units } from './units.ts';
import { users } from './auth.ts';

export const targets = pgTable(
  'targets',
  {
    id: serial().primaryKey(),
    schemeKey: text().notNull().default('operations'),
    indicatorKey: text().notNull(),
    /** null: the whole installation (the city), every unit unless it has its own. */
    unitId: integer().references(() => units.id, { onDelete: 'cascade' }),
    /** Both null: every period; both set: the one period of that kind starting that day. */
    periodKind: text({ enum: PERIOD_KINDS }),
    periodStart: date(),
    /** The least ratio, 0..1 (0.95 = 95 %). */
    minRatio: doublePrecision().notNull(),
    updatedBy: integer().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
  },
  (t) => [
    unique('targets_one_per_place').on(t.schemeKey, t.indicatorKey, t.unitId, t.periodKind, t.periodStart).nullsNotDistinct(),
    oneOf(t.periodKind, PERIOD_KINDS),
    check('targets_period_both', sql`(${t.periodKind} is null) = (${t.periodStart} is null)`),
    check('targets_min_ratio_range', sql`${t.minRatio} > 0 and ${t.minRatio} <= 1`)
  ]
);
