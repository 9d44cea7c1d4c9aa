/**
 * The SMTP transport (nodemailer) every mail of the installation goes through — alerts and the
 * briefing's mailing — made once per SMTP_URL and reused (its connections too).
 */
import nodemailer, { type Transporter } from 'nodemailer';

let transport: { url: string; t: Transporter } | undefined;

/** The transport for `url` (smtp://… or smtps://…). */
export function mailTransport(url: string): Transporter {
  if (transport?.url !== url) transport = { url, t: nodemailer.createTransport(url) };
  return transport.t;
}
