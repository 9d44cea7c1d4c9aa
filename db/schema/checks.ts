import { getTableName, sql } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { check, type PgColumn } from 'drizzle-orm/pg-core';

/**
 * `CHECK (column in ('a', 'b', …))` from the same `as const` array as the column's `text({ enum })`
 * type, so the database refuses what the type rules out. Named `<table>_<column>_check` (the name
 * PostgreSQL itself gives a column's check), as in the migration that adds it. The values are
 * inlined because a CHECK takes no parameters; they are code constants, never input.
 */
export function oneOf(column: PgColumn, values: readonly string[]) {
  const name = `${getTableName(column.table)}_${toSnakeCase(column.name)}_check`;
  const list = values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
  return check(name, sql`${column} in (${sql.raw(list)})`);
}
