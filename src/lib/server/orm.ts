/**
 * Drizzle's query builder over a pool or a transaction of postgres.js (until db/client.ts offers
 * one `orm(q)` for every module: then this file goes).
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Queryable } from '#db/client';
import * as schema from '#db/schema/index';

/**
 * A transaction of postgres.js has no `options`, where drizzle() sets its type parsers; the pool
 * the transaction runs on already has them (db/client.ts), so a transaction gets an empty set.
 */
export function orm(q: Queryable) {
  const client = 'options' in q ? q : Object.assign(q, { options: { parsers: {}, serializers: {} } });
  return drizzle(client as never, { schema, casing: 'snake_case' });
}
