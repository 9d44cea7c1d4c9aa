/**
 * How a source is asked: its URL, header and body templates filled in for one window (and one
 * page), ready for the client (client.ts), and the same request described for a person with its
 * secrets masked (test connection, poll history).
 *
 * Placeholders, in the URL, a header or the body:
 *   {from} {to}            the window's first / last day, yyyy-MM-dd; any Luxon format after a colon:
 *                          {from:dd/MM/yyyy} → 01/11/2026, {to:yyyyMMdd} → 20261120
 *   {fromMonth} {toMonth}  the month of {from} / {to}, yyyy-MM (a format is allowed here too)
 *   {month}                the month of {from}, "11" (format allowed: {month:MM} → "11", {month:M/yyyy})
 *   {quarter}              the quarter of {from}, 1–4
 *   {year}                 the year of {from}, 2026 (format allowed: {year:yy})
 *   {timeType}             the kind of period the request is for: a periodic source's piece is one
 *                          month, quarter or year ("month" | "quarter" | "year"); any other window is
 *                          named as $request.period.kind names it (day, month, quarter, year, range)
 *   {page}                 the page number (pagination by page: from its start; otherwise 1, 2, …)
 *   {cursor}               the cursor the 'next' pagination expression gave (empty on the first page)
 *   {username} {password} {token} {apiKey}
 *                          the source's stored credentials (basic / bearer / api_key): a header or
 *                          body that uses one replaces the standard Authorization / API-key header,
 *                          and is masked wherever the request is shown
 * Values are percent-encoded in the URL, JSON-string-escaped in a JSON body (write the quotes
 * yourself: "tuNgay": "{from:dd/MM/yyyy}", "trang": {page}), form-encoded in a form body, and
 * inserted as they are in a header.
 */
import { DateTime } from 'luxon';
import { ZONE } from '#domain/periods';
import { DEFAULT_REQUEST, type HttpMethod, type RequestSpec } from '#db/schema/sources';
import { SourceError, type Credentials } from './types.ts';
import type { Window } from './mapping/validate.ts';

const WINDOW_NAMES = ['from', 'to', 'fromMonth', 'toMonth', 'month', 'quarter', 'year', 'timeType'] as const;
const PAGE_NAMES = ['page', 'cursor'] as const;
const CREDENTIAL_NAMES = ['username', 'password', 'token', 'apiKey'] as const;
const ALL_NAMES: readonly string[] = [...WINDOW_NAMES, ...PAGE_NAMES, ...CREDENTIAL_NAMES];
/** Placeholders that take a Luxon format after a colon. */
const FORMATTED: readonly string[] = ['from', 'to', 'fromMonth', 'toMonth', 'month', 'year'];
const DEFAULT_FORMAT: Record<string, string> = { from: 'yyyy-MM-dd', to: 'yyyy-MM-dd', fromMonth: 'yyyy-MM', toMonth: 'yyyy-MM', month: 'M', year: 'yyyy' };

/** {name} or {name:format}; braces of a JSON body ({"a": …}) are not placeholders. */
const PLACEHOLDER = /\{([A-Za-z_]\w*)(?::([^{}\n]*))?\}/g;

/** Luxon's date and time tokens (letters outside quotes must be one of these). */
const LUXON_TOKENS = new Set([
  'd', 'dd', 'c', 'ccc', 'cccc', 'ccccc', 'E', 'EEE', 'EEEE', 'EEEEE', 'L', 'LL', 'LLL', 'LLLL', 'LLLLL', 'M', 'MM', 'MMM', 'MMMM', 'MMMMM',
  'y', 'yy', 'yyyy', 'yyyyyy', 'k', 'kk', 'kkkk', 'W', 'WW', 'n', 'nn', 'ii', 'iiii', 'o', 'ooo', 'q', 'qq', 'H', 'HH', 'h', 'hh', 'm', 'mm',
  's', 'ss', 'S', 'SSS', 'a', 'D', 'DD', 'DDD', 'DDDD'
]);

/** The problem with a Luxon format, or null. */
export function checkLuxonFormat(format: string): string | null {
  if (!format.trim()) return 'định dạng trống';
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c === "'") {
      const end = format.indexOf("'", i + 1);
      if (end < 0) return `dấu ' mở mà không đóng`;
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (format[j] === c) j++;
      const token = format.slice(i, j);
      if (!LUXON_TOKENS.has(token)) return `«${token}» không phải là ký hiệu ngày tháng (vd. dd/MM/yyyy, yyyyMMdd; chữ thường đặt trong dấu ')`;
      i = j;
      continue;
    }
    i++;
  }
  return null;
}

/** Every problem of a template, in words (empty: fine). An unknown placeholder or a bad format is never sent. */
export function checkTemplate(text: string): string[] {
  const errors: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const [whole, name, format] = m as unknown as [string, string, string | undefined];
    if (!ALL_NAMES.includes(name)) {
      errors.push(`biến ${whole} không có (dùng ${ALL_NAMES.map((n) => `{${n}}`).join(', ')})`);
      continue;
    }
    if (format === undefined) continue;
    if (!FORMATTED.includes(name)) {
      errors.push(`biến {${name}} không nhận định dạng (${whole})`);
      continue;
    }
    const problem = checkLuxonFormat(format);
    if (problem) errors.push(`biến ${whole}: định dạng không hợp lệ: ${problem}`);
  }
  return errors;
}

/** Every problem of a source's request (URL, headers, body, pagination), field by field. */
export function checkRequest(urlTemplate: string, request: RequestSpec): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const e of checkTemplate(urlTemplate)) out.push({ field: 'urlTemplate', message: e });
  for (const [name, value] of Object.entries(request.headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) out.push({ field: 'headers', message: `tên header «${name}» không hợp lệ` });
    for (const e of checkTemplate(value)) out.push({ field: 'headers', message: `header ${name}: ${e}` });
  }
  if (request.body) for (const e of checkTemplate(request.body)) out.push({ field: 'body', message: e });
  return out;
}

export interface PlaceholderHelp {
  token: string;
  example: string;
  meaning: { vi: string; en: string };
}

/** The placeholders as the form's help lists them (examples for the window 2026-11-01 – 2026-11-20, page 2). */
export const PLACEHOLDER_HELP: PlaceholderHelp[] = [
  { token: '{from}', example: '2026-11-01', meaning: { vi: 'ngày đầu của khoảng cần lấy (yyyy-MM-dd)', en: 'first day of the window (yyyy-MM-dd)' } },
  { token: '{to}', example: '2026-11-20', meaning: { vi: 'ngày cuối của khoảng cần lấy (yyyy-MM-dd)', en: 'last day of the window (yyyy-MM-dd)' } },
  { token: '{from:dd/MM/yyyy}', example: '01/11/2026', meaning: { vi: 'ngày đầu theo định dạng Luxon bất kỳ sau dấu hai chấm', en: 'first day in any Luxon format after the colon' } },
  { token: '{to:yyyyMMdd}', example: '20261120', meaning: { vi: 'ngày cuối theo định dạng Luxon bất kỳ', en: 'last day in any Luxon format' } },
  { token: '{fromMonth}', example: '2026-11', meaning: { vi: 'tháng của ngày đầu (yyyy-MM)', en: 'month of the first day (yyyy-MM)' } },
  { token: '{toMonth}', example: '2026-11', meaning: { vi: 'tháng của ngày cuối (yyyy-MM)', en: 'month of the last day (yyyy-MM)' } },
  { token: '{month}', example: '11', meaning: { vi: 'tháng của ngày đầu, không có số 0 ở trước; {month:MM} → 11, {month:MM/yyyy} → 11/2026', en: 'month of the first day, no leading zero; {month:MM} → 11, {month:MM/yyyy} → 11/2026' } },
  { token: '{quarter}', example: '4', meaning: { vi: 'quý của ngày đầu (1–4)', en: 'quarter of the first day (1–4)' } },
  { token: '{year}', example: '2026', meaning: { vi: 'năm của ngày đầu; {year:yy} → 26', en: 'year of the first day; {year:yy} → 26' } },
  {
    token: '{timeType}', example: 'month',
    meaning: {
      vi: 'loại kỳ của yêu cầu: nguồn có kỳ công bố hỏi từng kỳ một, month (tháng), quarter (quý) hoặc year (năm), khi đó {from} {to} là ngày đầu, ngày cuối của kỳ',
      en: 'the kind of period asked for: a source with publication periods asks one period at a time, month, quarter or year, and {from} {to} are its first and last day'
    }
  },
  { token: '{page}', example: '2', meaning: { vi: 'số trang (phân trang theo số trang)', en: 'page number (pagination by page)' } },
  { token: '{cursor}', example: 'eyJvZmZzZXQiOjUwfQ', meaning: { vi: 'con trỏ trang sau do biểu thức phân trang trả về (trống ở trang đầu)', en: 'the cursor the next-page expression gave (empty on the first page)' } },
  { token: '{username} {password} {token} {apiKey}', example: '••••', meaning: { vi: 'thông tin xác thực đã lưu, dùng trong header hoặc thân yêu cầu (luôn được che khi hiển thị)', en: 'the stored credentials, for a header or the body (always masked when shown)' } }
];

/** A request ready to send. `secrets`: what describeRequest masks. */
export interface PreparedRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  secrets: { headers: string[]; values: string[] };
}

/** A request as a person may see it: the same, secrets shown as "••••". */
export interface DescribedRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export const MASK = '••••';

type Where = 'url' | 'json' | 'form' | 'header';

function encode(value: string, where: Where): string {
  switch (where) {
    case 'url':
      return encodeURIComponent(value);
    case 'json':
      return JSON.stringify(value).slice(1, -1);
    case 'form':
      return encodeURIComponent(value).replaceAll('%20', '+');
    default:
      return value;
  }
}

function credentialValue(name: string, credentials: Credentials): string | null {
  switch (name) {
    case 'username':
      return credentials.kind === 'basic' ? credentials.username : null;
    case 'password':
      return credentials.kind === 'basic' ? credentials.password : null;
    case 'token':
      return credentials.kind === 'bearer' ? credentials.token : null;
    case 'apiKey':
      return credentials.kind === 'api_key' ? credentials.key : null;
    default:
      return null;
  }
}

const AUTH_OF: Record<string, string> = { username: 'basic', password: 'basic', token: 'bearer', apiKey: 'api_key' };

export interface RequestAt {
  /** The page number for {page} (1 when not paginating by page). */
  page?: number;
  /** The cursor for {cursor} ('' before the first). */
  cursor?: string | null;
}

/** The value of a window / page placeholder. */
function placeholderValue(name: string, format: string | undefined, window: Window, at: RequestAt): string {
  const day = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).setLocale('vi');
  switch (name) {
    case 'page':
      return String(at.page ?? 1);
    case 'cursor':
      return at.cursor ?? '';
    case 'quarter':
      return String(day(window.from).quarter);
    case 'timeType':
      return window.period?.kind ?? requestBinding(window, undefined).period.kind;
    case 'to':
    case 'toMonth':
      return day(window.to).toFormat(format ?? DEFAULT_FORMAT[name]!);
    default:
      return day(window.from).toFormat(format ?? DEFAULT_FORMAT[name]!);
  }
}

function render(
  template: string,
  where: Where,
  window: Window,
  at: RequestAt,
  credentials: Credentials,
  secrets: string[]
): { text: string; usedCredentials: boolean } {
  const errors = checkTemplate(template);
  if (errors.length) throw new SourceError(errors.join('; '), 'config');
  let usedCredentials = false;
  const text = template.replaceAll(PLACEHOLDER, (_whole, name: string, format: string | undefined) => {
    if ((CREDENTIAL_NAMES as readonly string[]).includes(name)) {
      const value = credentialValue(name, credentials);
      if (value === null) throw new SourceError(`biến {${name}} cần xác thực kiểu ${AUTH_OF[name]}, nguồn này không có thông tin đó`, 'config');
      usedCredentials = true;
      secrets.push(value);
      return encode(value, where);
    }
    return encode(placeholderValue(name, format, window, at), where);
  });
  return { text, usedCredentials };
}

/** The standard authentication header of a source's credentials. */
export function authHeaders(credentials: Credentials): Record<string, string> {
  switch (credentials.kind) {
    case 'api_key':
      return { [credentials.header.toLowerCase()]: credentials.key };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` };
    case 'bearer':
      return { authorization: `Bearer ${credentials.token}` };
    default:
      return {};
  }
}

/**
 * The request for one window (and page): URL, headers (accept, content type, authentication, the
 * source's header templates) and body, every placeholder filled in. A template problem is a
 * SourceError of stage 'config' in words.
 */
export function prepareRequest(
  source: { urlTemplate: string; request?: RequestSpec | null },
  window: Window,
  at: RequestAt,
  credentials: Credentials
): PreparedRequest {
  const spec = { ...DEFAULT_REQUEST, ...(source.request ?? {}) };
  const secretValues: string[] = [];
  const url = render(source.urlTemplate, 'url', window, at, credentials, secretValues).text;
  const headers: Record<string, string> = { accept: 'application/json, text/csv;q=0.9, */*;q=0.5' };
  const secretHeaders: string[] = ['authorization', 'proxy-authorization', 'cookie'];
  let body: string | null = null;
  let custom = false;
  if (spec.method === 'POST' && spec.body) {
    const r = render(spec.body, spec.bodyType === 'form' ? 'form' : 'json', window, at, credentials, secretValues);
    body = r.text;
    custom ||= r.usedCredentials;
    if (spec.bodyType === 'json') {
      try {
        JSON.parse(body);
      } catch (e) {
        throw new SourceError(`thân yêu cầu không phải JSON hợp lệ sau khi điền biến (${(e as Error).message}): ${body.slice(0, 200)}`, 'config');
      }
    }
    headers['content-type'] = spec.bodyType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json; charset=utf-8';
  }
  const own: Record<string, string> = {};
  for (const [name, template] of Object.entries(spec.headers)) {
    const r = render(template, 'header', window, at, credentials, secretValues);
    if (/[\r\n]/.test(r.text)) throw new SourceError(`header ${name}: giá trị có ký tự xuống dòng`, 'config');
    own[name.toLowerCase()] = r.text;
    if (r.usedCredentials) {
      custom = true;
      secretHeaders.push(name.toLowerCase());
    }
  }
  // A header or body that carries the credentials itself replaces the standard authentication.
  if (!custom) {
    const auth = authHeaders(credentials);
    Object.assign(headers, auth);
    secretHeaders.push(...Object.keys(auth));
  }
  Object.assign(headers, own);
  return { method: spec.method, url, headers, body, secrets: { headers: secretHeaders, values: secretValues.filter((v) => v.length > 0) } };
}

function maskValues(text: string, values: string[]): string {
  let out = text;
  for (const v of values) {
    for (const form of new Set([v, encode(v, 'url'), encode(v, 'json'), encode(v, 'form')])) out = out.replaceAll(form, MASK);
  }
  return out;
}

/** The request as shown to a person: Authorization, the API-key header and every value from the credentials masked. */
export function describeRequest(prepared: PreparedRequest): DescribedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(prepared.headers)) {
    headers[name] = prepared.secrets.headers.includes(name.toLowerCase()) ? MASK : maskValues(value, prepared.secrets.values);
  }
  return {
    method: prepared.method,
    url: maskValues(prepared.url, prepared.secrets.values),
    headers,
    body: prepared.body === null ? null : maskValues(prepared.body, prepared.secrets.values)
  };
}

/** A URL template filled in with an example window (2026-01-01 – 2026-01-31, page 1), for checks of its shape and host. */
export function exampleUrl(urlTemplate: string): string {
  return urlTemplate.replaceAll(PLACEHOLDER, (whole, name: string, format: string | undefined) => {
    if (!ALL_NAMES.includes(name) || (format !== undefined && checkLuxonFormat(format))) return whole;
    if ((CREDENTIAL_NAMES as readonly string[]).includes(name)) return 'x';
    return encode(placeholderValue(name, format, { from: '2026-01-01', to: '2026-01-31' }, { page: 1, cursor: '' }), 'url');
  });
}

/** `$request` in a mapping: the window and page a body answers. */
export interface RequestBinding {
  from: string;
  to: string;
  /**
   * The period the window is: a periodic source's piece is its period (month, quarter, year); else
   * day (one day), month (a whole month — or, for a monthly source, a window inside one month),
   * quarter, year (whole ones), else range; start and end inclusive.
   */
  period: { kind: 'day' | 'month' | 'quarter' | 'year' | 'range'; start: string; end: string };
  page: number;
}

export function requestBinding(window: Window, granularity: string | undefined, page = 1): RequestBinding {
  // A periodic source's piece is its period, whatever its days look like.
  if (window.period) return { from: window.from, to: window.to, period: { ...window.period }, page };
  const from = DateTime.fromISO(window.from, { zone: ZONE });
  const to = DateTime.fromISO(window.to, { zone: ZONE });
  const whole = (unit: 'month' | 'quarter' | 'year') =>
    from.hasSame(to, unit) && from.startOf(unit).toISODate() === window.from && to.endOf(unit).toISODate() === window.to;
  let period: RequestBinding['period'] = { kind: 'range', start: window.from, end: window.to };
  if (window.from === window.to && granularity !== 'month') period = { kind: 'day', start: window.from, end: window.to };
  else if (whole('month') || (granularity === 'month' && from.hasSame(to, 'month'))) {
    period = { kind: 'month', start: from.startOf('month').toISODate()!, end: from.endOf('month').toISODate()! };
  } else if (whole('quarter')) period = { kind: 'quarter', start: window.from, end: window.to };
  else if (whole('year')) period = { kind: 'year', start: window.from, end: window.to };
  return { from: window.from, to: window.to, period, page };
}
