/**
 * Drizzle's query builder over a pool or a transaction of postgres.js (until db/client.ts offers
 * one `orm(q)` for every module: then this file goes).
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Queryable } from '#db/client';
import * as schema from '#db/schema/index';

export const orm = (q: Queryable) => drizzle(q as never, { schema, casing: 'snake_case' });
