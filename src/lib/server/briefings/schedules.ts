/**
 * The briefing's mailing schedules an administrator writes at /admin/briefings (docs/briefings.md,
 * "Mailed on a schedule"): the form's fields parsed, every bad field named in words; create, edit,
 * switch on/off, delete (audited); the list with each schedule's next send time and its last
 * mailings.
 */
import { z } from 'zod';
import { desc, eq, inArray } from 'drizzle-orm';
import { orm, type Queryable as Sql } from '#db/client';
import { briefingSchedules, units, users } from '#db/schema/index';
import { BRIEFING_LOCALES } from '#db/schema/briefings';
import { alertContacts } from '#db/schema/alerts';
import type { BoardPeriodKind } from '#contract/dto';
import { briefedPeriod, isTimeOfDay, nextSendTime, SCHEDULE_DAY_MAX, SCHEDULE_DAY_MIN } from '#domain/briefing-schedule';
import { m } from '../../paraglide/messages.js';
import { recordAudit } from '../auth/audit.ts';
import { canReadDetail } from '../auth/access.ts';
import { readActiveUser } from '../auth/sessions.ts';
import type { Principal } from '../auth/principal.ts';

/** The kinds of period a schedule may brief, in the order the form offers them. */
export const SCHEDULE_PERIOD_KINDS = ['report_month', 'month', 'report_quarter', 'quarter', 'report_year', 'year', 'week'] as const satisfies readonly BoardPeriodKind[];

export const SCHEDULE_FIELDS = ['name', 'scopeCode', 'periodKind', 'dayOfMonth', 'sendAt', 'locale', 'usernames', 'emails', 'enabled'] as const;
/** A schedule as typed in the form (every field a string; lists comma- or line-separated). */
export type ScheduleInput = Partial<Record<(typeof SCHEDULE_FIELDS)[number], string>>;

const list = (s: string | undefined) => (s ?? '').split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
const on = (s: string | undefined) => s === 'on' || s === 'true' || s === '1';
const EMAIL = z.email();

type Row = Omit<typeof briefingSchedules.$inferInsert, 'id' | 'createdAt' | 'updatedAt' | 'ownerId'>;
export type ScheduleOutcome = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

/** Parses and checks a schedule against the database (the unit has units under it, the people exist and may read it). */
export async function parseSchedule(sql: Sql, input: ScheduleInput): Promise<{ ok: true; row: Row } | { ok: false; errors: Record<string, string> }> {
  const errors: Record<string, string> = {};
  const name = (input.name ?? '').trim();
  if (!name) errors.name = m.bsched_err_name();
  else if (name.length > 200) errors.name = m.bsched_err_name_long();

  const scopeCode = (input.scopeCode ?? '').trim();
  let scopeUnitId = 0;
  if (!scopeCode) errors.scopeCode = m.bsched_err_scope_empty();
  else {
    // The unit in force under that code, and whether units stand under it today.
    const [u] = await sql<{ id: number; name: string; children: number }[]>`
      select u.id, u.name, (select count(*)::int from units c where c.parent_id = u.id and c.valid_to is null) as children
      from units u where u.gso_code = ${scopeCode} order by u.valid_to desc nulls first limit 1`;
    if (!u) errors.scopeCode = m.brief_unknown_scope({ scope: scopeCode });
    else if (!u.children) errors.scopeCode = m.brief_no_children({ scope: u.name });
    else scopeUnitId = u.id;
  }

  const periodKind = (input.periodKind ?? '').trim() as (typeof SCHEDULE_PERIOD_KINDS)[number];
  if (!SCHEDULE_PERIOD_KINDS.includes(periodKind)) errors.periodKind = m.bsched_err_period();

  const dayRaw = (input.dayOfMonth ?? '').trim();
  const dayOfMonth = Number(dayRaw);
  if (!/^\d{1,2}$/.test(dayRaw) || dayOfMonth < SCHEDULE_DAY_MIN || dayOfMonth > SCHEDULE_DAY_MAX) errors.dayOfMonth = m.bsched_err_day({ value: dayRaw.slice(0, 20) });

  const sendAt = (input.sendAt ?? '').trim();
  if (!isTimeOfDay(sendAt)) errors.sendAt = m.bsched_err_time({ value: sendAt.slice(0, 20) });

  const locale = ((input.locale ?? '').trim() || 'vi') as (typeof BRIEFING_LOCALES)[number];
  if (!BRIEFING_LOCALES.includes(locale)) errors.locale = m.bsched_err_locale();

  const usernames = list(input.usernames);
  let recipientUserIds: number[] = [];
  if (usernames.length) {
    const found = await orm(sql).select({ id: users.id, username: users.username, disabled: users.disabled }).from(users).where(inArray(users.username, usernames));
    const missing = usernames.filter((u) => !found.some((f) => f.username === u && !f.disabled));
    if (missing.length) errors.usernames = m.bsched_err_users({ names: missing.join(', ') });
    else if (scopeUnitId) {
      // An officer receives only what they may read: their own unit and the units under it.
      const outside: string[] = [];
      for (const f of found) {
        const principal = await readActiveUser(sql, f.id, 'schedule-check');
        if (principal && !(await canReadDetail(sql, principal, scopeCode))) outside.push(f.username);
      }
      if (outside.length) errors.usernames = m.bsched_err_outside({ names: outside.join(', '), scope: scopeCode });
    }
    recipientUserIds = usernames.map((u) => found.find((f) => f.username === u)?.id).filter((id): id is number => id !== undefined);
  }
  const recipientEmails = [...new Set(list(input.emails))];
  const badEmail = recipientEmails.find((e) => !EMAIL.safeParse(e).success || e.length > 320);
  if (badEmail) errors.emails = m.bsched_err_email({ value: badEmail.slice(0, 100) });
  if (!usernames.length && !recipientEmails.length) errors.usernames = m.bsched_err_nobody();

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    row: { name, scopeUnitId, periodKind, dayOfMonth, sendAt, locale, recipientUserIds: [...new Set(recipientUserIds)], recipientEmails, enabled: input.enabled === undefined ? true : on(input.enabled) }
  };
}

const ownerOf = (actor: Principal) => (actor.kind === 'user' ? actor.user.id : null);

export async function createSchedule(sql: Sql, input: ScheduleInput, actor: Principal, ip?: string | null): Promise<ScheduleOutcome> {
  const parsed = await parseSchedule(sql, input);
  if (!parsed.ok) return parsed;
  const [row] = await orm(sql).insert(briefingSchedules).values({ ...parsed.row, ownerId: ownerOf(actor) }).returning({ id: briefingSchedules.id });
  await recordAudit(sql, { actor, action: 'create', entity: 'briefing_schedule', entityId: row!.id, after: parsed.row, ip });
  return { ok: true, id: row!.id };
}

/** Replaces a schedule's fields; the administrator saving it becomes its owner (whose reading the addresses receive). */
export async function updateSchedule(sql: Sql, id: number, input: ScheduleInput, actor: Principal, ip?: string | null): Promise<ScheduleOutcome> {
  const [before] = await orm(sql).select().from(briefingSchedules).where(eq(briefingSchedules.id, id));
  if (!before) return { ok: false, errors: { form: m.bsched_err_missing() } };
  const parsed = await parseSchedule(sql, input);
  if (!parsed.ok) return parsed;
  await orm(sql).update(briefingSchedules).set({ ...parsed.row, ownerId: ownerOf(actor) ?? before.ownerId, updatedAt: new Date() }).where(eq(briefingSchedules.id, id));
  await recordAudit(sql, { actor, action: 'update', entity: 'briefing_schedule', entityId: id, before, after: parsed.row, ip });
  return { ok: true, id };
}

export async function setScheduleEnabled(sql: Sql, id: number, enabled: boolean, actor: Principal, ip?: string | null): Promise<boolean> {
  const done = await orm(sql).update(briefingSchedules).set({ enabled, updatedAt: new Date() }).where(eq(briefingSchedules.id, id)).returning({ id: briefingSchedules.id });
  if (done.length) await recordAudit(sql, { actor, action: enabled ? 'enable' : 'disable', entity: 'briefing_schedule', entityId: id, ip });
  return done.length > 0;
}

export async function deleteSchedule(sql: Sql, id: number, actor: Principal, ip?: string | null): Promise<boolean> {
  const done = await orm(sql).delete(briefingSchedules).where(eq(briefingSchedules.id, id)).returning({ id: briefingSchedules.id, name: briefingSchedules.name });
  if (done.length) await recordAudit(sql, { actor, action: 'delete', entity: 'briefing_schedule', entityId: id, before: done[0], ip });
  return done.length > 0;
}

export interface ScheduleRecipient {
  username: string;
  displayName: string;
  /** The address they set on /alerts; null: they will not receive it until they set one. */
  email: string | null;
}

export interface ScheduleListRow {
  id: number;
  name: string;
  scopeCode: string;
  scopeName: string;
  periodKind: BoardPeriodKind;
  dayOfMonth: number;
  sendAt: string;
  locale: string;
  people: ScheduleRecipient[];
  emails: string[];
  enabled: boolean;
  ownerName: string | null;
  /** ISO time of the next send (null when switched off) and the period it will brief. */
  nextSend: string | null;
  nextPeriodStart: string | null;
}

export async function listSchedules(sql: Sql, now = new Date()): Promise<ScheduleListRow[]> {
  const rows = await orm(sql).select().from(briefingSchedules).orderBy(desc(briefingSchedules.id));
  const unitIds = [...new Set(rows.map((r) => r.scopeUnitId))];
  const us = unitIds.length ? await orm(sql).select({ id: units.id, code: units.gsoCode, name: units.name }).from(units).where(inArray(units.id, unitIds)) : [];
  const userIds = [...new Set(rows.flatMap((r) => [...r.recipientUserIds, ...(r.ownerId ? [r.ownerId] : [])]))];
  const people = userIds.length
    ? await orm(sql).select({ id: users.id, username: users.username, displayName: users.displayName, email: alertContacts.email })
        .from(users).leftJoin(alertContacts, eq(alertContacts.userId, users.id)).where(inArray(users.id, userIds))
    : [];
  return rows.map((r) => {
    const u = us.find((x) => x.id === r.scopeUnitId);
    const next = r.enabled ? nextSendTime({ day: r.dayOfMonth, at: r.sendAt, periodKind: r.periodKind }, now) : null;
    return {
      id: r.id, name: r.name, scopeCode: u?.code ?? '', scopeName: u?.name ?? '', periodKind: r.periodKind as BoardPeriodKind, dayOfMonth: r.dayOfMonth, sendAt: r.sendAt, locale: r.locale,
      people: r.recipientUserIds.map((id) => {
        const p = people.find((x) => x.id === id);
        return { username: p?.username ?? `#${id}`, displayName: p?.displayName ?? '', email: p?.email ?? null };
      }),
      emails: r.recipientEmails, enabled: r.enabled, ownerName: people.find((p) => p.id === r.ownerId)?.displayName ?? null,
      nextSend: next?.toISOString() ?? null, nextPeriodStart: next ? briefedPeriod(r.periodKind, next).start : null
    };
  });
}

/** A schedule as the form shows it for editing. */
export async function scheduleForm(sql: Sql, id: number): Promise<Record<string, string> | null> {
  const [row] = (await listSchedules(sql)).filter((r) => r.id === id);
  if (!row) return null;
  return {
    name: row.name, scopeCode: row.scopeCode, periodKind: row.periodKind, dayOfMonth: String(row.dayOfMonth), sendAt: row.sendAt, locale: row.locale,
    usernames: row.people.map((p) => p.username).join(', '), emails: row.emails.join(', '), enabled: row.enabled ? 'on' : ''
  };
}

export interface MailingListRow {
  id: number;
  scheduleId: number;
  scheduleName: string;
  periodKind: BoardPeriodKind;
  periodStart: string;
  recipient: string;
  email: string | null;
  manual: boolean;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  pdfBytes: number | null;
  at: string;
}

/** The latest mailings, newest first (of one schedule, or all). */
export async function listMailings(sql: Sql, options: { scheduleId?: number; limit?: number } = {}): Promise<MailingListRow[]> {
  const rows = await sql<{
    id: number; schedule_id: number; name: string; period_kind: BoardPeriodKind; period_start: string; username: string | null; display_name: string | null;
    email: string | null; manual: boolean; status: MailingListRow['status']; attempts: number; last_error: string | null; pdf_bytes: number | null; at_ms: number;
  }[]>`
    select b.id, b.schedule_id, s.name, b.period_kind, b.period_start::text, u.username, u.display_name, b.email, b.manual, b.status, b.attempts,
           b.last_error, b.pdf_bytes, extract(epoch from coalesce(b.sent_at, b.created_at))::float8 * 1000 as at_ms
    from briefing_mailings b join briefing_schedules s on s.id = b.schedule_id left join users u on u.id = b.user_id
    where ${options.scheduleId ?? null}::int is null or b.schedule_id = ${options.scheduleId ?? null}::int
    order by b.created_at desc, b.id desc limit ${options.limit ?? 50}`;
  return rows.map((r) => ({
    id: r.id, scheduleId: r.schedule_id, scheduleName: r.name, periodKind: r.period_kind, periodStart: r.period_start,
    recipient: r.display_name ? `${r.display_name} (${r.username})` : (r.email ?? ''), email: r.email, manual: r.manual, status: r.status,
    attempts: r.attempts, lastError: r.last_error, pdfBytes: r.pdf_bytes, at: new Date(r.at_ms).toISOString()
  }));
}
