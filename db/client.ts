import {
  createTableRelationsHelpers, extractTablesRelationalConfig, sql as expr, type ExtractTablesWithRelations, type RelationalSchemaConfig, type SQL
} from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { PgDialect, type PgColumn } from 'drizzle-orm/pg-core';
import { drizzle, PostgresJsDatabase, PostgresJsSession } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Sql = postgres.Sql;
/** A pool or a transaction: what the ingest and ranking steps run on. */
export type Queryable = postgres.Sql | postgres.TransactionSql;
/** Drizzle's query builder over one pool or one transaction (see `orm`). */
export type Orm = PostgresJsDatabase<typeof schema>;
export type Db = ReturnType<typeof createDb>['db'];

const config = { schema, casing: 'snake_case' } as const;
const orms = new WeakMap<Queryable, Orm>();

/** One pool per process. `max` stays small: the embedded server allows 100 connections in all. */
export function createDb(url: string, options: { max?: number; application?: string } = {}) {
  const sql = postgres(url, {
    max: options.max ?? 8,
    onnotice: () => {},
    connection: { application_name: options.application ?? 'city-ops' }
  });
  // Note: drizzle() makes this client pass dates and timestamps through as text, both ways:
  // raw queries get 'YYYY-MM-DD' dates and timestamp strings, and must send ISO strings, not Dates.
  const db = drizzle(sql, config);
  orms.set(sql, db);
  return { sql, db };
}

/**
 * The query builder for a postgres.js pool or transaction, so a function handed `sql` or `tx` builds
 * its statements in that same transaction: `orm(tx).insert(users).values(…)` commits or rolls back
 * with the `tx` statements around it. One instance per handle (a WeakMap: a finished transaction's
 * goes with it). A pool made here already has its instance; another pool gets one, and with it the
 * date and timestamp parsing noted in createDb. Over a transaction, `.transaction()` is unavailable:
 * open transactions with `sql.begin`, as everywhere else.
 */
export function orm(q: Queryable): Orm {
  let db = orms.get(q);
  if (!db) {
    db = 'begin' in q ? drizzle(q, config) : overTransaction(q);
    orms.set(q, db);
  }
  return db;
}

const dialect = new PgDialect({ casing: config.casing });
const relational = (() => {
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  return { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap } as unknown as RelationalSchemaConfig<ExtractTablesWithRelations<typeof schema>>;
})();

/**
 * drizzle() sets its parsers on a pool's options, which a transaction shares but does not expose
 * (`tx.options` is undefined, and drizzle(tx) throws): build the database on the transaction's
 * handle alone, as drizzle's own `transaction()` does with the handle `begin` gives it.
 */
function overTransaction(tx: postgres.TransactionSql): Orm {
  const session = new PostgresJsSession(tx as unknown as postgres.Sql, dialect, relational);
  return new PostgresJsDatabase(dialect, session, relational) as Orm;
}

/**
 * createDb, then one round trip: postgres.js learns the server's array types on its first
 * connection, and `sql.array(...)` of text serialises wrongly before it has them.
 */
export async function connectDb(url: string, options: { max?: number; application?: string } = {}) {
  const handle = createDb(url, options);
  await handle.sql`select 1`;
  return handle;
}

export { schema };

/** `excluded.<column>` in an upsert's `set`: the value the refused insert proposed (drizzle has no helper for it). */
export function excluded(column: PgColumn): SQL {
  return expr`excluded.${expr.identifier(toSnakeCase(column.name))}`;
}

/** A timestamp as PostgreSQL or a driver hands it over, as ISO 8601 UTC (or null). */
export function isoTimestamp(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value).toISOString();
}
