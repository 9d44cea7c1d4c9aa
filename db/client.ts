import {
  createTableRelationsHelpers, DrizzleQueryError, extractTablesRelationalConfig, sql as expr, type ExtractTablesWithRelations,
  type RelationalSchemaConfig, type SQL
} from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { PgDialect, type PgColumn, type PgPreparedQuery, type PreparedQueryConfig } from 'drizzle-orm/pg-core';
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
    // Seconds before connecting again after failed attempts. postgres.js's own grows to 20 s, so
    // after a database restart the pools came back up to 20 s late; 2 s at most here.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 2),
    connection: { application_name: options.application ?? 'city-ops' }
  });
  // Note: drizzle() makes this client pass dates and timestamps through as text, both ways:
  // raw queries get 'YYYY-MM-DD' dates and timestamp strings, and must send ISO strings, not Dates.
  drizzle(sql, config);
  const db = Object.assign(build(sql), { $client: sql });
  orms.set(sql, db);
  return { sql, db };
}

/**
 * The query builder for a postgres.js pool or transaction, so a function handed `sql` or `tx` builds
 * its statements in that same transaction: `orm(tx).insert(users).values(…)` commits or rolls back
 * with the `tx` statements around it. One instance per handle (a WeakMap: a finished transaction's
 * goes with it). A pool made here already has its instance; another pool gets one, and with it the
 * date and timestamp parsing noted in createDb. Open transactions with `sql.begin`, as everywhere
 * else, not with the builder's `.transaction()`.
 */
export function orm(q: Queryable): Orm {
  let db = orms.get(q);
  if (!db) {
    if ('begin' in q) drizzle(q, config); // a pool: its parsers, as in createDb
    db = build(q);
    orms.set(q, db);
  }
  return db;
}

const dialect = new PgDialect({ casing: config.casing });
const relational = (() => {
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  return { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap } as unknown as RelationalSchemaConfig<Tables>;
})();
type Tables = ExtractTablesWithRelations<typeof schema>;

/**
 * Drizzle's postgres.js session, except that a failed statement throws the driver's own error
 * (PostgresError, with its code and constraint_name), as a raw statement does. Drizzle wraps it in a
 * DrizzleQueryError whose message carries the statement and its parameters: password and token
 * hashes would reach the logs, and callers testing `e.code` (a unique violation) would miss it.
 */
class Session extends PostgresJsSession<postgres.Sql, typeof schema, Tables> {
  override prepareQuery<T extends PreparedQueryConfig = PreparedQueryConfig>(
    ...args: Parameters<PostgresJsSession<postgres.Sql, typeof schema, Tables>['prepareQuery']>
  ): PgPreparedQuery<T> {
    const prepared = super.prepareQuery<T>(...args);
    const execute = prepared.execute.bind(prepared);
    prepared.execute = async (...a: Parameters<typeof execute>) => {
      try {
        return await execute(...a);
      } catch (e) {
        throw e instanceof DrizzleQueryError && e.cause !== undefined ? e.cause : e;
      }
    };
    return prepared;
  }
}

/**
 * The database on one handle, built as drizzle() builds it but with the session above. On a
 * transaction's handle drizzle() itself would throw: it sets its parsers on `client.options`, which
 * a transaction shares with its pool but does not expose.
 */
function build(client: Queryable): Orm {
  const session = new Session(client as postgres.Sql, dialect, relational);
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

/**
 * A builder statement built once per handle and prepared (a named statement, as postgres.js
 * prepares its own): for the hot reads, which would otherwise pay the builder's assembly (about
 * 0.1 ms a statement) and the server's parse on every call. Values go in through
 * `sql.placeholder(name)`.
 *
 *   const unitByCode = prepared((db) => db.select().from(units).where(eq(units.gsoCode, sql.placeholder('code'))).prepare('unit_by_code'));
 *   const [unit] = await unitByCode(q).execute({ code });
 */
export function prepared<T>(make: (db: Orm) => T): (q: Queryable) => T {
  const built = new WeakMap<Queryable, T>();
  return (q) => {
    let statement = built.get(q);
    if (!statement) built.set(q, (statement = make(orm(q))));
    return statement;
  };
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
