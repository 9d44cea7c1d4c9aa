/**
 * Data sources as an administrator manages them: list with health, create and edit every field,
 * test a connection (fetch once, preview what would be stored, store nothing), enable / disable,
 * poll now, and the poll history. Credentials are write-only: sealed on save, never read back.
 */
import { and, desc, eq, sql as sqlExpr } from 'drizzle-orm';
import { z } from 'zod';
import { isoTimestamp, orm, type Queryable as Sql, type Sql as Pool } from '#db/client';
import { alias } from 'drizzle-orm/pg-core';
import { users } from '#db/schema/auth';
import { BODY_TYPES, dataSources, DEFAULT_PRIORITY, DEFAULT_REQUEST, HTTP_METHODS, NUMBER_LOCALES, pollRuns, type NumberLocale, type RequestSpec } from '#db/schema/sources';
import { units } from '#db/schema/units';
import type { PgBoss } from 'pg-boss';
import { METRIC_FAMILIES, type MetricFamily } from '#domain/catalogue';
import { periodOf, today } from '#domain/periods';
import { BOARD_PERIOD_KINDS, UNIT_CODE_RULE_VI } from '#contract/dto';
import { seal } from '#server/secrets';
import { config, egressPolicy } from '#server/config';
import { credentialsOf, loadSource, type SourceRow } from '#server/pipeline/poll';
import { testConnection, type TestReport } from '#server/pipeline/test-connection';
import { sourcePeriods } from '#server/pipeline/periods';
import type { ValuePeriodKind } from '#db/schema/samples';
import { AUTH_KINDS, jsonMappingSchema, SOURCE_KINDS, tableMappingSchema, templateMapping } from '#server/pipeline/mapping/config';
import { checkSourceUrl } from '#server/pipeline/ssrf';
import { templateErrors } from './template-check.ts';
import { dropQueuedPolls, pollNowJob, queueRecompute } from '#server/jobs/send';
import type { Credentials } from '#server/pipeline/types';
import type { Principal } from '../auth/principal.ts';
import { recordAudit } from '../auth/audit.ts';
import { readSourceHealth } from '../sources.ts';
import { findOverlap, metricsOfSource, overlapMessage } from './overlap.ts';

const optionalText = z.string().trim().max(2000).optional().transform((v) => (v ? v : undefined));
const int = (min: number, max: number, what: string) =>
  z.coerce
    .number({ error: `${what}: phải là một số` })
    .int(`${what}: phải là số nguyên`)
    .min(min, `${what}: ít nhất là ${min.toLocaleString('vi-VN')}`)
    .max(max, `${what}: nhiều nhất là ${max.toLocaleString('vi-VN')}`);
/** An optional number field: empty (or hidden) means its default. */
const intOr = (fallback: number, min: number, max: number, what: string) =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? fallback : v), int(min, max, what));
const oneOfWords = <T extends readonly [string, ...string[]]>(values: T, what: string, words: string) => z.enum(values, { error: `${what}: ${words}` });

/** A header name as HTTP allows it (RFC 9110 token). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** The header templates field: one "Tên: giá trị" a line; blank lines are skipped. */
export function parseHeadersField(text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!name || !HEADER_NAME.test(name)) return { error: `dòng ${i + 1} ("${line.slice(0, 60)}"): cần dạng "Tên: giá trị", tên chỉ gồm chữ, số và - _ .` };
    if (Object.keys(headers).some((h) => h.toLowerCase() === name.toLowerCase())) return { error: `dòng ${i + 1}: header ${name} đã có ở dòng trên` };
    headers[name] = line.slice(colon + 1).trim();
  }
  return { headers };
}

/** The publication periods in words, for the form's messages. */
const PERIOD_WORDS = 'tháng (month), quý (quarter), năm (year)';

/**
 * The "Kỳ công bố" field: empty (a source of a day's values), or the period kinds the source
 * publishes, as the form's ticked boxes give them (joined by commas), a JSON array (the API, the
 * provisioning file) or words separated by commas or spaces; "tháng", "quý", "năm" are read too.
 * Returns the kinds in order month, quarter, year, or the field's error in words.
 */
export function parsePeriodsField(value: unknown): { periods: ValuePeriodKind[] | null } | { error: string } {
  let items: unknown[];
  if (value === undefined || value === null) items = [];
  else if (Array.isArray(value)) items = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (!Array.isArray(parsed)) return { error: `periods: cần một danh sách kỳ, nhận được ${text.slice(0, 60)}` };
        items = parsed;
      } catch {
        return { error: `periods: «${text.slice(0, 60)}» không phải danh sách kỳ hợp lệ (vd. month, quarter, year)` };
      }
    } else items = text.split(/[\s,;]+/).filter(Boolean);
  } else return { error: `periods: cần một danh sách kỳ (${PERIOD_WORDS})` };
  const ALIASES: Record<string, ValuePeriodKind> = { month: 'month', quarter: 'quarter', year: 'year', 'tháng': 'month', 'quý': 'quarter', 'năm': 'year' };
  const kinds: ValuePeriodKind[] = [];
  for (const item of items) {
    const kind = typeof item === 'string' ? ALIASES[item.trim().toLowerCase()] : undefined;
    if (!kind) return { error: `periods: kỳ công bố «${String(item).slice(0, 40)}» không có; chọn ${PERIOD_WORDS}, hoặc để trống cho nguồn số liệu theo ngày` };
    kinds.push(kind);
  }
  return { periods: sourcePeriods(kinds) };
}

/** The header templates as the form shows them. */
export const headersField = (headers: Record<string, string>): string =>
  Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n');

/**
 * How many past days a poll may re-read: a source of a day's values 31; a periodic source more (it
 * re-reads the last month until the publisher has published it, and a year's value all year).
 */
export const MAX_TRAILING_DAYS = { daily: 31, periodic: 400 } as const;

/** The form of a source; credential fields left empty keep the stored ones. */
export const sourceFormSchema = z
  .object({
    key: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'key: 2–40 ký tự a-z, 0-9 và -'),
    name: z.string().trim().min(1, 'name: cần nhập tên').max(200, 'name: nhiều nhất 200 ký tự'),
    family: oneOfWords(METRIC_FAMILIES as unknown as [string, ...string[]], 'family', 'phải là dossier, eid, payment hoặc task'),
    kind: oneOfWords(SOURCE_KINDS, 'kind', 'phải là json_http, csv_http hoặc upload'),
    produces: oneOfWords(['samples', 'tasks'] as const, 'produces', 'phải là samples hoặc tasks'),
    granularity: oneOfWords(['day', 'month'] as const, 'granularity', 'phải là day hoặc month'),
    urlTemplate: z.string().trim().max(2000, 'urlTemplate: nhiều nhất 2.000 ký tự').default(''),
    method: z.preprocess((v) => (v === '' || v === undefined ? 'GET' : v), oneOfWords(HTTP_METHODS, 'method', 'phải là GET hoặc POST')),
    /** One "Tên: giá trị" a line (templates). */
    headers: z.string().max(10_000, 'headers: nhiều nhất 10.000 ký tự').default(''),
    /** The body template (POST); empty: no body. */
    body: z.string().max(100_000, 'body: nhiều nhất 100.000 ký tự').default(''),
    bodyType: z.preprocess((v) => (v === '' || v === undefined ? 'json' : v), oneOfWords(BODY_TYPES, 'bodyType', 'phải là json hoặc form')),
    paginationKind: z.preprocess((v) => (v === '' || v === undefined ? 'none' : v), oneOfWords(['none', 'page', 'next'] as const, 'paginationKind', 'phải là none, page hoặc next')),
    pageStart: intOr(1, 0, 1_000_000, 'pageStart'),
    maxPages: intOr(10, 1, 1000, 'maxPages'),
    nextExpression: z.string().trim().max(2000, 'nextExpression: nhiều nhất 2.000 ký tự').default(''),
    /** 'gso', or a key of units.external_codes ('portal', a vendor's own). */
    codeSystem: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? 'gso' : v),
      z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'codeSystem: tên hệ mã gồm 1–40 ký tự chữ, số, _ . -').default('gso')
    ),
    /** '' (not declared), vi or en. */
    numberLocale: z.preprocess((v) => (v === undefined ? '' : v), z.enum(['', ...NUMBER_LOCALES], { error: 'numberLocale: phải là vi, en hoặc để trống' })),
    authKind: oneOfWords(AUTH_KINDS, 'authKind', 'phải là none, api_key, basic hoặc bearer'),
    apiKeyHeader: optionalText,
    apiKey: optionalText,
    username: optionalText,
    password: optionalText,
    token: optionalText,
    mapping: z.string().max(100_000, 'mapping: nhiều nhất 100.000 ký tự').default(''),
    intervalSeconds: int(5, 86_400, 'intervalSeconds'),
    timeoutMs: int(500, 120_000, 'timeoutMs'),
    staleAfterSeconds: int(30, 90 * 86_400, 'staleAfterSeconds'),
    trailingDays: int(1, MAX_TRAILING_DAYS.periodic, 'trailingDays'),
    dailyDeadline: z.string().trim().regex(/^(|([01]\d|2[0-3]):[0-5]\d)$/, 'dailyDeadline: dạng HH:MM, hoặc để trống').default(''),
    scopeUnitCode: z.string().trim().regex(/^(|[A-Za-z0-9._-]{1,20})$/, `scopeUnitCode: mã đơn vị gồm ${UNIT_CODE_RULE_VI}, hoặc để trống`).default(''),
    /** Empty: the default for the kind (a system of record above an upload). */
    priority: z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : v), int(0, 1000, 'priority').optional()),
    enabled: z.string().optional().transform((v) => v === 'on' || v === 'true'),
    /** "Kỳ công bố": the period kinds a periodic source publishes; empty: a source of a day's values. */
    periods: z.unknown().optional().transform((v, ctx) => {
      const parsed = parsePeriodsField(v);
      if ('error' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed.periods;
    })
  })
  .superRefine((f, ctx) => {
    if (f.periods) {
      if (f.kind === 'upload') ctx.addIssue({ code: 'custom', path: ['periods'], message: 'periods: nguồn tải tệp lên không có kỳ công bố; để trống ô «Kỳ công bố»' });
      if (f.produces === 'tasks') ctx.addIssue({ code: 'custom', path: ['periods'], message: 'periods: danh sách nhiệm vụ là số liệu theo ngày, không có kỳ công bố; để trống ô «Kỳ công bố»' });
    } else if (f.trailingDays > MAX_TRAILING_DAYS.daily) {
      ctx.addIssue({
        code: 'custom', path: ['trailingDays'],
        message: `trailingDays: nhiều nhất là ${MAX_TRAILING_DAYS.daily} ngày với nguồn số liệu theo ngày (nguồn có kỳ công bố: ${MAX_TRAILING_DAYS.periodic} ngày)`
      });
    }
    if (f.kind !== 'upload') {
      let url: URL | null = null;
      try {
        url = new URL(f.urlTemplate.replaceAll(/\{[^{}]*\}/g, 'x'));
      } catch {
        /* below */
      }
      if (!url || !/^https?:$/.test(url.protocol)) ctx.addIssue({ code: 'custom', path: ['urlTemplate'], message: 'urlTemplate: phải là một địa chỉ http(s)' });
      if (f.paginationKind === 'next' && !f.nextExpression) {
        ctx.addIssue({ code: 'custom', path: ['nextExpression'], message: 'nextExpression: cần một biểu thức JSONata cho trang tiếp theo (liên kết hoặc con trỏ)' });
      }
      if (f.method === 'GET' && f.body.trim()) ctx.addIssue({ code: 'custom', path: ['body'], message: 'body: yêu cầu GET không gửi nội dung; chọn POST hoặc để trống' });
    }
    if (f.kind === 'csv_http' && f.produces === 'tasks' && !f.mapping.includes('taskColumns')) {
      ctx.addIssue({ code: 'custom', path: ['mapping'], message: 'mapping: danh sách nhiệm vụ đọc từ bảng cần taskColumns' });
    }
  });
export type SourceForm = z.infer<typeof sourceFormSchema>;

export interface SourceFormErrors {
  [field: string]: string;
}

/**
 * The mapping field: a JSONata expression (JSON sources, with optional lines "metrics: a, b" and
 * "each: <JSONata path>" — the expression then runs once per item of the path), or JSON (tables).
 */
export function parseMappingField(kind: string, family: string, text: string): { mapping: unknown } | { error: string } {
  if (kind === 'upload' && !text.trim()) return { mapping: templateMapping(family) };
  if (kind === 'json_http') {
    const lines = text.split('\n');
    const lineOf = (name: string) => lines.findIndex((l) => new RegExp(`^\\s*${name}\\s*:`).test(l));
    const valueOf = (i: number) => (i >= 0 ? lines[i]!.replace(/^\s*\w+\s*:/, '').trim() : '');
    const metricsLine = lineOf('metrics');
    const eachLine = lineOf('each');
    const metrics = valueOf(metricsLine).split(',').map((m) => m.trim()).filter(Boolean);
    const each = valueOf(eachLine) || undefined;
    const expression = lines.filter((_, i) => i !== metricsLine && i !== eachLine).join('\n').trim();
    const parsed = jsonMappingSchema.safeParse({ expression, metrics, each });
    if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join('; ') };
    return { mapping: parsed.data };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `không phải JSON hợp lệ (${(e as Error).message})` };
  }
  const parsed = tableMappingSchema.safeParse(json);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { mapping: parsed.data };
}

/** The mapping as the form shows it. */
export function mappingField(kind: string, mapping: unknown): string {
  if (kind === 'json_http') {
    const m = mapping as { expression: string; metrics?: string[]; each?: string };
    return [m.each ? `each: ${m.each}` : null, m.expression, m.metrics?.length ? `metrics: ${m.metrics.join(', ')}` : null].filter((l) => l !== null).join('\n');
  }
  return JSON.stringify(mapping, null, 2);
}

/**
 * The credentials the form gives: new ones, 'keep' (every secret field left empty: the stored ones),
 * or a field error. With Basic, a blank username or password keeps the stored one (`stored`: the
 * source's stored Basic credentials, when it has them), as the form says.
 */
function credentialsFrom(f: SourceForm, stored: Credentials | null = null): Credentials | 'keep' | { error: string; field: string } {
  switch (f.authKind) {
    case 'none':
      return { kind: 'none' };
    case 'api_key':
      if (!f.apiKey) return 'keep';
      return { kind: 'api_key', header: (f.apiKeyHeader ?? 'x-api-key').toLowerCase(), key: f.apiKey };
    case 'basic': {
      if (!f.username && !f.password) return 'keep';
      const saved = stored?.kind === 'basic' ? stored : null;
      const username = f.username ?? saved?.username;
      const password = f.password ?? saved?.password;
      if (!username) return { error: 'cần tên đăng nhập cho xác thực Basic', field: 'username' };
      if (!password) return { error: 'cần mật khẩu cho xác thực Basic', field: 'password' };
      return { kind: 'basic', username, password };
    }
    case 'bearer':
      if (!f.token) return 'keep';
      return { kind: 'bearer', token: f.token };
  }
}

/** The stored credentials of a source, opened (null: none, or they cannot be opened). */
async function storedCredentials(sql: Sql, id: number | undefined): Promise<Credentials | null> {
  if (!id) return null;
  const row = await loadSource(sql, id);
  if (!row?.credentialsSealed) return null;
  try {
    return credentialsOf(row, config().CITYOPS_SECRET_KEY);
  } catch {
    return null;
  }
}

/** The form field that carries an auth kind's secret, and its name in words. */
function secretField(authKind: string): { field: string; words: string } {
  if (authKind === 'basic') return { field: 'password', words: 'tên đăng nhập và mật khẩu' };
  if (authKind === 'bearer') return { field: 'token', words: 'token' };
  return { field: 'apiKey', words: 'API key' };
}

/** scheme://host:port of a URL template ({from} … filled in), or null when it is not a URL. */
function originOf(urlTemplate: string): URL | null {
  try {
    return new URL(urlTemplate.replaceAll(/\{[^{}]*\}/g, 'x'));
  } catch {
    return null;
  }
}

/**
 * Stored credentials go only to the host they were entered for: with the secret left empty and
 * the URL now pointing elsewhere (scheme, host or port), the person must type it again.
 */
function hostChanged(stored: { urlTemplate: string; hasCredentials: boolean } | null, f: SourceForm): SourceFormErrors | null {
  if (!stored?.hasCredentials || f.kind === 'upload') return null;
  const was = originOf(stored.urlTemplate);
  const now = originOf(f.urlTemplate);
  if (was && now && was.origin === now.origin) return null;
  const { field, words } = secretField(f.authKind);
  return {
    [field]: `${field}: URL nay trỏ tới ${now?.host ?? 'máy chủ khác'} (trước là ${was?.host ?? 'máy chủ khác'}): hãy nhập lại ${words} — thông tin đã lưu chỉ được gửi tới máy chủ mà nó được nhập cho`
  };
}

export interface SourceView {
  id: number;
  key: string;
  name: string;
  family: string;
  kind: string;
  produces: string;
  granularity: string;
  urlTemplate: string;
  authKind: string;
  hasCredentials: boolean;
  mapping: string;
  intervalSeconds: number;
  timeoutMs: number;
  staleAfterSeconds: number;
  trailingDays: number;
  dailyDeadline: string;
  scopeUnitCode: string;
  enabled: boolean;
  /** Higher wins: an upload for a unit × metric that a higher-priority source reports is refused. */
  priority: number;
  /** The request (RequestSpec) as the form's fields show it. */
  method: string;
  headers: string;
  body: string;
  bodyType: string;
  paginationKind: string;
  pageStart: number;
  maxPages: number;
  nextExpression: string;
  codeSystem: string;
  /** '' when not declared. */
  numberLocale: string;
  /** "Kỳ công bố": the period kinds a periodic source publishes, as the form's field ("month,quarter,year"); '' for a source of a day's values. */
  periods: string;
}

/** A stored request as the form's fields. */
export function requestFields(r: RequestSpec) {
  const p = r.pagination;
  return {
    method: r.method, headers: headersField(r.headers), body: r.body ?? '', bodyType: r.bodyType, paginationKind: p.kind,
    pageStart: p.kind === 'page' ? p.start : 1, maxPages: p.kind === 'none' ? 10 : p.maxPages, nextExpression: p.kind === 'next' ? p.expression : ''
  };
}

/** The request the form describes (headers already parsed). */
export function requestOf(f: SourceForm, headers: Record<string, string>): RequestSpec {
  const pagination: RequestSpec['pagination'] =
    f.paginationKind === 'page' ? { kind: 'page', start: f.pageStart, maxPages: f.maxPages }
    : f.paginationKind === 'next' ? { kind: 'next', expression: f.nextExpression, maxPages: f.maxPages }
    : { kind: 'none' };
  return { method: f.method, headers, body: f.method === 'POST' && f.body.trim() ? f.body : null, bodyType: f.bodyType, pagination };
}

/** The code systems units carry (besides 'gso'), for the form's list. */
export async function codeSystems(sql: Sql): Promise<string[]> {
  const rows = await sql<{ system: string }[]>`select distinct jsonb_object_keys(external_codes) as system from units order by 1`;
  return ['gso', ...rows.map((r) => r.system).filter((s) => s !== 'gso')];
}

export async function readSourceView(sql: Sql, key: string): Promise<SourceView | null> {
  const d = dataSources;
  const [r] = await orm(sql)
    .select({
      id: d.id, key: d.key, name: d.name, family: d.family, kind: d.kind, produces: d.produces, granularity: d.granularity, urlTemplate: d.urlTemplate,
      authKind: d.authKind, sealed: d.credentialsSealed, mapping: d.mapping, intervalSeconds: d.intervalSeconds, timeoutMs: d.timeoutMs,
      staleAfterSeconds: d.staleAfterSeconds, trailingDays: d.trailingDays, dailyDeadline: d.dailyDeadline, scopeUnitCode: units.gsoCode,
      enabled: d.enabled, priority: d.priority, request: d.request, codeSystem: d.codeSystem, numberLocale: d.numberLocale, periods: d.periods
    })
    .from(d)
    .leftJoin(units, eq(units.id, d.scopeUnitId))
    .where(eq(d.key, key));
  if (!r) return null;
  const { sealed, mapping, request, ...rest } = r;
  return { ...rest, ...requestFields(request), periods: (sourcePeriods(r.periods) ?? []).join(','), numberLocale: r.numberLocale ?? '', dailyDeadline: r.dailyDeadline ?? '', scopeUnitCode: r.scopeUnitCode ?? '', hasCredentials: sealed !== null, mapping: mappingField(r.kind, mapping) };
}

export async function listSources(sql: Sql) {
  const health = await readSourceHealth(sql);
  const rows = await orm(sql)
    .select({ key: dataSources.key, intervalSeconds: dataSources.intervalSeconds, urlTemplate: dataSources.urlTemplate, priority: dataSources.priority })
    .from(dataSources)
    .orderBy(dataSources.id);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return health.map((h) => {
    const r = byKey.get(h.key)!;
    return { ...h, intervalSeconds: r.intervalSeconds, host: hostOf(r.urlTemplate), priority: r.priority };
  });
}

const hostOf = (url: string) => {
  try {
    return new URL(url.replaceAll(/\{\w+\}/g, 'x')).host;
  } catch {
    return '';
  }
};

/** What the form checks beyond its fields: the mapping, the unit, the URL's destination (SSRF). */
async function resolveForm(sql: Sql, f: SourceForm): Promise<{ errors: SourceFormErrors } | { mapping: unknown; scopeUnitId: number | null; request: RequestSpec }> {
  const errors: SourceFormErrors = {};
  const mapping = parseMappingField(f.kind, f.family, f.mapping);
  if ('error' in mapping) errors.mapping = `mapping: ${mapping.error}`;
  const headers = parseHeadersField(f.headers);
  if ('error' in headers) errors.headers = `headers: ${headers.error}`;
  const request = requestOf(f, 'headers' in headers ? headers.headers : {});
  if (f.kind !== 'upload') {
    for (const [field, message] of Object.entries(templateErrors(f.urlTemplate, request))) errors[field] ??= message;
  }
  if (f.kind !== 'upload' && f.paginationKind === 'next' && f.nextExpression) {
    const next = jsonMappingSchema.shape.expression.safeParse(f.nextExpression);
    if (!next.success) errors.nextExpression = `nextExpression: ${next.error.issues.map((i) => i.message).join('; ')}`;
  }
  let scopeUnitId: number | null = null;
  if (f.scopeUnitCode) {
    const [u] = await orm(sql).select({ id: units.id }).from(units).where(and(eq(units.gsoCode, f.scopeUnitCode), sqlExpr`${units.validTo} is null`));
    if (!u) errors.scopeUnitCode = `scopeUnitCode: không có đơn vị mã ${f.scopeUnitCode}`;
    else scopeUnitId = u.id;
  }
  if (f.kind !== 'upload' && !errors.urlTemplate) {
    try {
      const sample = f.urlTemplate
        .replaceAll(/\{(from|to)\}/g, '2026-01-01')
        .replaceAll(/\{(fromMonth|toMonth)\}/g, '2026-01')
        .replaceAll(/\{[^{}]*\}/g, '1');
      const refusal = await checkSourceUrl(sample, egressPolicy());
      if (refusal) errors.urlTemplate = `urlTemplate: ${refusal}`;
    } catch (e) {
      errors.urlTemplate = `urlTemplate: không kiểm tra được: ${(e as Error).message}`;
    }
  }
  if (Object.keys(errors).length) return { errors };
  return { mapping: (mapping as { mapping: unknown }).mapping, scopeUnitId, request };
}

export async function saveSource(
  sql: Pool,
  f: SourceForm,
  /** jobs: where the current boards are queued for a recompute when the priority changes (which values count changes). */
  ctx: { actor: Principal; ip: string | null; existingKey?: string; jobs?: PgBoss }
): Promise<{ errors: SourceFormErrors } | { key: string }> {
  const resolved = await resolveForm(sql, f);
  if ('errors' in resolved) return resolved;
  const db = orm(sql);
  const before = ctx.existingKey ? await readSourceView(sql, ctx.existingKey) : null;
  if (ctx.existingKey && !before) return { errors: { key: `key: không có nguồn ${ctx.existingKey}` } };
  if (!ctx.existingKey || f.key !== ctx.existingKey) {
    const [taken] = await db.select({ id: dataSources.id }).from(dataSources).where(eq(dataSources.key, f.key));
    if (taken) return { errors: { key: `key: mã ${f.key} đã được một nguồn khác dùng` } };
  }
  const creds = credentialsFrom(f, before?.authKind === f.authKind ? await storedCredentials(sql, before.id) : null);
  if (typeof creds === 'object' && 'error' in creds) return { errors: { [creds.field]: `${creds.field}: ${creds.error}` } };
  if (creds === 'keep' && (!before || before.authKind !== f.authKind || !before.hasCredentials)) {
    const { field, words } = secretField(f.authKind);
    return { errors: { [field]: `${field}: cần nhập ${words} cho kiểu xác thực ${f.authKind}` } };
  }
  if (creds === 'keep') {
    const moved = hostChanged(before, f);
    if (moved) return { errors: moved };
  }
  const secret = config().CITYOPS_SECRET_KEY;
  if (creds !== 'keep' && creds.kind !== 'none' && !secret) return { errors: { form: 'Chưa đặt CITYOPS_SECRET_KEY: không niêm phong được thông tin xác thực' } };
  const sealed = creds === 'keep' ? undefined : creds.kind === 'none' ? null : seal(JSON.stringify(creds), secret!);
  const values = {
    key: f.key, name: f.name, family: f.family as MetricFamily, kind: f.kind, produces: f.produces, granularity: f.granularity,
    urlTemplate: f.kind === 'upload' ? '' : f.urlTemplate, authKind: f.authKind, mapping: resolved.mapping as typeof dataSources.$inferInsert.mapping,
    intervalSeconds: f.intervalSeconds, timeoutMs: f.timeoutMs, staleAfterSeconds: f.staleAfterSeconds, trailingDays: f.trailingDays,
    dailyDeadline: f.dailyDeadline || null, scopeUnitId: resolved.scopeUnitId, enabled: f.enabled,
    request: f.kind === 'upload' ? DEFAULT_REQUEST : resolved.request, codeSystem: f.codeSystem, numberLocale: (f.numberLocale || null) as NumberLocale | null,
    periods: f.periods,
    priority: f.priority ?? (f.kind === 'upload' ? DEFAULT_PRIORITY.upload : DEFAULT_PRIORITY.systemOfRecord)
  };
  // Overlap (admin/overlap.ts): checked and written under one lock, so two saves cannot both pass.
  const refused = await sql.begin(async (tx) => {
    await holdSourcesLock(tx);
    const overlap = await findOverlap(tx, {
      id: before?.id ?? null, family: values.family, scopeUnitId: values.scopeUnitId, priority: values.priority, enabled: values.enabled,
      metrics: metricsOfSource({ family: values.family, produces: values.produces, mapping: values.mapping })
    });
    if (overlap) return overlapMessage(overlap, values.priority);
    const txDb = orm(tx);
    if (before) {
      await txDb
        .update(dataSources)
        .set({ ...values, ...(sealed === undefined ? {} : { credentialsSealed: sealed }), updatedAt: sqlExpr`now()` })
        .where(eq(dataSources.id, before.id));
    } else {
      await txDb.insert(dataSources).values({ ...values, credentialsSealed: sealed ?? null });
    }
    // A new priority can change which source's values count: this day's, week's … boards are
    // recomputed by a job (queued in this transaction); past boards keep theirs.
    if (before && before.priority !== values.priority && ctx.jobs) {
      const day = today();
      await queueRecompute(ctx.jobs, tx, { periods: BOARD_PERIOD_KINDS.map((kind) => periodOf(kind, day)), cause: 'priority' });
    }
    return null;
  });
  if (refused) return { errors: { priority: refused } };
  const after = await readSourceView(sql, f.key);
  await recordAudit(sql, {
    actor: ctx.actor, action: before ? 'update' : 'create', entity: 'source', entityId: f.key, ip: ctx.ip,
    before: before ?? undefined, after: { ...after, credentialsChanged: sealed !== undefined }
  });
  return { key: f.key };
}

/** What test connection shows (pipeline/test-connection.ts): requests, responses, the vendor's message, the preview. */
export type TestResult = TestReport;

/**
 * Fetches once with what the form says (stored credentials when left empty, and only to the host
 * they were stored for), maps, checks — and stores nothing. Every call is audited: who, which
 * source, which host, the outcome.
 */
export async function testSource(
  sql: Sql,
  f: SourceForm,
  existingKey: string | undefined,
  ctx: { actor: Principal; ip: string | null }
): Promise<{ errors: SourceFormErrors } | TestResult> {
  const result = await runTest(sql, f, existingKey);
  const outcome = 'errors' in result ? 'refused' : result.ok ? 'ok' : 'failed';
  await recordAudit(sql, {
    actor: ctx.actor, action: 'test_connection', entity: 'source', entityId: existingKey ?? f.key, ip: ctx.ip,
    after: {
      host: f.kind === 'upload' ? null : (originOf(f.urlTemplate)?.host ?? f.urlTemplate.slice(0, 200)), outcome,
      httpStatus: 'errors' in result ? null : result.httpStatus,
      error: 'errors' in result ? Object.values(result.errors).join('; ') : result.error,
      storedCredentials: !('errors' in result) && credentialsFrom(f) === 'keep'
    }
  });
  return result;
}

async function runTest(sql: Sql, f: SourceForm, existingKey?: string): Promise<{ errors: SourceFormErrors } | TestResult> {
  if (f.kind === 'upload') return { errors: { kind: 'kind: nguồn tải tệp lên không có kết nối để kiểm tra; hãy tải một tệp lên' } };
  const resolved = await resolveForm(sql, f);
  if ('errors' in resolved) return resolved;
  const existing = existingKey ? await readSourceView(sql, existingKey) : null;
  const stored = existing ? await loadSource(sql as Pool, existing.id) : undefined;
  const creds = credentialsFrom(f, stored && existing?.authKind === f.authKind ? await storedCredentials(sql, stored.id) : null);
  if (typeof creds === 'object' && 'error' in creds) return { errors: { [creds.field]: `${creds.field}: ${creds.error}` } };
  if (creds === 'keep') {
    const moved = hostChanged(existing, f);
    if (moved) return { errors: moved };
  }
  let credentials: Credentials;
  try {
    credentials = creds === 'keep' ? (stored && stored.authKind === f.authKind ? credentialsOf(stored, config().CITYOPS_SECRET_KEY) : { kind: 'none' }) : creds;
  } catch (e) {
    return { errors: { form: (e as Error).message } };
  }
  // The request, code system and number locale as the form gives them (when it has those fields), else as stored.
  const given = f as Partial<Pick<SourceRow, 'request' | 'codeSystem' | 'numberLocale'>>;
  const more = resolved as Partial<Pick<SourceRow, 'request' | 'codeSystem' | 'numberLocale'>>;
  const source: SourceRow = {
    id: stored?.id ?? 0, key: f.key, name: f.name, family: f.family, kind: f.kind, produces: f.produces, mapping: resolved.mapping,
    granularity: f.granularity, urlTemplate: f.urlTemplate, authKind: f.authKind, credentialsSealed: null, intervalSeconds: f.intervalSeconds,
    timeoutMs: f.timeoutMs, staleAfterSeconds: f.staleAfterSeconds, trailingDays: f.trailingDays, scopeUnitId: resolved.scopeUnitId, enabled: f.enabled,
    request: resolved.request, codeSystem: f.codeSystem, numberLocale: (f.numberLocale || null) as NumberLocale | null, periods: f.periods
  };
  return testConnection(sql, source, credentials);
}

/** One source change at a time where overlap is checked (held until the transaction ends). */
const SOURCES_LOCK = 0x7372_6373; // "srcs"
async function holdSourcesLock(tx: Sql): Promise<void> {
  await tx`select pg_advisory_xact_lock(${SOURCES_LOCK})`;
}

export type SetEnabledResult = { ok: true } | { ok: false; status: 404 | 409; field?: 'priority'; message: string };

/**
 * Disabling a source also drops its polls waiting in the queue (a poll already running finishes).
 * Enabling one that overlaps another enabled source of the same priority is refused (409, the
 * overlap named: admin/overlap.ts).
 */
export async function setEnabled(sql: Pool, key: string, enabled: boolean, ctx: { actor: Principal; ip: string | null; jobs: PgBoss }): Promise<SetEnabledResult> {
  const outcome = await sql.begin(async (tx): Promise<{ ok: true; id: number } | (SetEnabledResult & { ok: false })> => {
    await holdSourcesLock(tx);
    const [source] = await orm(tx)
      .select({
        id: dataSources.id, family: dataSources.family, produces: dataSources.produces, mapping: dataSources.mapping,
        scopeUnitId: dataSources.scopeUnitId, priority: dataSources.priority
      })
      .from(dataSources)
      .where(eq(dataSources.key, key));
    if (!source) return { ok: false, status: 404, message: `key: no source ${key}` };
    if (enabled) {
      const overlap = await findOverlap(tx, { ...source, enabled, metrics: metricsOfSource(source) });
      if (overlap) return { ok: false, status: 409, field: 'priority', message: overlapMessage(overlap, source.priority) };
    }
    await tx`update data_sources set enabled = ${enabled}, updated_at = now() where id = ${source.id}`;
    return { ok: true, id: source.id };
  });
  if (!outcome.ok) return outcome;
  await recordAudit(sql, { actor: ctx.actor, action: enabled ? 'enable' : 'disable', entity: 'source', entityId: key, ip: ctx.ip, before: { enabled: !enabled }, after: { enabled } });
  if (!enabled) await dropQueuedPolls(ctx.jobs, outcome.id);
  return { ok: true };
}

/** The polls of a source waiting in the queue, dropped (it was saved disabled); how many. */
export async function dropQueuedPollsOf(sql: Sql, jobs: PgBoss, key: string): Promise<number> {
  const [row] = await sql<{ id: number }[]>`select id from data_sources where key = ${key}`;
  return row ? dropQueuedPolls(jobs, row.id) : 0;
}

export type PollNowResult = { ok: true; jobId: string | null } | { ok: false; status: 404 | 409; message: string };

/** Queues a poll now (a person's request: it goes through an open circuit breaker); the job to follow. */
export async function pollNow(sql: Sql, key: string, ctx: { actor: Principal; ip: string | null; jobs: PgBoss }): Promise<PollNowResult> {
  const [row] = await sql<{ id: number; kind: string; enabled: boolean }[]>`select id, kind, enabled from data_sources where key = ${key}`;
  if (!row || row.kind === 'upload') return { ok: false, status: 404, message: `key: không có nguồn lấy số liệu ${key}` };
  if (!row.enabled) return { ok: false, status: 409, message: `Nguồn ${key} đang tắt: bật nguồn rồi mới lấy số liệu được.` };
  const jobId = await pollNowJob(ctx.jobs, row.id);
  await recordAudit(sql, { actor: ctx.actor, action: 'poll_now', entity: 'source', entityId: key, ip: ctx.ip });
  return { ok: true, jobId };
}

export interface PollRunRow {
  id: number;
  startedAt: string;
  durationMs: number | null;
  outcome: string;
  trigger: string;
  httpStatus: number | null;
  attempts: number;
  windowFrom: string;
  windowTo: string;
  accepted: number;
  rejected: number;
  /** Rows of units outside the source's scope, skipped. */
  skipped: number;
  changed: number;
  error: string | null;
  /** An upload: who sent it, and who approved it ("Name (username)"). */
  submittedBy: string | null;
  approvedBy: string | null;
}

const sender = alias(users, 'sender');
const approver = alias(users, 'approver');
const runColumns = {
  id: pollRuns.id, startedAt: pollRuns.startedAt, durationMs: pollRuns.durationMs, outcome: pollRuns.outcome, trigger: pollRuns.trigger,
  httpStatus: pollRuns.httpStatus, attempts: pollRuns.attempts, windowFrom: pollRuns.windowFrom, windowTo: pollRuns.windowTo,
  accepted: pollRuns.accepted, rejected: pollRuns.rejected, skipped: pollRuns.skipped, changed: pollRuns.changed, error: pollRuns.error,
  senderName: sender.displayName, senderUser: sender.username, approverName: approver.displayName, approverUser: approver.username
};
const person = (name: string | null, username: string | null) => (username ? `${name} (${username})` : null);
const toRunRow = <T extends { startedAt: Date | string; senderName: string | null; senderUser: string | null; approverName: string | null; approverUser: string | null }>(
  r: T
) => {
  const { senderName, senderUser, approverName, approverUser, ...rest } = r;
  return { ...rest, startedAt: isoTimestamp(r.startedAt)!, submittedBy: person(senderName, senderUser), approvedBy: person(approverName, approverUser) };
};

/** The runs of one source, newest first, 50 a page. */
function runsOf(sql: Sql) {
  return orm(sql)
    .select(runColumns)
    .from(pollRuns)
    .innerJoin(dataSources, eq(dataSources.id, pollRuns.sourceId))
    .leftJoin(sender, eq(sender.id, pollRuns.submittedBy))
    .leftJoin(approver, eq(approver.id, pollRuns.approvedBy));
}

export async function pollHistory(sql: Sql, key: string, page = 1): Promise<PollRunRow[]> {
  const rows = await runsOf(sql)
    .where(eq(dataSources.key, key))
    .orderBy(desc(pollRuns.id))
    .limit(50)
    .offset((Math.max(1, page) - 1) * 50);
  return rows.map(toRunRow);
}

export async function pollRun(sql: Sql, key: string, id: number) {
  const [r] = await orm(sql)
    .select({ ...runColumns, rejections: pollRuns.rejections, rawBody: sqlExpr<string | null>`left(${pollRuns.rawBody}, 200000)` })
    .from(pollRuns)
    .innerJoin(dataSources, eq(dataSources.id, pollRuns.sourceId))
    .leftJoin(sender, eq(sender.id, pollRuns.submittedBy))
    .leftJoin(approver, eq(approver.id, pollRuns.approvedBy))
    .where(and(eq(dataSources.key, key), eq(pollRuns.id, id)));
  return r ? toRunRow(r) : null;
}
