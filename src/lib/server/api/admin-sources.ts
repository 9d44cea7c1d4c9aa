/**
 * The JSON admin API of data sources (/api/v1/admin/sources…): the same server functions as the
 * admin screens (admin/sources.ts), the same form schema, answers in JSON. Each function takes
 * what the route hands it and returns the Response.
 */
import { json } from '@sveltejs/kit';
import type { PgBoss } from 'pg-boss';
import type { Sql } from '#db/client';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { Principal } from '../auth/principal.ts';
import { startSourceBackfill } from '../admin/backfill.ts';
import {
  dropQueuedPollsOf, listSources, pollNow, readSourceView, saveSource, setEnabled, sourceFormSchema, testSource, type SourceView
} from '../admin/sources.ts';
import { apiError, fieldsError, issuesToFields, readJsonObject, sourceInputFromJson, toFormInput } from './respond.ts';

export interface ApiContext {
  sql: Sql;
  jobs: () => Promise<PgBoss>;
  actor: Principal;
  ip: string | null;
  locale: Locale;
  request: Request;
}

const noStore = { 'cache-control': 'no-store' };

/** A stored source as the fields of its form (what PATCH and a test start from; never a secret). */
export function formInputOfView(view: SourceView): Record<string, string> {
  const { id: _id, hasCredentials: _has, ...fields } = view;
  return toFormInput(fields as Record<string, unknown>);
}

/** saveSource's refusals: an overlap with another source (the priority field) is a conflict; the rest cannot be processed. */
const refusalStatus = (errors: Record<string, string>) => ('priority' in errors ? 409 : 422);

const notFound = (key: string, locale: Locale) => apiError(404, m.api_error_no_source({ key }, { locale }));
const badBody = (locale: Locale) => apiError(400, m.api_error_body({}, { locale }));

export async function listSourcesApi(ctx: ApiContext): Promise<Response> {
  return json({ sources: await listSources(ctx.sql) }, { headers: noStore });
}

export async function getSourceApi(ctx: ApiContext, key: string): Promise<Response> {
  const view = await readSourceView(ctx.sql, key);
  return view ? json(view, { headers: noStore }) : notFound(key, ctx.locale);
}

/** Validates the fields, saves, drops the queued polls of a source saved disabled; the saved view. */
async function save(ctx: ApiContext, input: Record<string, string>, existingKey: string | undefined, created: boolean): Promise<Response> {
  const parsed = sourceFormSchema.safeParse(input);
  if (!parsed.success) return fieldsError(400, issuesToFields(parsed.error.issues), ctx.locale);
  const form = parsed.data;
  if (form.key !== existingKey && (await readSourceView(ctx.sql, form.key))) {
    return apiError(409, m.api_error_key_taken({ key: form.key }, { locale: ctx.locale }), { key: m.api_error_key_taken({ key: form.key }, { locale: ctx.locale }) });
  }
  // jobs: where a change of priority queues its recompute (when saveSource takes it).
  const saveContext = { actor: ctx.actor, ip: ctx.ip, existingKey, jobs: await ctx.jobs() };
  const result = await saveSource(ctx.sql, form, saveContext);
  if ('errors' in result) return fieldsError(refusalStatus(result.errors), result.errors, ctx.locale);
  if (!form.enabled) await dropQueuedPollsOf(ctx.sql, await ctx.jobs(), result.key);
  const view = (await readSourceView(ctx.sql, result.key))!;
  return json(view, { status: created ? 201 : 200, headers: { ...noStore, ...(created ? { location: `/api/v1/admin/sources/${view.key}` } : {}) } });
}

export async function createSourceApi(ctx: ApiContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  if (!body) return badBody(ctx.locale);
  return save(ctx, sourceInputFromJson(body), undefined, true);
}

/** PUT: the whole source (credential fields left out keep the saved ones); PATCH: only the fields given. */
export async function updateSourceApi(ctx: ApiContext, key: string, mode: 'replace' | 'merge'): Promise<Response> {
  const view = await readSourceView(ctx.sql, key);
  if (!view) return notFound(key, ctx.locale);
  const body = await readJsonObject(ctx.request);
  if (!body) return badBody(ctx.locale);
  const input = mode === 'merge' ? { ...formInputOfView(view), ...toFormInput(body) } : { key, ...sourceInputFromJson(body) };
  return save(ctx, input, key, false);
}

/**
 * Test connection: fetch once, map, check, store nothing (audited). A stored source is tested as
 * saved, with the fields of the body over it (as PATCH); a key not saved yet needs the whole source.
 */
export async function testSourceApi(ctx: ApiContext, key: string): Promise<Response> {
  const body = await readJsonObject(ctx.request, { optional: true });
  if (!body) return badBody(ctx.locale);
  const view = await readSourceView(ctx.sql, key);
  const input = view ? { ...formInputOfView(view), ...toFormInput(body) } : { key, ...sourceInputFromJson(body) };
  const parsed = sourceFormSchema.safeParse(input);
  if (!parsed.success) return fieldsError(400, issuesToFields(parsed.error.issues), ctx.locale);
  const report = await testSource(ctx.sql, parsed.data, view ? key : undefined, { actor: ctx.actor, ip: ctx.ip });
  if ('errors' in report) return fieldsError(422, report.errors, ctx.locale);
  return json(report, { headers: noStore });
}

/** What setEnabled answers: whether the source exists, or (with the overlap check) a refusal in words. */
type SetEnabledOutcome = boolean | { ok: boolean; status?: number; field?: string; message?: string };

export async function setEnabledApi(ctx: ApiContext, key: string, enabled: boolean): Promise<Response> {
  const outcome = (await setEnabled(ctx.sql, key, enabled, { actor: ctx.actor, ip: ctx.ip, jobs: await ctx.jobs() })) as SetEnabledOutcome;
  if (outcome === false || (typeof outcome === 'object' && !outcome.ok && outcome.status === 404)) return notFound(key, ctx.locale);
  if (typeof outcome === 'object' && !outcome.ok) {
    const message = outcome.message ?? '';
    return apiError(outcome.status ?? 409, message, outcome.field ? { [outcome.field]: message } : {});
  }
  return json((await readSourceView(ctx.sql, key))!, { headers: noStore });
}

/** Poll now: 202 with the job to follow at /api/v1/admin/jobs/poll/{jobId}. */
export async function pollNowApi(ctx: ApiContext, key: string): Promise<Response> {
  if (!(await readSourceView(ctx.sql, key))) return notFound(key, ctx.locale);
  const result = await pollNow(ctx.sql, key, { actor: ctx.actor, ip: ctx.ip, jobs: await ctx.jobs() });
  if (!result.ok) return apiError(result.status, result.message);
  return json(
    { jobId: result.jobId, status: result.jobId ? `/api/v1/admin/jobs/poll/${result.jobId}` : null },
    { status: 202, headers: noStore }
  );
}

/** History ("Nạp lịch sử"): {from, to} → 202 with the job, followed at /api/v1/admin/jobs/backfill/{jobId} (a result per window). */
export async function backfillApi(ctx: ApiContext, key: string): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  if (!body) return badBody(ctx.locale);
  const result = await startSourceBackfill(ctx.sql, await ctx.jobs(), key, { from: body.from, to: body.to }, { actor: ctx.actor, ip: ctx.ip });
  if (!result.ok) {
    if (result.status === 404) return notFound(key, ctx.locale);
    return apiError(result.status, result.message, result.field ? { [result.field]: result.message } : {});
  }
  return json(
    { jobId: result.jobId, windows: result.windows, status: `/api/v1/admin/jobs/backfill/${result.jobId}` },
    { status: 202, headers: noStore }
  );
}
