import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Each worker process writes its heartbeat; /healthz counts the live ones. */
export const workerHeartbeats = pgTable('worker_heartbeats', {
  id: text().primaryKey(),
  pid: integer().notNull(),
  startedAt: timestamp({ withTimezone: true }).notNull(),
  lastSeenAt: timestamp({ withTimezone: true }).notNull()
});

/** Small facts about this installation, e.g. when the seed finished. */
export const appMeta = pgTable('app_meta', {
  key: text().primaryKey(),
  value: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
