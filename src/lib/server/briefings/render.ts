/**
 * The monthly briefing (báo cáo giao ban) as a PDF: Chromium prints the print page
 * (/briefings/print), the same rendering as the screens and no second layout engine. The page is
 * reached over HTTP with a one-use print ticket standing for the user (ticket.ts), in their language.
 *
 * Callers: GET /api/v1/briefings (the web process, its own address as `origin`) and the scheduled
 * mailing in the workers (mailing.ts: a web node's address, BRIEFING_PRINT_ORIGIN, as `origin`, the
 * recipient as `userId`; CITYOPS_SECRET_KEY shared, so the web node accepts its ticket).
 */
import { m } from '../../paraglide/messages.js';
import type { Locale } from '../../paraglide/runtime.js';
import { sharedBrowser, withPrintSlot } from './browser.ts';
import { mintTicket, PRINT_TICKET_HEADER } from './ticket.ts';
import { PRINT_PATH, type BriefingQuery } from './query.ts';
import { periodOf } from '#domain/periods';
import { formatPeriod } from '../../format.ts';
export { PRINT_PATH };

/** The whole print, page open to PDF written; beyond it the request fails in words. */
export const RENDER_TIMEOUT_MS = 45_000;

export interface BriefingRender extends BriefingQuery {
  /** Whose authority the page is read with (their access rules apply). */
  userId: number;
  locale: Locale;
  /** A web server of this installation, as the browser reaches it (e.g. http://127.0.0.1:3000). */
  origin: string;
}

/** The print page answered otherwise than with the briefing (refused, not found, failed): its status and words. */
export class BriefingPageError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The locale cookie the page reads its language from (Paraglide's). */
const LOCALE_COOKIE = 'cityops_locale';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The print page's URL for a query (the parameters in a fixed order, as the ticket names them). */
export function printUrl(origin: string, q: BriefingQuery): string {
  const params = new URLSearchParams({ scope: q.scope, period: q.period, date: q.date });
  return `${origin.replace(/\/$/, '')}${PRINT_PATH}?${params}`;
}

/** The briefing of `scope` for the period of `period` kind holding `date`, as an A4 PDF. */
export async function renderBriefingPdf(r: BriefingRender): Promise<Buffer> {
  const browser = await sharedBrowser();
  return withPrintSlot(async () => {
    // A context of its own: no cookie, cache or ticket is shared with another print.
    const context = await browser.newContext({ locale: r.locale === 'en' ? 'en-GB' : 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    try {
      const url = printUrl(r.origin, r);
      await context.addCookies([{ name: LOCALE_COOKIE, value: r.locale, url: r.origin }]);
      const page = await context.newPage();
      page.setDefaultTimeout(RENDER_TIMEOUT_MS);
      // The ticket goes with the page's own request only (its stylesheets and fonts need none).
      await page.route(url, (route) => route.continue({ headers: { ...route.request().headers(), [PRINT_TICKET_HEADER]: mintTicket(r, r.userId, r.locale) } }));
      const response = await page.goto(url, { waitUntil: 'load' });
      if (!response || response.status() !== 200 || new URL(response.url()).pathname !== PRINT_PATH) {
        const words = await page.locator('[data-error-message], p').first().textContent({ timeout: 2_000 }).catch(() => null);
        throw new BriefingPageError(response?.status() ?? 502, words?.trim() || `print page answered ${response?.status() ?? 'nothing'}`);
      }
      await page.evaluate(() => document.fonts.ready.then(() => undefined)).catch(() => undefined);
      const footer = `<div style="width:100%;font-size:7.5px;color:#555;font-family:'DejaVu Sans',sans-serif;padding:0 12mm;display:flex;justify-content:space-between">`
        + `<span>${escapeHtml(m.brief_pdf_footer({}, { locale: r.locale }))}</span>`
        + `<span>${escapeHtml(m.brief_pdf_page({}, { locale: r.locale }))} <span class="pageNumber"></span>/<span class="totalPages"></span></span></div>`;
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footer,
        margin: { top: '12mm', bottom: '14mm', left: '12mm', right: '12mm' }
      });
    } finally {
      await context.close().catch(() => {});
    }
  });
}

const HTTP_SERVER_KEY = Symbol.for('city-ops.http-server');

/**
 * This web process's own address, as its headless browser reaches it: the HTTP server src/server.js
 * (or Vite in development and the tests) leaves on globalThis, over loopback when it listens on every
 * interface. Never the public origin: behind a proxy with several web nodes that could lead to
 * another node, which has not seen the ticket's nonce spent (and need not share its key).
 */
export function ownOrigin(fallback: string): string {
  const server = (globalThis as Record<symbol, unknown>)[HTTP_SERVER_KEY] as { address(): unknown } | undefined;
  const a = server?.address();
  if (!a || typeof a !== 'object' || !('port' in a)) return fallback;
  const { address, port } = a as { address: string; port: number };
  const host = address === '0.0.0.0' || address === '::' || address === '' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}

/** The briefing's file names: ASCII (bao-cao-giao-ban-01-report_month-2026-11-15.pdf) and in words, in the reader's language. */
export function briefingFileNames(unit: { code: string; name: string }, q: BriefingQuery, locale: Locale): { ascii: string; words: string } {
  const period = periodOf(q.period, q.date);
  const words = m.brief_file_name({ scope: unit.name, period: formatPeriod(q.period, period.start, locale) }, { locale });
  return { ascii: `bao-cao-giao-ban-${unit.code}-${q.period}-${period.start}.pdf`, words: `${words}.pdf` };
}

/** A file name in words any file system takes: `/ \ : * ? " < > |` and control characters replaced. */
export function safeFileName(words: string): string {
  return words.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, '-').replace(/\s+/g, ' ').trim();
}

/** The file's name: ASCII for old clients, and the same in words for the others (RFC 6266 filename*). */
export function contentDisposition(asciiName: string, wordsName: string): string {
  const safe = safeFileName(wordsName);
  return `attachment; filename="${asciiName.replace(/[^A-Za-z0-9._-]/g, '-')}"; filename*=UTF-8''${encodeURIComponent(safe)}`;
}
