/**
 * One delivery job: a mail over SMTP (nodemailer) or a webhook call (JSON POST signed
 * `X-CityOps-Signature: sha256=<hex HMAC-SHA256(secret, body)>`), for one alert or a digest of
 * several. A failure is recorded on the deliveries (attempts, error) and thrown, so pg-boss retries
 * the job with backoff (queues.ts); after the last attempt the deliveries are `failed`.
 */
import { createHmac } from 'node:crypto';
import type { Sql } from '#db/client';
import { open } from '../secrets.ts';
import { mailTransport } from '../mail.ts';
import { egressPolicy } from '../config.ts';
import { egressRefusal, guardedDispatcher } from '../pipeline/ssrf.ts';

export interface DeliveryConfig {
  /** smtp://… or smtps://… (SMTP_URL); unset: mail deliveries fail with that reason. */
  smtpUrl?: string;
  /** The From of alert mail (ALERT_MAIL_FROM). */
  mailFrom: string;
  /** Where the links in mail and webhooks point (ORIGIN, else http://localhost:PORT). */
  linkBase: string;
  secretKeyHex?: string;
  /** The webhook call's time limit. */
  webhookTimeoutMs?: number;
}

interface Row {
  id: number;
  channel: 'email' | 'webhook';
  recipient: string;
  digest: boolean;
  alert_id: number;
  title: string;
  body: string;
  link: string;
  kind: string;
  raised_at: Date;
  rule_id: number;
  rule_name: string;
  secret: string | null;
  unit_code: string | null;
  source_key: string | null;
}

const viTime = (d: Date) =>
  new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric', hour12: false }).format(d);

/** The mail of one alert or a digest: subject and plain text, every alert with its link. */
export function mailOf(rows: Pick<Row, 'title' | 'body' | 'link' | 'raised_at' | 'rule_name'>[], linkBase: string, digest: boolean): { subject: string; text: string } {
  const item = (r: (typeof rows)[number]) => `${r.title}\n${r.body}\nLúc: ${viTime(new Date(r.raised_at))}\nXem chi tiết: ${new URL(r.link, linkBase).href}`;
  if (!digest && rows.length === 1) {
    const r = rows[0]!;
    return { subject: `[Cảnh báo] ${r.title}`, text: `${item(r)}\n\nQuy tắc: ${r.rule_name}\n— City Ops, Trung tâm điều hành` };
  }
  return {
    subject: `[Cảnh báo] Tổng hợp ${rows.length} cảnh báo`,
    text: `Tổng hợp ${rows.length} cảnh báo (quy tắc: ${rows[0]?.rule_name ?? ''}):\n\n${rows.map((r, i) => `${i + 1}. ${item(r)}`).join('\n\n')}\n\n— City Ops, Trung tâm điều hành`
  };
}

export const signature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Sends the deliveries of one job; `final`: this is the last attempt pg-boss will make. */
export async function deliver(sql: Sql, deliveryIds: number[], cfg: DeliveryConfig, attempt: { final: boolean }): Promise<{ sent: number; skipped?: string }> {
  const rows = await sql<Row[]>`
    select d.id, d.channel, d.recipient, d.digest, a.id as alert_id, a.title, a.body, a.link, a.kind, a.raised_at,
           r.id as rule_id, r.name as rule_name, r.webhook_secret_sealed as secret, u.gso_code as unit_code, s.key as source_key
    from alert_deliveries d join alerts a on a.id = d.alert_id join alert_rules r on r.id = a.rule_id
    left join units u on u.id = a.unit_id left join data_sources s on s.id = a.source_id
    where d.id = any(${deliveryIds}::int[]) and d.status in ('queued', 'retrying')
    order by a.raised_at, d.id`;
  if (!rows.length) return { sent: 0, skipped: 'already sent' };
  const ids = rows.map((r) => r.id);
  const first = rows[0]!;
  try {
    if (first.channel === 'email') {
      if (!cfg.smtpUrl) throw new Error('SMTP_URL chưa được cấu hình: không gửi được thư');
      const mail = mailOf(rows, cfg.linkBase, first.digest);
      await mailTransport(cfg.smtpUrl).sendMail({ from: cfg.mailFrom, to: first.recipient, subject: mail.subject, text: mail.text });
    } else {
      if (!first.secret || !cfg.secretKeyHex) throw new Error('webhook: thiếu khoá bí mật để ký');
      const body = JSON.stringify({
        // Several alerts in one call (a digest, or a rule raising several at once: evaluate.ts queueGathered).
        type: first.digest || rows.length > 1 ? 'alerts.digest' : 'alert',
        rule: { id: first.rule_id, name: first.rule_name },
        alerts: rows.map((r) => ({
          id: r.alert_id, kind: r.kind, title: r.title, body: r.body, link: new URL(r.link, cfg.linkBase).href,
          raisedAt: new Date(r.raised_at).toISOString(), unit: r.unit_code, source: r.source_key
        }))
      });
      // The sources' egress policy (SOURCE_ALLOWED_HOSTS) holds for webhooks too: no private or
      // loopback address unless allowed, never link-local or cloud metadata; checked at connect time.
      const init: RequestInit & { dispatcher: ReturnType<typeof guardedDispatcher> } = {
        method: 'POST', body, redirect: 'manual', signal: AbortSignal.timeout(cfg.webhookTimeoutMs ?? 10_000), dispatcher: guardedDispatcher(egressPolicy()),
        headers: { 'content-type': 'application/json', 'user-agent': 'CityOps-Alerts/1', 'x-cityops-signature': signature(open(first.secret, cfg.secretKeyHex), body) }
      };
      const res = await fetch(first.recipient, init).catch((e: unknown) => {
        const refused = egressRefusal(e);
        throw refused ? new Error(`webhook: ${refused.message}`) : e;
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`webhook trả lời HTTP ${res.status}`);
    }
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 500);
    await sql`update alert_deliveries set attempts = attempts + 1, last_error = ${message}, status = ${attempt.final ? 'failed' : 'retrying'} where id = any(${ids}::int[])`;
    throw new Error(message);
  }
  await sql`update alert_deliveries set attempts = attempts + 1, last_error = null, status = 'sent', sent_at = now() where id = any(${ids}::int[])`;
  return { sent: ids.length };
}
