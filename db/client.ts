import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Sql = postgres.Sql;
/** A pool or a transaction: what the ingest and ranking steps run on. */
export type Queryable = postgres.Sql | postgres.TransactionSql;
/** Drizzle's query builder over one pool or one transaction (see orm()). */
export type Db = PostgresJsDatabase<typeof schema>;

/** One pool per process. `max` stays small: the embedded server allows 100 connections in all. */
export function createDb(url: string, options: { max?: number; application?: string } = {}) {
  const sql = postgres(url, {
    max: options.max ?? 8,
    onnotice: () => {},
    connection: { application_name: options.application ?? 'city-ops' }
  });
  // Note: drizzle() makes this client pass dates and timestamps through as text, both ways:
  // raw queries get 'YYYY-MM-DD' dates and timestamp strings, and must send ISO strings, not Dates.
  const db = orm(sql);
  return { sql, db };
}

const orms = new WeakMap<Queryable, Db>();

/**
 * The query builder on the same handle the caller holds: a pool, or the transaction it runs in
 * (so builder and raw statements share it). One per handle, cached.
 *
 * drizzle() rewrites its client's date parsers (above); a transaction handle has no options of its
 * own (it shares its pool's, which createDb already rewrote), so drizzle gets a stand-in carrying
 * the transaction's `unsafe` and, for a nested transaction, its `savepoint`.
 */
export function orm(q: Queryable): Db {
  let db = orms.get(q);
  if (!db) {
    const client = 'savepoint' in q
      ? ({ options: { parsers: {}, serializers: {} }, unsafe: q.unsafe, begin: q.savepoint } as unknown as postgres.Sql)
      : q;
    db = drizzle(client, { schema, casing: 'snake_case' });
    orms.set(q, db);
  }
  return db;
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
export function prepared<T>(build: (db: Db) => T): (q: Queryable) => T {
  const built = new WeakMap<Queryable, T>();
  return (q) => {
    let statement = built.get(q);
    if (!statement) built.set(q, (statement = build(orm(q))));
    return statement;
  };
}

export { schema };

/** A timestamp as PostgreSQL or a driver hands it over, as ISO 8601 UTC (or null). */
export function isoTimestamp(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value).toISOString();
}
