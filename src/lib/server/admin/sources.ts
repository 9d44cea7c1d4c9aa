/**
 * Data sources as an administrator manages them: list with health, create and edit every field,
 * test a connection (fetch once, preview what would be stored, store nothing), enable / disable,
 * poll now, and the poll history. Credentials are write-only: sealed on save, never read back.
 */
import { z } from 'zod';
import { isoTimestamp, type Queryable as Sql, type Sql as Pool } from '#db/client';
import { POLL_NOW_CHANNEL } from '#contract/notify';
import { METRIC_FAMILIES } from '#domain/catalogue';
import { today } from '#domain/periods';
import { seal } from '#server/secrets';
import { config, egressPolicy } from '#server/config';
import { loadLookups } from '#server/pipeline/ingest';
import { credentialsOf, fetchWindow, loadSource, pollWindow, type SourceRow } from '#server/pipeline/poll';
import { AUTH_KINDS, jsonMappingSchema, SOURCE_KINDS, tableMappingSchema, templateMapping } from '#server/pipeline/mapping/config';
import { checkSourceUrl } from '#server/pipeline/ssrf';
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
    scopeUnitCode: z.string().trim().regex(/^(|\d{2,5})$/, 'scopeUnitCode: a GSO code (2–5 digits), or empty').default(''),
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

/** The mapping field: a JSONata expression (JSON sources, with an optional line "metrics: a, b"), or JSON (tables). */
export function parseMappingField(kind: string, family: string, text: string): { mapping: unknown } | { error: string } {
  if (kind === 'upload' && !text.trim()) return { mapping: templateMapping(family) };
  if (kind === 'json_http') {
    const lines = text.split('\n');
    const metricsLine = lines.findIndex((l) => /^\s*metrics\s*:/.test(l));
    const metrics = metricsLine >= 0 ? lines[metricsLine]!.replace(/^\s*metrics\s*:/, '').split(',').map((m) => m.trim()).filter(Boolean) : [];
    const expression = lines.filter((_, i) => i !== metricsLine).join('\n').trim();
    const parsed = jsonMappingSchema.safeParse({ expression, metrics });
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
    const m = mapping as { expression: string; metrics?: string[] };
    return m.metrics?.length ? `${m.expression}\nmetrics: ${m.metrics.join(', ')}` : m.expression;
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
}

export async function readSourceView(sql: Sql, key: string): Promise<SourceView | null> {
  const [r] = await sql<(Omit<SourceView, 'mapping' | 'hasCredentials'> & { mapping: unknown; sealed: string | null })[]>`
    select s.id, s.key, s.name, s.family, s.kind, s.produces, s.granularity, s.url_template as "urlTemplate", s.auth_kind as "authKind",
           s.credentials_sealed as sealed, s.mapping, s.interval_seconds as "intervalSeconds", s.timeout_ms as "timeoutMs",
           s.stale_after_seconds as "staleAfterSeconds", s.trailing_days as "trailingDays", coalesce(s.daily_deadline, '') as "dailyDeadline",
           coalesce(u.gso_code, '') as "scopeUnitCode", s.enabled
    from data_sources s left join units u on u.id = s.scope_unit_id where s.key = ${key}`;
  if (!r) return null;
  const { sealed, mapping, ...rest } = r;
  return { ...rest, hasCredentials: sealed !== null, mapping: mappingField(r.kind, mapping) };
}

export async function listSources(sql: Sql) {
  const health = await readSourceHealth(sql);
  const rows = await sql<{ key: string; kind: string; interval_seconds: number; url_template: string }[]>`
    select key, kind, interval_seconds, url_template from data_sources order by id`;
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return health.map((h) => ({ ...h, intervalSeconds: byKey.get(h.key)!.interval_seconds, host: hostOf(byKey.get(h.key)!.url_template) }));
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
    const [u] = await sql<{ id: number }[]>`select id from units where gso_code = ${f.scopeUnitCode} and valid_to is null`;
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
  const before = ctx.existingKey ? await readSourceView(sql, ctx.existingKey) : null;
  if (ctx.existingKey && !before) return { errors: { key: `key: no source ${ctx.existingKey}` } };
  if (!ctx.existingKey || f.key !== ctx.existingKey) {
    const [taken] = await sql`select 1 from data_sources where key = ${f.key}`;
    if (taken) return { errors: { key: `key: ${f.key} is already used by another source` } };
  }
  const creds = credentialsFrom(f);
  if (typeof creds === 'object' && 'error' in creds) return { errors: { [creds.field]: `${creds.field}: ${creds.error}` } };
  if (creds === 'keep' && (!before || before.authKind !== f.authKind || !before.hasCredentials)) {
    const field = f.authKind === 'basic' ? 'password' : f.authKind === 'bearer' ? 'token' : 'apiKey';
    return { errors: { [field]: `${field}: required for ${f.authKind} authentication` } };
  }
  const secret = config().CITYOPS_SECRET_KEY;
  if (creds !== 'keep' && creds.kind !== 'none' && !secret) return { errors: { form: 'CITYOPS_SECRET_KEY is not set: credentials cannot be sealed' } };
  const sealed = creds === 'keep' ? undefined : creds.kind === 'none' ? null : seal(JSON.stringify(creds), secret!);
  const values = {
    key: f.key, name: f.name, family: f.family, kind: f.kind, produces: f.produces, granularity: f.granularity,
    url_template: f.kind === 'upload' ? '' : f.urlTemplate, auth_kind: f.authKind, mapping: JSON.stringify(resolved.mapping),
    interval_seconds: f.intervalSeconds, timeout_ms: f.timeoutMs, stale_after_seconds: f.staleAfterSeconds, trailing_days: f.trailingDays,
    daily_deadline: f.dailyDeadline || null, scope_unit_id: resolved.scopeUnitId, enabled: f.enabled
  };
  if (before) {
    await sql`
      update data_sources set key = ${values.key}, name = ${values.name}, family = ${values.family}, kind = ${values.kind},
        produces = ${values.produces}, granularity = ${values.granularity}, url_template = ${values.url_template}, auth_kind = ${values.auth_kind},
        mapping = ${values.mapping}::jsonb, interval_seconds = ${values.interval_seconds}, timeout_ms = ${values.timeout_ms},
        stale_after_seconds = ${values.stale_after_seconds}, trailing_days = ${values.trailing_days}, daily_deadline = ${values.daily_deadline},
        scope_unit_id = ${values.scope_unit_id}, enabled = ${values.enabled}, updated_at = now()
        ${sealed === undefined ? sql`` : sql`, credentials_sealed = ${sealed}`}
      where id = ${before.id}`;
  } else {
    await sql`
      insert into data_sources (key, name, family, kind, produces, granularity, url_template, auth_kind, credentials_sealed, mapping,
                                interval_seconds, timeout_ms, stale_after_seconds, trailing_days, daily_deadline, scope_unit_id, enabled)
      values (${values.key}, ${values.name}, ${values.family}, ${values.kind}, ${values.produces}, ${values.granularity}, ${values.url_template},
              ${values.auth_kind}, ${sealed ?? null}, ${values.mapping}::jsonb, ${values.interval_seconds}, ${values.timeout_ms},
              ${values.stale_after_seconds}, ${values.trailing_days}, ${values.daily_deadline}, ${values.scope_unit_id}, ${values.enabled})`;
  }
  const after = await readSourceView(sql, f.key);
  await recordAudit(sql, {
    actor: ctx.actor, action: before ? 'update' : 'create', entity: 'source', entityId: f.key, ip: ctx.ip,
    before: before ?? undefined, after: { ...after, credentialsChanged: sealed !== undefined }
  });
  return { key: f.key };
}

export interface TestResult {
  ok: boolean;
  error: string | null;
  httpStatus: number | null;
  window: { from: string; to: string } | null;
  accepted: number;
  rejectedCount: number;
  /** The first mapped samples, in our terms. */
  samples: { unitCode: string; metric: string; date: string; value: number }[];
  rejected: { index: number; reason: string }[];
}

/** Fetches once with what the form says (stored credentials when left empty), maps, checks — and stores nothing. */
export async function testSource(sql: Sql, f: SourceForm, existingKey?: string): Promise<{ errors: SourceFormErrors } | TestResult> {
  if (f.kind === 'upload') return { errors: { kind: 'kind: an upload source has no connection to test; upload a file instead' } };
  const resolved = await resolveForm(sql, f);
  if ('errors' in resolved) return resolved;
  const existing = existingKey ? await sql<{ id: number }[]>`select id from data_sources where key = ${existingKey}` : [];
  const stored = existing[0] ? await loadSource(sql as Pool, existing[0].id) : undefined;
  const creds = credentialsFrom(f);
  if (typeof creds === 'object' && 'error' in creds) return { errors: { [creds.field]: `${creds.field}: ${creds.error}` } };
  let credentials: Credentials;
  try {
    credentials = creds === 'keep' ? (stored ? credentialsOf(stored, config().CITYOPS_SECRET_KEY) : { kind: 'none' }) : creds;
  } catch (e) {
    return { errors: { form: (e as Error).message } };
  }
  const source: SourceRow = {
    id: stored?.id ?? 0, key: f.key, name: f.name, family: f.family, kind: f.kind, produces: f.produces, mapping: resolved.mapping,
    granularity: f.granularity, urlTemplate: f.urlTemplate, authKind: f.authKind, credentialsSealed: null, intervalSeconds: f.intervalSeconds,
    timeoutMs: f.timeoutMs, staleAfterSeconds: f.staleAfterSeconds, trailingDays: f.trailingDays, scopeUnitId: resolved.scopeUnitId, enabled: f.enabled
  };
  const planned = pollWindow(source, null, today());
  const window = { from: planned.from, to: planned.to };
  try {
    const lookups = await loadLookups(sql);
    const fetched = await fetchWindow(source, window, credentials, lookups, { retry: { attempts: 1, baseDelayMs: 0 } });
    const codeOf = new Map([...lookups.unitIdByCode].map(([code, id]) => [id, code]));
    const keyOf = new Map([...lookups.metrics].map(([key, m]) => [m.id, key]));
    return {
      ok: true, error: null, httpStatus: fetched.httpStatus, window, accepted: fetched.rows.length, rejectedCount: fetched.rejected.length,
      samples: fetched.rows.slice(0, 50).map((r) => ({ unitCode: codeOf.get(r.unitId) ?? '?', metric: keyOf.get(r.metricId) ?? '?', date: r.day, value: r.value })),
      rejected: fetched.rejected.slice(0, 50)
    };
  } catch (e) {
    const err = e as Error & { httpStatus?: number | null };
    return { ok: false, error: err.message, httpStatus: err.httpStatus ?? null, window, accepted: 0, rejectedCount: 0, samples: [], rejected: [] };
  }
}

export async function setEnabled(sql: Sql, key: string, enabled: boolean, ctx: { actor: Principal; ip: string | null }): Promise<boolean> {
  const [row] = await sql<{ id: number }[]>`update data_sources set enabled = ${enabled}, updated_at = now() where key = ${key} returning id`;
  if (!row) return false;
  await recordAudit(sql, { actor: ctx.actor, action: enabled ? 'enable' : 'disable', entity: 'source', entityId: key, ip: ctx.ip, before: { enabled: !enabled }, after: { enabled } });
  return true;
}

/** Asks a worker for a poll now (a NOTIFY: the web process has no pg-boss). */
export async function pollNow(sql: Sql, key: string, ctx: { actor: Principal; ip: string | null }): Promise<boolean> {
  const [row] = await sql<{ id: number; kind: string }[]>`select id, kind from data_sources where key = ${key}`;
  if (!row || row.kind === 'upload') return false;
  await sql`select pg_notify(${POLL_NOW_CHANNEL}, ${JSON.stringify({ sourceId: row.id })})`;
  await recordAudit(sql, { actor: ctx.actor, action: 'poll_now', entity: 'source', entityId: key, ip: ctx.ip });
  return true;
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
}

export async function pollHistory(sql: Sql, key: string, page = 1): Promise<PollRunRow[]> {
  const rows = await sql<PollRunRow[]>`
    select r.id, r.started_at as "startedAt", r.duration_ms as "durationMs", r.outcome, r.trigger, r.http_status as "httpStatus", r.attempts,
           to_char(r.window_from, 'YYYY-MM-DD') as "windowFrom", to_char(r.window_to, 'YYYY-MM-DD') as "windowTo",
           r.accepted, r.rejected, r.changed, r.error
    from poll_runs r join data_sources s on s.id = r.source_id
    where s.key = ${key} order by r.id desc limit 50 offset ${(Math.max(1, page) - 1) * 50}`;
  return rows.map((r) => ({ ...r, startedAt: isoTimestamp(r.startedAt)! }));
}

export async function pollRun(sql: Sql, key: string, id: number) {
  const [r] = await sql<(PollRunRow & { rejections: { index: number; reason: string }[] | null; rawBody: string | null })[]>`
    select r.id, r.started_at as "startedAt", r.duration_ms as "durationMs", r.outcome, r.trigger, r.http_status as "httpStatus", r.attempts,
           to_char(r.window_from, 'YYYY-MM-DD') as "windowFrom", to_char(r.window_to, 'YYYY-MM-DD') as "windowTo",
           r.accepted, r.rejected, r.changed, r.error, r.rejections, left(r.raw_body, 200000) as "rawBody"
    from poll_runs r join data_sources s on s.id = r.source_id where s.key = ${key} and r.id = ${id}`;
  return r ? { ...r, startedAt: isoTimestamp(r.startedAt)! } : null;
}

