/**
 * The briefing mailed on a schedule (docs/briefings.md, "Mailed on a schedule"), in the workers:
 *
 * - `queueDueMailings` (the minute `briefings-tick`): for every schedule switched on whose send time
 *   came and whose mailings of that period are not made yet, one mailing per recipient of the period it briefs — a person at the address they set on
 *   /alerts (none set: the mailing is recorded failed, saying so), each address of its list — and one
 *   `mail-briefing` job each, in the same transaction. A second tick finds them made: one mail per
 *   schedule, period and recipient, however many ticks or worker processes.
 * - `queueMailingNow` (an administrator's "Gửi ngay"): the same, at once, marked manual.
 * - `mailBriefing` (the `mail-briefing` job): Chromium prints the briefing as the recipient may read
 *   it (a person) or as the schedule's owner does (an address), through a web node's print page and a
 *   print ticket, and the mail goes out with the PDF attached. A refusal of the page (403, 404) fails
 *   the mailing at once, in its words; anything else is thrown for pg-boss to retry.
 */
import type { PgBoss } from 'pg-boss';
import type { Sql } from '#db/client';
import { dueMailing } from '#domain/briefing-schedule';
import type { Period } from '#domain/periods';
import type { BoardPeriodKind } from '#contract/dto';
import { m } from '../../paraglide/messages.js';
import type { Locale } from '../../paraglide/runtime.js';
import { formatPeriod } from '../../format.ts';
import { inTransaction } from '../jobs/send.ts';
import { MAIL_BRIEFING_QUEUE, type MailBriefingJob } from '../jobs/queues.ts';
import { mailTransport } from '../mail.ts';
import { BriefingPageError, briefingFileNames, renderBriefingPdf, safeFileName } from './render.ts';

export interface BriefingMailConfig {
  /** SMTP_URL; unset: every mailing fails saying so. */
  smtpUrl?: string;
  /** The From (ALERT_MAIL_FROM: the installation's one sender). */
  mailFrom: string;
  /** A web node as the workers' Chromium reaches it (BRIEFING_PRINT_ORIGIN). */
  printOrigin: string;
  /** The public origin the mail's link points to (ORIGIN). */
  linkBase: string;
  /** CITYOPS_SECRET_KEY: without it no web node accepts the workers' print ticket. */
  secretKeyHex?: string;
}

interface ScheduleRow {
  id: number;
  period_kind: BoardPeriodKind;
  day_of_month: number;
  send_at: string;
  recipient_user_ids: number[];
  recipient_emails: string[];
  /** ms since the epoch (a timestamp's text form differs between connections' type settings). */
  created_ms: number;
}

/** Makes the schedule's mailings of `period` (each recipient once unless `manual`) and queues their jobs; returns the new mailings' ids. */
async function makeMailings(sql: Sql, boss: PgBoss, s: ScheduleRow, period: Period, manual: boolean): Promise<number[]> {
  return sql.begin(async (tx) => {
    const people = s.recipient_user_ids.length
      ? await tx<{ id: number; email: string | null }[]>`
          select u.id, c.email from users u left join alert_contacts c on c.user_id = u.id
          where u.id = any(${s.recipient_user_ids}::int[]) and not u.disabled order by u.id`
      : [];
    const recipients = [
      ...people.map((p) => ({ key: `user:${p.id}`, userId: p.id as number | null, email: p.email })),
      ...s.recipient_emails.map((e) => ({ key: `mail:${e.toLowerCase()}`, userId: null, email: e as string | null }))
    ];
    const made: number[] = [];
    for (const r of recipients) {
      const noAddress = r.email === null;
      const [row] = await tx<{ id: number }[]>`
        insert into briefing_mailings (schedule_id, period_kind, period_start, recipient_key, user_id, email, manual, status, last_error)
        values (${s.id}, ${period.kind}, ${period.start}, ${r.key}, ${r.userId}, ${r.email}, ${manual},
                ${noAddress ? 'failed' : 'queued'}, ${noAddress ? m.bmail_err_no_address({}, { locale: 'vi' }) : null})
        on conflict (schedule_id, period_kind, period_start, recipient_key) where not manual do nothing
        returning id`;
      if (!row) continue;
      made.push(row.id);
      if (!noAddress) await boss.send(MAIL_BRIEFING_QUEUE, { mailingId: row.id } satisfies MailBriefingJob, { db: inTransaction(tx) });
    }
    return made;
  }) as Promise<number[]>;
}

/** Every switched-on schedule whose send time came and whose mailings of that period are not made yet: made and queued. */
export async function queueDueMailings(sql: Sql, boss: PgBoss, now = new Date()): Promise<{ schedules: number; mailings: number }> {
  const schedules = await sql<ScheduleRow[]>`
    select id, period_kind, day_of_month, send_at, recipient_user_ids, recipient_emails, extract(epoch from created_at)::float8 * 1000 as created_ms from briefing_schedules where enabled order by id`;
  let count = 0;
  let touched = 0;
  for (const s of schedules) {
    const due = dueMailing({ day: s.day_of_month, at: s.send_at, periodKind: s.period_kind, createdAt: new Date(s.created_ms) }, now);
    if (!due) continue;
    // Made already (every tick of the month after the send time finds this): nothing to do. A person
    // added to the schedule since waits for the next period ("Gửi ngay" sends at once).
    const [already] = await sql`
      select 1 from briefing_mailings where schedule_id = ${s.id} and period_kind = ${due.period.kind} and period_start = ${due.period.start} and not manual limit 1`;
    if (already) continue;
    const made = await makeMailings(sql, boss, s, due.period, false);
    if (made.length) touched++;
    count += made.length;
  }
  return { schedules: touched, mailings: count };
}

/** "Gửi ngay": the schedule's briefing of the period it would brief now, to every recipient at once. Null: no such schedule. */
export async function queueMailingNow(sql: Sql, boss: PgBoss, scheduleId: number, now = new Date()): Promise<{ mailings: number; period: Period } | null> {
  const [s] = await sql<ScheduleRow[]>`
    select id, period_kind, day_of_month, send_at, recipient_user_ids, recipient_emails, extract(epoch from created_at)::float8 * 1000 as created_ms from briefing_schedules where id = ${scheduleId}`;
  if (!s) return null;
  const period = dueMailing({ day: s.day_of_month, at: s.send_at, periodKind: s.period_kind, createdAt: new Date(0) }, now)!.period;
  const made = await makeMailings(sql, boss, s, period, true);
  return { mailings: made.length, period };
}

/** A failure no retry mends (the page refused, no address, nobody to read it as): recorded, not thrown. */
class FinalMailingError extends Error {}

/** One mailing: printed, mailed, recorded. `final`: pg-boss's last attempt. */
export async function mailBriefing(sql: Sql, mailingId: number, cfg: BriefingMailConfig, attempt: { final: boolean }): Promise<{ sent: boolean; skipped?: string; failed?: string; bytes?: number }> {
  const [row] = await sql<{
    status: string; email: string | null; user_id: number | null; owner_id: number | null; period_kind: BoardPeriodKind; period_start: string;
    locale: Locale; scope_code: string; scope_name: string; schedule_name: string;
  }[]>`
    select b.status, b.email, b.user_id, s.owner_id, b.period_kind, b.period_start::text, s.locale, u.gso_code as scope_code, u.name as scope_name, s.name as schedule_name
    from briefing_mailings b join briefing_schedules s on s.id = b.schedule_id join units u on u.id = s.scope_unit_id
    where b.id = ${mailingId}`;
  if (!row) return { sent: false, skipped: 'no such mailing (its schedule deleted)' };
  if (row.status !== 'queued') return { sent: false, skipped: `already ${row.status}` };
  const o = { locale: row.locale };
  try {
    if (!row.email) throw new FinalMailingError(m.bmail_err_no_address({}, o));
    if (!cfg.smtpUrl) throw new FinalMailingError(m.bmail_err_no_smtp({}, o));
    if (!cfg.secretKeyHex) throw new FinalMailingError(m.bmail_err_no_key({}, o));
    const readerId = row.user_id ?? row.owner_id;
    if (readerId === null) throw new FinalMailingError(m.bmail_err_no_owner({}, o));
    const query = { scope: row.scope_code, period: row.period_kind, date: row.period_start };
    let pdf: Buffer;
    try {
      pdf = await renderBriefingPdf({ ...query, userId: readerId, locale: row.locale, origin: cfg.printOrigin });
    } catch (e) {
      // The print page refused this reader or this scope: no retry changes that.
      if (e instanceof BriefingPageError && (e.status === 403 || e.status === 404)) throw new FinalMailingError(e.message);
      throw e;
    }
    const period = formatPeriod(row.period_kind, row.period_start, row.locale);
    const names = briefingFileNames({ code: row.scope_code, name: row.scope_name }, query, row.locale);
    const link = new URL(`/?scope=${encodeURIComponent(row.scope_code)}&period=${row.period_kind}&date=${row.period_start}`, cfg.linkBase).href;
    await mailTransport(cfg.smtpUrl).sendMail({
      from: cfg.mailFrom,
      to: row.email,
      subject: m.bmail_subject({ scope: row.scope_name, period }, o),
      text: m.bmail_text({ scope: row.scope_name, period, schedule: row.schedule_name, link }, o),
      attachments: [{ filename: safeFileName(names.words), content: pdf, contentType: 'application/pdf' }]
    });
    await sql`update briefing_mailings set status = 'sent', attempts = attempts + 1, last_error = null, sent_at = now(), pdf_bytes = ${pdf.length} where id = ${mailingId}`;
    return { sent: true, bytes: pdf.length };
  } catch (e) {
    const final = e instanceof FinalMailingError || attempt.final;
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 500);
    await sql`update briefing_mailings set attempts = attempts + 1, last_error = ${message}, status = ${final ? 'failed' : 'queued'} where id = ${mailingId}`;
    if (e instanceof FinalMailingError) return { sent: false, failed: message };
    throw new Error(message);
  }
}
