/**
 * Reads of the alerts: a person's bell (unread count, their notifications, mark read) and the list of
 * every alert sent (GET /api/v1/alerts), scoped as the rest: an officer sees their own unit's subtree.
 */
import { z } from 'zod';
import type { Queryable as Sql } from '#db/client';
import { ALERTS_CHANNEL, type AlertsChanged } from '#contract/notify';
import type { Principal } from '../auth/principal.ts';

export async function unreadCount(sql: Sql, userId: number): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from alert_notifications where user_id = ${userId} and read_at is null`;
  return row?.n ?? 0;
}

export interface InboxItem {
  id: number;
  alertId: number;
  title: string;
  body: string;
  link: string;
  kind: string;
  ruleName: string;
  /** ISO 8601 UTC */
  raisedAt: string;
  read: boolean;
}

/** A page of the person's notification centre, newest first (`offset` items skipped). */
export async function inbox(sql: Sql, userId: number, limit = 100, offset = 0): Promise<InboxItem[]> {
  const rows = await sql<{ id: number; alert_id: number; title: string; body: string; link: string; kind: string; rule_name: string; raised_at: Date; read_at: Date | null }[]>`
    select n.id, a.id as alert_id, a.title, a.body, a.link, a.kind, r.name as rule_name, a.raised_at, n.read_at
    from alert_notifications n join alerts a on a.id = n.alert_id join alert_rules r on r.id = a.rule_id
    where n.user_id = ${userId}
    order by a.raised_at desc, n.id desc limit ${limit} offset ${offset}`;
  return rows.map((r) => ({
    id: r.id, alertId: r.alert_id, title: r.title, body: r.body, link: r.link, kind: r.kind, ruleName: r.rule_name,
    raisedAt: new Date(r.raised_at).toISOString(), read: r.read_at !== null
  }));
}

/** How many notifications the person has, and how many of them unread (the centre's pages and its count). */
export async function inboxCounts(sql: Sql, userId: number): Promise<{ total: number; unread: number }> {
  const [row] = await sql<{ total: number; unread: number }[]>`
    select count(*)::int as total, (count(*) filter (where read_at is null))::int as unread from alert_notifications where user_id = ${userId}`;
  return { total: row?.total ?? 0, unread: row?.unread ?? 0 };
}

/** Marks one notification (or all, id null) of the person read; other tabs hear it over the socket. */
export async function markRead(sql: Sql, userId: number, id: number | null): Promise<number> {
  const done = id === null
    ? await sql`update alert_notifications set read_at = now() where user_id = ${userId} and read_at is null returning id`
    : await sql`update alert_notifications set read_at = now() where user_id = ${userId} and id = ${id} and read_at is null returning id`;
  if (done.length) {
    const payload: AlertsChanged = { userIds: [userId] };
    await sql`select pg_notify(${ALERTS_CHANNEL}, ${JSON.stringify(payload)})`;
  }
  return done.length;
}

const day = z.iso.date('must be a date written YYYY-MM-DD');
export const alertsQuerySchema = z
  .object({
    from: day.optional(),
    to: day.optional(),
    unit: z.string().regex(/^[A-Za-z0-9._-]{1,20}$/, 'must be a unit code').optional(),
    limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(200)
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });
export type AlertsQuery = z.infer<typeof alertsQuerySchema>;

export interface AlertDto {
  id: number;
  rule: { id: number; name: string };
  kind: string;
  unit: { code: string; name: string } | null;
  source: { key: string; name: string } | null;
  title: string;
  body: string;
  /** The screen that explains it (a path on this site). */
  link: string;
  /** ISO 8601 UTC */
  raisedAt: string;
  clearedAt: string | null;
  deliveries: { channel: string; recipient: string; status: string; attempts: number; lastError: string | null; sentAt: string | null }[];
}

/**
 * Every alert raised in the range (days in Hà Nội time), newest first: administrators and leaders
 * all of them; an officer those about their unit's subtree. `unit`: only those about that unit's subtree.
 */
export async function listAlerts(sql: Sql, principal: Principal, q: AlertsQuery): Promise<AlertDto[]> {
  if (principal.kind !== 'user') return [];
  const officerCode = principal.user.role === 'officer' ? (principal.user.unitCode ?? '\u0000') : null;
  const rows = await sql<{
    id: number; rule_id: number; rule_name: string; kind: string; unit_code: string | null; unit_name: string | null; source_key: string | null;
    source_name: string | null; title: string; body: string; link: string; raised_at: Date; cleared_at: Date | null; deliveries: AlertDto['deliveries'] | null;
  }[]>`
    select a.id, a.rule_id, r.name as rule_name, a.kind, u.gso_code as unit_code, u.name as unit_name, s.key as source_key, s.name as source_name,
           a.title, a.body, a.link, a.raised_at, a.cleared_at,
           (select json_agg(json_build_object('channel', d.channel, 'recipient', d.recipient, 'status', d.status, 'attempts', d.attempts,
                                              'lastError', d.last_error, 'sentAt', d.sent_at) order by d.id)
            from alert_deliveries d where d.alert_id = a.id) as deliveries
    from alerts a join alert_rules r on r.id = a.rule_id
    left join units u on u.id = a.unit_id left join data_sources s on s.id = a.source_id
    where (${q.from ?? null}::date is null or a.raised_at >= (${q.from ?? null}::date::timestamp at time zone 'Asia/Ho_Chi_Minh'))
      and (${q.to ?? null}::date is null or a.raised_at < ((${q.to ?? null}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh'))
      and (${q.unit ?? null}::text is null or exists (
        select 1 from unit_rollup c join units an on an.id = c.ancestor_id where an.gso_code = ${q.unit ?? null}::text and c.descendant_id = a.unit_id))
      and (${officerCode}::text is null or exists (
        select 1 from unit_rollup c join units an on an.id = c.ancestor_id where an.gso_code = ${officerCode}::text and c.descendant_id = a.unit_id))
    order by a.raised_at desc, a.id desc limit ${q.limit}`;
  return rows.map((r) => ({
    id: r.id, rule: { id: r.rule_id, name: r.rule_name }, kind: r.kind,
    unit: r.unit_code ? { code: r.unit_code, name: r.unit_name ?? '' } : null,
    source: r.source_key ? { key: r.source_key, name: r.source_name ?? '' } : null,
    title: r.title, body: r.body, link: r.link, raisedAt: new Date(r.raised_at).toISOString(), clearedAt: r.cleared_at ? new Date(r.cleared_at).toISOString() : null,
    deliveries: (r.deliveries ?? []).map((d) => ({ ...d, sentAt: d.sentAt ? new Date(d.sentAt).toISOString() : null }))
  }));
}

/** The address the person takes their alert mail at (set by themselves), or null. */
export async function contactOf(sql: Sql, userId: number): Promise<string | null> {
  const [row] = await sql<{ email: string }[]>`select email from alert_contacts where user_id = ${userId}`;
  return row?.email ?? null;
}

/** Sets (or, with an empty text, removes) the person's address; a wrong one answers false and changes nothing. */
export async function setContact(sql: Sql, userId: number, email: string): Promise<boolean> {
  const e = email.trim();
  if (!e) {
    await sql`delete from alert_contacts where user_id = ${userId}`;
    return true;
  }
  if (!z.email().safeParse(e).success || e.length > 320) return false;
  await sql`
    insert into alert_contacts (user_id, email, updated_at) values (${userId}, ${e}, now())
    on conflict (user_id) do update set email = excluded.email, updated_at = now()`;
  return true;
}
