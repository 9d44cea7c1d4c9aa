/**
 * Print tickets: how the headless Chromium reaches the print page with the caller's authority,
 * without carrying the caller's session (docs/briefings.md, "Who the browser is").
 *
 * A ticket names one user (by id) and one page (scope, period, date, language), lives
 * TICKET_LIFETIME_MS, and opens that page once: it is HMAC-SHA-256-signed (a key derived from
 * CITYOPS_SECRET_KEY when set, so any process sharing it — a web node, later the mail job in the
 * workers — can mint one a web node accepts; else a key of this process alone), and its nonce is
 * spent at first use in the process that reads it (the browser asks the very web process that
 * minted the ticket, over loopback). The user is read afresh when it is used: disabled since, they
 * are refused; the print page then checks access as for anyone.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { config } from '../config.ts';
import type { Queryable } from '#db/client';
import { readActiveUser } from '../auth/sessions.ts';
import type { Principal } from '../auth/principal.ts';
import { briefingQuerySchema, type BriefingQuery } from './query.ts';

/** The request header the headless browser sends the ticket in (never a URL: URLs are logged). */
export const PRINT_TICKET_HEADER = 'x-cityops-print-ticket';
/** Long enough for a browser to open a page under load, short enough to be useless if it leaked. */
export const TICKET_LIFETIME_MS = 60_000;

const payloadSchema = briefingQuerySchema.extend({
  userId: z.number().int().positive(),
  locale: z.enum(['vi', 'en']),
  /** Expiry, ms since the epoch. */
  exp: z.number().int(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/)
});
export type TicketPayload = z.infer<typeof payloadSchema>;

let processKey: Buffer | undefined;
function key(): Buffer {
  const secret = config().CITYOPS_SECRET_KEY;
  if (secret) return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'hex'), Buffer.alloc(0), 'city-ops print ticket v1', 32));
  processKey ??= randomBytes(32);
  return processKey;
}

const sign = (body: string) => createHmac('sha256', key()).update(body).digest('base64url');

/** A ticket for `userId` to open the print page of `query` once, within TICKET_LIFETIME_MS. */
export function mintTicket(query: BriefingQuery, userId: number, locale: 'vi' | 'en', now = Date.now()): string {
  const payload: TicketPayload = { ...query, userId, locale, exp: now + TICKET_LIFETIME_MS, nonce: randomBytes(18).toString('base64url') };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body)}`;
}

/** Spent nonces, until their ticket would have expired anyway. */
const spent = new Map<string, number>();

/** The ticket's payload if it is well signed, unexpired and unspent — and spends it. Null otherwise. */
export function spendTicket(ticket: string, now = Date.now()): TicketPayload | null {
  for (const [nonce, exp] of spent) if (exp <= now) spent.delete(nonce);
  const [body, mac] = ticket.split('.');
  if (!body || !mac || ticket.length > 2048) return null;
  const expected = Buffer.from(sign(body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let parsed: TicketPayload;
  try {
    const r = payloadSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    if (!r.success) return null;
    parsed = r.data;
  } catch {
    return null;
  }
  if (parsed.exp <= now || spent.has(parsed.nonce)) return null;
  spent.set(parsed.nonce, parsed.exp);
  return parsed;
}

/**
 * The principal a print request stands for: the ticket's user, when the ticket is good and names
 * exactly this page (scope, period and date of the URL). Null: refuse the request.
 */
export async function ticketPrincipal(sql: Queryable, ticket: string, url: URL, now = Date.now()): Promise<Principal | null> {
  const t = spendTicket(ticket, now);
  if (!t) return null;
  const asked = { scope: url.searchParams.get('scope'), period: url.searchParams.get('period'), date: url.searchParams.get('date') };
  if (asked.scope !== t.scope || asked.period !== t.period || asked.date !== t.date) return null;
  return readActiveUser(sql, t.userId, `print:${t.nonce.slice(0, 8)}`);
}
