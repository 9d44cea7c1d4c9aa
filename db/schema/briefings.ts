/**
 * The briefing's mailing (docs/briefings.md, "Mailed on a schedule"): schedules an administrator
 * writes — a scope, a period kind, a day of the month and a time, who receives it — and every
 * mailing made, one per schedule, briefed period and recipient (an administrator's "Gửi ngay" is
 * a mailing of its own), with its status, attempts and the reason it failed.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { PERIOD_KINDS } from '#domain/periods';
import { oneOf } from './checks.ts';
import { units } from './units.ts';
import { users } from './auth.ts';

export const BRIEFING_LOCALES = ['vi', 'en'] as const;
/** queued: a mail job waits or retries; sent; failed: for good (retries spent, or a reason no retry mends). */
export const MAILING_STATUSES = ['queued', 'sent', 'failed'] as const;

export const briefingSchedules = pgTable(
  'briefing_schedules',
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    /** The unit whose children the briefing ranks (a unit with units under it). */
    scopeUnitId: integer()
      .notNull()
      .references(() => units.id),
    /** The kind of period briefed: the last one of it that ended by the send time. */
    periodKind: text({ enum: PERIOD_KINDS }).notNull().default('report_month'),
    /** Each month on this day (1–28) at this time (HH:MM, Hà Nội). */
    dayOfMonth: integer().notNull(),
    sendAt: text().notNull(),
    /** The language of the mail and of the PDF. */
    locale: text({ enum: BRIEFING_LOCALES }).notNull().default('vi'),
    /** People: each receives the briefing as they may read it, at the address they set on /alerts. */
    recipientUserIds: integer().array().notNull().default([]),
    /** Addresses: they receive it as the schedule's owner reads it. */
    recipientEmails: text().array().notNull().default([]),
    enabled: boolean().notNull().default(true),
    /** Whose authority the addresses' briefing is printed with: the administrator who last saved it. */
    ownerId: integer().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
  },
  (t) => [
    oneOf(t.periodKind, PERIOD_KINDS),
    oneOf(t.locale, BRIEFING_LOCALES),
    check('briefing_schedules_day_range', sql`${t.dayOfMonth} between 1 and 28`),
    check('briefing_schedules_send_at_time', sql`${t.sendAt} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`)
  ]
);

export const briefingMailings = pgTable(
  'briefing_mailings',
  {
    id: serial().primaryKey(),
    scheduleId: integer()
      .notNull()
      .references(() => briefingSchedules.id, { onDelete: 'cascade' }),
    periodKind: text({ enum: PERIOD_KINDS }).notNull(),
    periodStart: date().notNull(),
    /** `user:<id>` or `mail:<address>`: one mailing per schedule, period and recipient. */
    recipientKey: text().notNull(),
    /** The person (null for an address of the schedule's list) … */
    userId: integer().references(() => users.id, { onDelete: 'set null' }),
    /** … and where the mail goes (null: the person has set no address; the mailing failed saying so). */
    email: text(),
    /** An administrator's "Gửi ngay": not counted against the schedule's own mailing of the period. */
    manual: boolean().notNull().default(false),
    status: text({ enum: MAILING_STATUSES }).notNull().default('queued'),
    attempts: integer().notNull().default(0),
    lastError: text(),
    /** The PDF's size, once sent. */
    pdfBytes: integer(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
  },
  (t) => [
    uniqueIndex('briefing_mailings_once').on(t.scheduleId, t.periodKind, t.periodStart, t.recipientKey).where(sql`not ${t.manual}`),
    index().on(t.scheduleId, t.createdAt),
    oneOf(t.periodKind, PERIOD_KINDS),
    oneOf(t.status, MAILING_STATUSES)
  ]
);

export type BriefingSchedule = typeof briefingSchedules.$inferSelect;
