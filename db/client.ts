import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Sql = postgres.Sql;
/** A pool or a transaction: what the ingest and ranking steps run on. */
export type Queryable = postgres.Sql | postgres.TransactionSql;
export type Db = ReturnType<typeof createDb>['db'];

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
  const db = drizzle(sql, { schema, casing: 'snake_case' });
  return { sql, db };
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

/** A timestamp as PostgreSQL or a driver hands it over, as ISO 8601 UTC (or null). */
export function isoTimestamp(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value).toISOString();
}
