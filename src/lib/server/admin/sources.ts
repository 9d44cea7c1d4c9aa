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
import { dataSources, DEFAULT_PRIORITY, DEFAULT_REQUEST, pollRuns } from '#db/schema/sources';
import { units } from '#db/schema/units';
import type { PgBoss } from 'pg-boss';
import { METRIC_FAMILIES, type MetricFamily } from '#domain/catalogue';
import { UNIT_CODE_RULE_VI } from '#contract/dto';
import { seal } from '#server/secrets';
import { config, egressPolicy } from '#server/config';
import { credentialsOf, loadSource, type SourceRow } from '#server/pipeline/poll';
import { testConnection, type TestReport } from '#server/pipeline/test-connection';
import { AUTH_KINDS, jsonMappingSchema, SOURCE_KINDS, tableMappingSchema, templateMapping } from '#server/pipeline/mapping/config';
import { checkSourceUrl } from '#server/pipeline/ssrf';
import { dropQueuedPolls, pollNowJob } from '#server/jobs/send';
import type { Credentials } from '#server/pipeline/types';
import type { Principal } from '../auth/principal.ts';
import { recordAudit } from '../auth/audit.ts';
import { readSourceHealth } from '../sources.ts';

const optionalText = z.string().trim().max(2000).optional().transform((v) => (v ? v : undefined));
const int = (min: number, max: number, what: string) =>
  z.coerce.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`).min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`);

/** The form of a source; credential fields left empty keep the stored ones. */
export const sourceFormSchema = z
  .object({
    key: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'key: 2–40 characters of a-z, 0-9 and -'),
    name: z.string().trim().min(1, 'name is required').max(200, 'name: at most 200 characters'),
    family: z.enum(METRIC_FAMILIES as unknown as [string, ...string[]], { error: 'family must be dossier, eid, payment or task' }),
    kind: z.enum(SOURCE_KINDS, { error: 'kind must be json_http, csv_http or upload' }),
    produces: z.enum(['samples', 'tasks'], { error: 'produces must be samples or tasks' }),
    granularity: z.enum(['day', 'month'], { error: 'granularity must be day or month' }),
    urlTemplate: z.string().trim().max(2000, 'urlTemplate: at most 2,000 characters').default(''),
    authKind: z.enum(AUTH_KINDS, { error: 'authKind must be none, api_key, basic or bearer' }),
    apiKeyHeader: optionalText,
    apiKey: optionalText,
    username: optionalText,
    password: optionalText,
    token: optionalText,
    mapping: z.string().max(100_000, 'mapping: at most 100,000 characters').default(''),
    intervalSeconds: int(5, 86_400, 'intervalSeconds'),
    timeoutMs: int(500, 120_000, 'timeoutMs'),
    staleAfterSeconds: int(30, 90 * 86_400, 'staleAfterSeconds'),
    trailingDays: int(1, 31, 'trailingDays'),
    dailyDeadline: z.string().trim().regex(/^(|([01]\d|2[0-3]):[0-5]\d)$/, 'dailyDeadline: HH:MM, or empty').default(''),
    scopeUnitCode: z.string().trim().regex(/^(|[A-Za-z0-9._-]{1,20})$/, `scopeUnitCode: mã đơn vị gồm ${UNIT_CODE_RULE_VI}, hoặc để trống`).default(''),
    /** Empty: the default for the kind (a system of record above an upload). */
    priority: z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : v), int(0, 1000, 'priority').optional()),
    enabled: z.string().optional().transform((v) => v === 'on' || v === 'true')
  })
  .superRefine((f, ctx) => {
    if (f.kind !== 'upload') {
      let url: URL | null = null;
      try {
        url = new URL(f.urlTemplate.replaceAll(/\{(from|to|fromMonth|toMonth)\}/g, 'x'));
      } catch {
        /* below */
      }
      if (!url || !/^https?:$/.test(url.protocol)) ctx.addIssue({ code: 'custom', path: ['urlTemplate'], message: 'urlTemplate must be an http(s) URL' });
    }
    if (f.kind === 'csv_http' && f.produces === 'tasks' && !f.mapping.includes('taskColumns')) {
      ctx.addIssue({ code: 'custom', path: ['mapping'], message: 'mapping: a task list read from a table needs taskColumns' });
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
    return { error: `not valid JSON (${(e as Error).message})` };
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

function credentialsFrom(f: SourceForm): Credentials | 'keep' | { error: string; field: string } {
  switch (f.authKind) {
    case 'none':
      return { kind: 'none' };
    case 'api_key':
      if (!f.apiKey) return 'keep';
      return { kind: 'api_key', header: (f.apiKeyHeader ?? 'x-api-key').toLowerCase(), key: f.apiKey };
    case 'basic':
      if (!f.username && !f.password) return 'keep';
      if (!f.username) return { error: 'username is required with basic auth', field: 'username' };
      if (!f.password) return { error: 'password is required with basic auth', field: 'password' };
      return { kind: 'basic', username: f.username, password: f.password };
    case 'bearer':
      if (!f.token) return 'keep';
      return { kind: 'bearer', token: f.token };
  }
}

/** The form field that carries an auth kind's secret, and its name in words. */
function secretField(authKind: string): { field: string; words: string } {
  if (authKind === 'basic') return { field: 'password', words: 'username and password' };
  if (authKind === 'bearer') return { field: 'token', words: 'token' };
  return { field: 'apiKey', words: 'API key' };
}

/** scheme://host:port of a URL template ({from} … filled in), or null when it is not a URL. */
function originOf(urlTemplate: string): URL | null {
  try {
    return new URL(urlTemplate.replaceAll(/\{\w+\}/g, 'x'));
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
    [field]: `${field}: the URL now points to ${now?.host ?? 'another host'} (it was ${was?.host ?? 'another host'}): enter the ${words} again — a stored one is sent only to the host it was entered for`
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
}

export async function readSourceView(sql: Sql, key: string): Promise<SourceView | null> {
  const d = dataSources;
  const [r] = await orm(sql)
    .select({
      id: d.id, key: d.key, name: d.name, family: d.family, kind: d.kind, produces: d.produces, granularity: d.granularity, urlTemplate: d.urlTemplate,
      authKind: d.authKind, sealed: d.credentialsSealed, mapping: d.mapping, intervalSeconds: d.intervalSeconds, timeoutMs: d.timeoutMs,
      staleAfterSeconds: d.staleAfterSeconds, trailingDays: d.trailingDays, dailyDeadline: d.dailyDeadline, scopeUnitCode: units.gsoCode,
      enabled: d.enabled, priority: d.priority
    })
    .from(d)
    .leftJoin(units, eq(units.id, d.scopeUnitId))
    .where(eq(d.key, key));
  if (!r) return null;
  const { sealed, mapping, ...rest } = r;
  return { ...rest, dailyDeadline: r.dailyDeadline ?? '', scopeUnitCode: r.scopeUnitCode ?? '', hasCredentials: sealed !== null, mapping: mappingField(r.kind, mapping) };
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
async function resolveForm(sql: Sql, f: SourceForm): Promise<{ errors: SourceFormErrors } | { mapping: unknown; scopeUnitId: number | null }> {
  const errors: SourceFormErrors = {};
  const mapping = parseMappingField(f.kind, f.family, f.mapping);
  if ('error' in mapping) errors.mapping = `mapping: ${mapping.error}`;
  let scopeUnitId: number | null = null;
  if (f.scopeUnitCode) {
    const [u] = await orm(sql).select({ id: units.id }).from(units).where(and(eq(units.gsoCode, f.scopeUnitCode), sqlExpr`${units.validTo} is null`));
    if (!u) errors.scopeUnitCode = `scopeUnitCode: no unit with code ${f.scopeUnitCode}`;
    else scopeUnitId = u.id;
  }
  if (f.kind !== 'upload' && !errors.urlTemplate) {
    try {
      const refusal = await checkSourceUrl(f.urlTemplate.replaceAll(/\{(from|to)\}/g, '2026-01-01').replaceAll(/\{(fromMonth|toMonth)\}/g, '2026-01'), egressPolicy());
      if (refusal) errors.urlTemplate = `urlTemplate: ${refusal}`;
    } catch (e) {
      errors.urlTemplate = `urlTemplate: cannot be checked: ${(e as Error).message}`;
    }
  }
  if (Object.keys(errors).length) return { errors };
  return { mapping: (mapping as { mapping: unknown }).mapping, scopeUnitId };
}

export async function saveSource(
  sql: Pool,
  f: SourceForm,
  ctx: { actor: Principal; ip: string | null; existingKey?: string }
): Promise<{ errors: SourceFormErrors } | { key: string }> {
  const resolved = await resolveForm(sql, f);
  if ('errors' in resolved) return resolved;
  const db = orm(sql);
  const before = ctx.existingKey ? await readSourceView(sql, ctx.existingKey) : null;
  if (ctx.existingKey && !before) return { errors: { key: `key: no source ${ctx.existingKey}` } };
  if (!ctx.existingKey || f.key !== ctx.existingKey) {
    const [taken] = await db.select({ id: dataSources.id }).from(dataSources).where(eq(dataSources.key, f.key));
    if (taken) return { errors: { key: `key: ${f.key} is already used by another source` } };
  }
  const creds = credentialsFrom(f);
  if (typeof creds === 'object' && 'error' in creds) return { errors: { [creds.field]: `${creds.field}: ${creds.error}` } };
  if (creds === 'keep' && (!before || before.authKind !== f.authKind || !before.hasCredentials)) {
    const { field } = secretField(f.authKind);
    return { errors: { [field]: `${field}: required for ${f.authKind} authentication` } };
  }
  if (creds === 'keep') {
    const moved = hostChanged(before, f);
    if (moved) return { errors: moved };
  }
  const secret = config().CITYOPS_SECRET_KEY;
  if (creds !== 'keep' && creds.kind !== 'none' && !secret) return { errors: { form: 'CITYOPS_SECRET_KEY is not set: credentials cannot be sealed' } };
  const sealed = creds === 'keep' ? undefined : creds.kind === 'none' ? null : seal(JSON.stringify(creds), secret!);
  const values = {
    key: f.key, name: f.name, family: f.family as MetricFamily, kind: f.kind, produces: f.produces, granularity: f.granularity,
    urlTemplate: f.kind === 'upload' ? '' : f.urlTemplate, authKind: f.authKind, mapping: resolved.mapping as typeof dataSources.$inferInsert.mapping,
    intervalSeconds: f.intervalSeconds, timeoutMs: f.timeoutMs, staleAfterSeconds: f.staleAfterSeconds, trailingDays: f.trailingDays,
    dailyDeadline: f.dailyDeadline || null, scopeUnitId: resolved.scopeUnitId, enabled: f.enabled,
    priority: f.priority ?? (f.kind === 'upload' ? DEFAULT_PRIORITY.upload : DEFAULT_PRIORITY.systemOfRecord)
  };
  if (before) {
    await db
      .update(dataSources)
      .set({ ...values, ...(sealed === undefined ? {} : { credentialsSealed: sealed }), updatedAt: sqlExpr`now()` })
      .where(eq(dataSources.id, before.id));
  } else {
    await db.insert(dataSources).values({ ...values, credentialsSealed: sealed ?? null });
  }
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
  if (f.kind === 'upload') return { errors: { kind: 'kind: an upload source has no connection to test; upload a file instead' } };
  const resolved = await resolveForm(sql, f);
  if ('errors' in resolved) return resolved;
  const existing = existingKey ? await readSourceView(sql, existingKey) : null;
  const stored = existing ? await loadSource(sql as Pool, existing.id) : undefined;
  const creds = credentialsFrom(f);
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
    request: more.request ?? given.request ?? stored?.request ?? DEFAULT_REQUEST,
    codeSystem: more.codeSystem ?? given.codeSystem ?? stored?.codeSystem ?? 'gso',
    numberLocale: more.numberLocale !== undefined ? more.numberLocale : given.numberLocale !== undefined ? given.numberLocale : (stored?.numberLocale ?? null)
  };
  return testConnection(sql, source, credentials);
}

/** Disabling a source also drops its polls waiting in the queue (a poll already running finishes). */
export async function setEnabled(sql: Sql, key: string, enabled: boolean, ctx: { actor: Principal; ip: string | null; jobs: PgBoss }): Promise<boolean> {
  const [row] = await sql<{ id: number }[]>`update data_sources set enabled = ${enabled}, updated_at = now() where key = ${key} returning id`;
  if (!row) return false;
  await recordAudit(sql, { actor: ctx.actor, action: enabled ? 'enable' : 'disable', entity: 'source', entityId: key, ip: ctx.ip, before: { enabled: !enabled }, after: { enabled } });
  if (!enabled) await dropQueuedPolls(ctx.jobs, row.id);
  return true;
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
  if (!row || row.kind === 'upload') return { ok: false, status: 404, message: `key: no polled source ${key}` };
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
  accepted: pollRuns.accepted, rejected: pollRuns.rejected, changed: pollRuns.changed, error: pollRuns.error,
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
