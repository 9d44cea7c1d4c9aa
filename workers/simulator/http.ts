/** What the simulated systems have in common over HTTP: answers, credentials, range parameters. */
import type { IncomingMessage } from 'node:http';
import { today } from '#domain/periods';
import { dayNumber, monthIndex } from './calendar.ts';
import type { RowCorruptions, SystemName } from './faults.ts';
import type { DemoKeys } from '#server/seed/demo-keys';
import type { Register } from './register.ts';

/** A complete answer, before a fault may cut, delay or drip it. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

/**
 * A unit the systems report, on the days it is in force. Without days it is in force always (a
 * test's map); a unit formed at a reform names its predecessors: its figures are theirs, the old
 * units' ground truth continued past the reform, times the lineage's share (register.ts).
 */
export interface SimUnit {
  code: string;
  name: string;
  /** Communes report dossiers, e-ID and payments; departments (sở, ban, ngành) dossiers; everyone tasks. */
  level: 'district' | 'commune' | 'department';
  parentCode: string | null;
  /** The parent's name, where the parent is not itself a SimUnit (the city): the fifth vendor writes it. */
  parentName?: string;
  /** The register's type (Sở, Ban, Ngành …): how much work a department has. */
  type?: string;
  /** First and last day in force, inclusive (YYYY-MM-DD); absent or null: open. */
  validFrom?: string | null;
  validTo?: string | null;
  /** The old units it was formed from, each with the share of its figures that came along (0..1). */
  predecessors?: readonly Predecessor[];
}

export interface Predecessor {
  code: string;
  share: number;
}

/** What each system's API is built from. */
export interface SystemContext {
  seed: string;
  units: SimUnit[];
  /** The same units, by day (register.ts). */
  register: Register;
  keys: DemoKeys;
}

/** The rows of a query, in the system's order, and how it would write a row for a unit it does not have. */
export interface DataResult<Row, Frame = undefined> {
  rows: Row[];
  unknownRow(code: string): Row;
  /** A paged system: the page these rows are, and how many there are. */
  page?: PageInfo;
  /** What the answer carries beside its rows (the portal's parent, pagination), for render. */
  frame?: Frame;
}

export interface PageInfo {
  page: number;
  pages: number;
}

/** One simulated system: its endpoint, credentials, wire format and ways of getting rows wrong. */
export interface SystemApi<Row, Frame = undefined> {
  system: SystemName;
  path: string;
  /** GET (the default): parameters in the query string; POST: in the body, passed to `query`. */
  method?: 'GET' | 'POST';
  /** null when the request carries the system's credentials; else its 401. */
  authenticate(req: IncomingMessage): Answer | null;
  /** An error in the system's own style (400, 401, 5xx). */
  error(status: number, message: string): Answer;
  /** The normal rows for the query string (or a POST's body text), or a message for a 400. */
  query(url: URL, at: Date, body?: string): DataResult<Row, Frame> | string;
  render(rows: Row[], at: Date, page?: PageInfo, frame?: Frame): Answer;
  /** A valid answer over OVERSIZE_BYTES carrying the same rows. */
  oversize(rows: Row[], at: Date, page?: PageInfo, frame?: Frame): Answer;
  /** The malformed fault: the body cut so that it does not parse. */
  truncate(body: string): string;
  corrupt: RowCorruptions<Row>;
}

/** The username and password of an HTTP Basic header, or null. */
export function basicCredentials(req: IncomingMessage): { username: string; password: string } | null {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

export function bearerToken(req: IncomingMessage): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

export type RangeProblem =
  | { problem: 'missing'; param: string }
  | { problem: 'format'; param: string; value: string }
  | { problem: 'order' }
  | { problem: 'too_long'; length: number };

/**
 * A day range [from, to] as asked, with `last` = the earlier of `to` and today: nothing after
 * now exists. The length limit counts the days that exist (from … last), as the dossier API always has.
 */
export function dayRange(
  params: URLSearchParams,
  names: [from: string, to: string],
  at: Date,
  maxDays: number
): { from: string; to: string; last: string } | RangeProblem {
  const [fromName, toName] = names;
  const from = params.get(fromName);
  const to = params.get(toName);
  if (!from) return { problem: 'missing', param: fromName };
  if (!to) return { problem: 'missing', param: toName };
  for (const [param, value] of [[fromName, from], [toName, to]] as const) {
    if (!DATE.test(value) || !validDate(value)) return { problem: 'format', param, value };
  }
  if (from > to) return { problem: 'order' };
  const now = today(at);
  const last = to < now ? to : now;
  const length = dayNumber(last) - dayNumber(from) + 1;
  if (length > maxDays) return { problem: 'too_long', length };
  return { from, to, last };
}

/** Months 'YYYY-MM', same rules as dayRange; `last` is the earlier of `to` and the current month. */
export function monthRange(
  params: URLSearchParams,
  names: [from: string, to: string],
  at: Date,
  maxMonths: number
): { from: string; to: string; last: string } | RangeProblem {
  const [fromName, toName] = names;
  const from = params.get(fromName);
  const to = params.get(toName);
  if (!from) return { problem: 'missing', param: fromName };
  if (!to) return { problem: 'missing', param: toName };
  for (const [param, value] of [[fromName, from], [toName, to]] as const) {
    const month = Number(value.slice(5, 7));
    if (!MONTH.test(value) || month < 1 || month > 12) return { problem: 'format', param, value };
  }
  if (from > to) return { problem: 'order' };
  const now = today(at).slice(0, 7);
  const last = to < now ? to : now;
  const length = monthIndex(last) - monthIndex(from) + 1;
  if (length > maxMonths) return { problem: 'too_long', length };
  return { from, to, last };
}

export function isProblem<T extends object>(r: T | RangeProblem): r is RangeProblem {
  return 'problem' in r;
}

/** 2026-02-30 matches the pattern but is no date. */
function validDate(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** A range problem in Vietnamese, for the local vendors' systems. */
export function rangeMessageVi(r: RangeProblem, names: [string, string], max: number, unit: 'ngày' | 'tháng'): string {
  const format = unit === 'ngày' ? 'YYYY-MM-DD' : 'YYYY-MM';
  switch (r.problem) {
    case 'missing':
      return `${names[0]} và ${names[1]} (${format}) là bắt buộc: thiếu ${r.param}`;
    case 'format':
      return `${r.param} không hợp lệ (${format}): ${JSON.stringify(r.value)}`;
    case 'order':
      return `${names[0]} phải trước hoặc bằng ${names[1]}`;
    case 'too_long':
      return `khoảng ${unit} tối đa ${max} ${unit}, yêu cầu ${r.length} ${unit}`;
  }
}

/** A range problem in English, for the national systems' APIs. */
export function rangeMessageEn(r: RangeProblem, names: [string, string], max: number): string {
  switch (r.problem) {
    case 'missing':
      return `missing parameter ${r.param} (YYYY-MM-DD)`;
    case 'format':
      return `invalid ${r.param} (YYYY-MM-DD): ${JSON.stringify(r.value)}`;
    case 'order':
      return `${names[0]} must not be after ${names[1]}`;
    case 'too_long':
      return `range too long: ${r.length} days, at most ${max}`;
  }
}

/** The JSON body with an extra string field of OVERSIZE_BYTES filler after the data: valid, and too big. */
export function oversizeJson(body: Record<string, unknown>, field: string, bytes: number): string {
  return JSON.stringify({ ...body, [field]: 'x'.repeat(bytes) });
}
