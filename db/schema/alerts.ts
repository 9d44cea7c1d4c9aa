/**
 * Alerts (cảnh báo, docs/alerts.md): rules an administrator writes, the alerts they raise (one per
 * condition: `condition_key` is unique among the open ones, so a condition seen by every poll raises
 * once and re-arms only after it cleared), who was told in the app, and each delivery by mail or
 * webhook with its status and attempts.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { PERIOD_KINDS } from '#domain/periods';
import { ALERT_CHANNELS, ALERT_KINDS, DELIVERY_STATUSES, type AlertParams } from '#domain/alerts';
import { oneOf } from './checks.ts';
import { units } from './units.ts';
import { users, ROLES } from './auth.ts';
import { dataSources } from './sources.ts';

export const alertRules = pgTable(
  'alert_rules',
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    kind: text({ enum: ALERT_KINDS }).notNull(),
    /** The unit whose subtree the rule watches; null: the whole installation. */
    scopeUnitId: integer().references(() => units.id),
    /** The board period kind a ranking rule compares (null for source rules). */
    periodKind: text({ enum: PERIOD_KINDS }),
    /** What the kind needs (places, indicator, threshold, source): #domain/alerts AlertParams. */
    params: jsonb().$type<AlertParams>().notNull(),
    /** Who is told in the app: every user of these roles (officers: only about their own subtree) … */
    notifyRoles: text().array().$type<(typeof ROLES)[number][]>().notNull().default([]),
    /** … and these users (officers: same scope rule). */
    notifyUserIds: integer().array().notNull().default([]),
    /** E-mail addresses the mail channel sends to. */
    notifyEmails: text().array().notNull().default([]),
    inApp: boolean().notNull().default(true),
    email: boolean().notNull().default(false),
    webhookUrl: text(),
    /** AES-256-GCM sealed (CITYOPS_SECRET_KEY); never returned. */
    webhookSecretSealed: text(),
    /** One mail / webhook a day at digestAt (HH:MM, Hà Nội) instead of one per alert. */
    digest: boolean().notNull().default(false),
    digestAt: text().notNull().default('08:00'),
    /** HH:MM–HH:MM (Hà Nội): mail and webhook deliveries are held until quietTo; in-app still recorded. */
    quietFrom: text(),
    quietTo: text(),
    enabled: boolean().notNull().default(true),
    createdBy: integer().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
  },
  (t) => [oneOf(t.kind, ALERT_KINDS), oneOf(t.periodKind, PERIOD_KINDS)]
);

export const alerts = pgTable(
  'alerts',
  {
    id: serial().primaryKey(),
    ruleId: integer()
      .notNull()
      .references(() => alertRules.id, { onDelete: 'cascade' }),
    /** rule + unit or source + indicator + period or day: one alert per condition while it holds. */
    conditionKey: text().notNull(),
    kind: text({ enum: ALERT_KINDS }).notNull(),
    unitId: integer().references(() => units.id),
    sourceId: integer().references(() => dataSources.id, { onDelete: 'set null' }),
    /** What happened and what it compares, in Vietnamese. */
    title: text().notNull(),
    body: text().notNull(),
    /** The screen that explains it (a path: /units/CODE?period=…, /admin/sources/KEY). */
    link: text().notNull(),
    raisedAt: timestamp({ withTimezone: true }).notNull(),
    /** When the condition stopped holding (the key re-arms). */
    clearedAt: timestamp({ withTimezone: true })
  },
  (t) => [
    uniqueIndex('alerts_open_condition_unique').on(t.conditionKey).where(sql`${t.clearedAt} is null`),
    index().on(t.raisedAt),
    oneOf(t.kind, ALERT_KINDS)
  ]
);

/** The bell: one row per alert and person told in the app. */
export const alertNotifications = pgTable(
  'alert_notifications',
  {
    id: serial().primaryKey(),
    alertId: integer()
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp({ withTimezone: true })
  },
  (t) => [uniqueIndex().on(t.alertId, t.userId), index().on(t.userId, t.readAt)]
);

/** Each mail or webhook delivery of an alert: held (quiet hours, digest), queued, sent or failed. */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: serial().primaryKey(),
    alertId: integer()
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    channel: text({ enum: ALERT_CHANNELS }).notNull(),
    /** An e-mail address or the webhook URL. */
    recipient: text().notNull(),
    status: text({ enum: DELIVERY_STATUSES }).notNull(),
    digest: boolean().notNull().default(false),
    /** Held until then (quiet hours' end, or the digest's time). */
    notBefore: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
  },
  (t) => [index().on(t.status, t.notBefore), index().on(t.alertId), oneOf(t.channel, ALERT_CHANNELS), oneOf(t.status, DELIVERY_STATUSES)]
);

export type AlertRule = typeof alertRules.$inferSelect;

/**
 * The address a person receives their alert mail at, set by themselves on /alerts: a rule with the
 * mail channel writes to every person it tells (scoped like the bell) who has one, besides its own list.
 */
export const alertContacts = pgTable('alert_contacts', {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  email: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
