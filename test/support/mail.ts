/**
 * A real SMTP server for the tests (the smtp-server package) on 127.0.0.1, port 0: it keeps every
 * message, decoded (subject, plain text), and resolves a wait as soon as the awaited one arrives.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ReceivedMail {
  to: string[];
  subject: string;
  /** The plain text (of the text/plain part, in a multipart mail). */
  text: string;
  attachments: MailAttachment[];
}

/** RFC 2047 encoded words (=?UTF-8?B|Q?…?=), adjacent ones joined. */
function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, _cs, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
    );
}

function decodeQuotedPrintable(s: string): string {
  const bytes = s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** A header block's fields (folded lines unfolded), by lower-case name. */
function headersOf(block: string): (name: string) => string {
  const lines = block.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  return (name) => lines.find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim() ?? '';
}

function decodeBody(body: string, encoding: string): Buffer {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (e === 'quoted-printable') return Buffer.from(decodeQuotedPrintable(body), 'utf8');
  return Buffer.from(body, 'utf8');
}

/** A parameter of a header (filename="…", or RFC 2231's filename*=utf-8''… and its numbered pieces). */
function param(header: string, name: string): string {
  const plain = new RegExp(`(?:^|;)\\s*${name}="([^"]*)"`, 'i').exec(header) ?? new RegExp(`(?:^|;)\\s*${name}=([^;\\s]+)`, 'i').exec(header);
  const pieces = [...header.matchAll(new RegExp(`${name}\\*(\\d+)?\\*?=("?)([^";]*)\\2`, 'gi'))];
  if (pieces.length) {
    const joined = pieces.sort((a, b) => Number(a[1] ?? 0) - Number(b[1] ?? 0)).map((p) => p[3]).join('');
    return decodeURIComponent(joined.replace(/^[^']*'[^']*'/, ''));
  }
  return plain ? decodeWords(plain[1]!) : '';
}

export function parseMail(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const header = headersOf(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const type = header('Content-Type');
  const subject = decodeWords(header('Subject'));
  const boundary = /^multipart\//i.test(type) ? param(type, 'boundary') : '';
  if (!boundary) {
    return { to, subject, text: decodeBody(body, header('Content-Transfer-Encoding')).toString('utf8').replace(/\r\n/g, '\n'), attachments: [] };
  }
  let text = '';
  const attachments: MailAttachment[] = [];
  for (const part of body.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break;
    const at = part.indexOf('\r\n\r\n');
    const h = headersOf(part.slice(2, at));
    const content = decodeBody(part.slice(at + 4).replace(/\r\n$/, ''), h('Content-Transfer-Encoding'));
    const disposition = h('Content-Disposition');
    if (/^attachment/i.test(disposition)) {
      attachments.push({ filename: param(disposition, 'filename') || param(h('Content-Type'), 'name'), contentType: h('Content-Type').split(';')[0]!.trim(), content });
    } else if (/^text\/plain/i.test(h('Content-Type')) && !text) {
      text = content.toString('utf8').replace(/\r\n/g, '\n');
    }
  }
  return { to, subject, text, attachments };
}

/**
 * `saveTo`: each message is also written there as <n>.eml, raw (the end-to-end product's SMTP server
 * runs in Playwright's global setup; the specs read what it received from that directory).
 */
export async function startSmtp(options: { saveTo?: string } = {}) {
  const mails: ReceivedMail[] = [];
  const waiters: { match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const rcpt = session.envelope.rcptTo.map((r) => r.address);
        if (options.saveTo) writeFileSync(path.join(options.saveTo, `${mails.length + 1}.eml`), `X-Test-Rcpt-To: ${rcpt.join(',')}\r\n${raw}`);
        const mail = parseMail(raw, rcpt);
        mails.push(mail);
        for (const w of [...waiters]) {
          if (w.match(mail)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(mail);
          }
        }
        callback();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    /** Every mail received for this address. */
    to: (address: string) => mails.filter((m) => m.to.includes(address)),
    /** The next mail to this address (or one already received and not yet awaited: the n-th, counting from 1). */
    mailTo(address: string, nth = 1): Promise<ReceivedMail> {
      const have = mails.filter((m) => m.to.includes(address));
      if (have.length >= nth) return Promise.resolve(have[nth - 1]!);
      return new Promise((resolve) => {
        let seen = have.length;
        waiters.push({ match: (m) => m.to.includes(address) && ++seen === nth, resolve });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  };
}

/** The mails saved in `dir` by startSmtp({ saveTo }), in the order received. */
export function savedMails(dir: string): ReceivedMail[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort((a, b) => parseInt(a) - parseInt(b))
    .map((f) => {
      const raw = readFileSync(path.join(dir, f), 'utf8');
      const first = raw.indexOf('\r\n');
      return parseMail(raw.slice(first + 2), raw.slice('X-Test-Rcpt-To: '.length, first).split(','));
    });
}
