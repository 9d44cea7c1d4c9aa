import { boolean, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { oneOf } from './checks.ts';
import { units } from './units.ts';

/** leader: sees everything; officer: bound to a unit; admin: everything, and the configuration. */
export const ROLES = ['leader', 'officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** People who sign in, each with one of the ROLES. */
export const users = pgTable('users', {
  id: serial().primaryKey(),
  username: text().notNull().unique(),
  displayName: text().notNull(),
  /** argon2id, PHC string */
  passwordHash: text().notNull(),
  role: text({ enum: ROLES }).notNull(),
  /** An officer's unit: detail and raw data only for it and its descendants. */
  unitId: integer().references(() => units.id),
  disabled: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
}, (t) => [oneOf(t.role, ROLES)]);

/** Server-side sessions: the cookie holds a random token, the table only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
    ip: text(),
    userAgent: text()
  },
  (t) => [index().on(t.userId)]
);

/** Wall screens: a revocable token scoped to a unit and a playlist; it reads, nothing else. */
export const displayTokens = pgTable('display_tokens', {
  id: serial().primaryKey(),
  name: text().notNull(),
  /** SHA-256 of the token; the token itself is shown once, at creation. */
  tokenHash: text().notNull().unique(),
  scopeUnitId: integer()
    .notNull()
    .references(() => units.id),
  playlist: jsonb().$type<{ scenes: string[]; dwellSeconds: number }>().notNull(),
  expiresAt: timestamp({ withTimezone: true }),
  revokedAt: timestamp({ withTimezone: true }),
  createdBy: integer().references(() => users.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp({ withTimezone: true })
});

/**
 * API tokens for provisioning as code (/api/v1/admin/…): an administrator's, acting with the
 * administrator role. Stored as SHA-256, shown once, revocable; every use is audited under its name.
 */
export const apiTokens = pgTable('api_tokens', {
  id: serial().primaryKey(),
  name: text().notNull(),
  tokenHash: text().notNull().unique(),
  createdBy: integer().references(() => users.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp({ withTimezone: true }),
  revokedAt: timestamp({ withTimezone: true }),
  revokedBy: integer().references(() => users.id)
});

/** Failed sign-ins, for the per-account and per-address limits. */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: serial().primaryKey(),
    username: text().notNull(),
    ip: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow()
  },
  (t) => [index().on(t.username, t.at), index().on(t.ip, t.at)]
);

/** Who changed what, before and after, when. Secrets are masked before they get here. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: serial().primaryKey(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: integer().references(() => users.id, { onDelete: 'set null' }),
    actorName: text().notNull(),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    before: jsonb(),
    after: jsonb(),
    ip: text()
  },
  (t) => [index().on(t.at)]
);
