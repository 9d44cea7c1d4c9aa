/**
 * Alert rules an administrator writes without code: the form's (and the admin API's) fields parsed
 * with zod, every bad field named in words; create, list, switch on/off, delete (audited).
 */
import { z } from 'zod';
import { desc, eq, inArray, sql as expr } from 'drizzle-orm';
import { orm, type Queryable as Sql } from '#db/client';
import { alertRules, dataSources, units, users } from '#db/schema/index';
import { ROLES } from '#db/schema/auth';
import { ALERT_KINDS, FORM_KINDS, formKindOf, HHMM, isRankingKind, type AlertKind, type AlertParams, type FormKind } from '#domain/alerts';
import { PERIOD_KINDS } from '#domain/periods';
import { m } from '$lib/paraglide/messages';
import { recordAudit } from '../auth/audit.ts';
import type { Principal } from '../auth/principal.ts';
import { seal } from '../secrets.ts';
import { egressPolicy } from '../config.ts';
import { checkSourceUrl } from '../pipeline/ssrf.ts';

/** A rule as typed in the form (every field a string; lists comma- or line-separated). */
export interface RuleInput {
  name?: string;
  /** A stored kind, or `below_target` (below_threshold compared with the targets). */
  kind?: string;
  scopeCode?: string;
  periodKind?: string;
  places?: string;
  indicator?: string;
  threshold?: string;
  /** below_threshold: `threshold` (default) or `target`; kind `below_target` says the same. */
  compare?: string;
  sourceKey?: string;
  roles?: string;
  usernames?: string;
  emails?: string;
  inApp?: string;
  email?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  digest?: string;
  digestAt?: string;
  quietFrom?: string;
  quietTo?: string;
}

/** A rule as JSON (the admin API): lists as arrays or comma-separated text, booleans as true / false. */
export function ruleInputFromJson(body: Record<string, unknown>): RuleInput {
  const input: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (!(RULE_FIELDS as readonly string[]).includes(k)) continue;
    input[k] = Array.isArray(v) ? v.map(String).join(',') : v === true ? 'on' : v === false || v === null || v === undefined ? '' : String(v);
  }
  return input;
}

export const RULE_FIELDS = [
  'name', 'kind', 'scopeCode', 'periodKind', 'places', 'indicator', 'threshold', 'compare', 'sourceKey', 'roles', 'usernames', 'emails',
  'inApp', 'email', 'webhookUrl', 'webhookSecret', 'digest', 'digestAt', 'quietFrom', 'quietTo'
] as const;

const list = (s: string | undefined) => (s ?? '').split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
const on = (s: string | undefined) => s === 'on' || s === 'true' || s === '1';
const EMAIL = z.email();

export type RuleOutcome = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

/** Parses and checks a rule against the database (units, sources, users, indicators exist). */
export async function parseRule(sql: Sql, input: RuleInput, secretKeyHex: string | undefined, kept: { webhookUrl: string | null; webhookSecretSealed: string | null } | null = null) {
  const errors: Record<string, string> = {};
  const name = (input.name ?? '').trim();
  if (!name) errors.name = m.alert_err_name();
  else if (name.length > 200) errors.name = m.alert_err_name_long();
  const picked = (input.kind ?? '').trim() as FormKind;
  const compareRaw = (input.compare ?? '').trim();
  // "Below its target" is below_threshold compared with the targets table (docs/alerts.md).
  const toTarget = picked === 'below_target' || (picked === 'below_threshold' && compareRaw === 'target');
  const kind: AlertKind = toTarget ? 'below_threshold' : (picked as AlertKind);
  if (!FORM_KINDS.includes(picked)) errors.kind = m.alert_err_kind();
  else if (picked === 'below_threshold' && compareRaw && compareRaw !== 'threshold' && compareRaw !== 'target') errors.compare = m.alert_err_compare({ value: compareRaw });
  let scopeUnitId: number | null = null;
  const scopeCode = (input.scopeCode ?? '').trim();
  if (scopeCode) {
    // A code reused across a reform (10114: Thị trấn Kim Bài until 30/06/2025, Xã Thanh Oai since): the unit in force.
    const [u] = await orm(sql).select({ id: units.id }).from(units).where(eq(units.gsoCode, scopeCode)).orderBy(expr`${units.validTo} desc nulls first`).limit(1);
    if (!u) errors.scopeCode = m.alert_err_scope({ code: scopeCode });
    else scopeUnitId = u.id;
  }
  const params: AlertParams = {};
  let periodKind: (typeof PERIOD_KINDS)[number] | null = null;
  if (ALERT_KINDS.includes(kind) && isRankingKind(kind)) {
    const pk = (input.periodKind ?? '') as (typeof PERIOD_KINDS)[number];
    if (!PERIOD_KINDS.includes(pk)) errors.periodKind = m.alert_err_period();
    else periodKind = pk;
  }
  if (kind === 'rank_drop') {
    const n = Number((input.places ?? '').trim());
    if (!(input.places ?? '').trim() || !Number.isInteger(n) || n < 1 || n > 1000) errors.places = m.alert_err_places();
    else params.places = n;
  }
  if (kind === 'below_threshold') {
    const key = (input.indicator ?? '').trim();
    if (key) {
      const [ind] = await sql<{ key: string }[]>`select key from indicators where key = ${key} limit 1`;
      if (!ind) errors.indicator = m.alert_err_indicator({ key });
    }
    params.indicator = key || null;
    if (toTarget) {
      // No number: the target that applies to each unit, indicator and period; no indicator: every one that has a target.
      params.compare = 'target';
    } else {
      params.compare = 'threshold';
      const raw = (input.threshold ?? '').trim().replace(',', '.');
      const t = Number(raw);
      if (!raw || !Number.isFinite(t) || t < 0 || t > 100) errors.threshold = m.alert_err_threshold();
      else params.threshold = t;
    }
  }
  if (kind === 'deadline_missed' || kind === 'source_stale') {
    const key = (input.sourceKey ?? '').trim();
    params.sourceId = null;
    if (key) {
      const [s] = await orm(sql).select({ id: dataSources.id, deadline: dataSources.dailyDeadline }).from(dataSources).where(eq(dataSources.key, key));
      if (!s) errors.sourceKey = m.alert_err_source({ key });
      else {
        params.sourceId = s.id;
        if (kind === 'deadline_missed' && !s.deadline) errors.sourceKey = m.alert_err_source_no_deadline({ key });
      }
    }
  }
  const roles = list(input.roles);
  const badRole = roles.find((r) => !(ROLES as readonly string[]).includes(r));
  if (badRole) errors.roles = m.alert_err_role({ role: badRole });
  const usernames = list(input.usernames);
  let userIds: number[] = [];
  if (usernames.length) {
    const found = await orm(sql).select({ id: users.id, username: users.username }).from(users).where(inArray(users.username, usernames));
    const missing = usernames.filter((u) => !found.some((f) => f.username === u));
    if (missing.length) errors.usernames = m.alert_err_users({ names: missing.join(', ') });
    userIds = found.map((f) => f.id);
  }
  const emails = list(input.emails);
  const badEmail = emails.find((e) => !EMAIL.safeParse(e).success);
  if (badEmail) errors.emails = m.alert_err_email({ value: badEmail });
  const inApp = on(input.inApp);
  const email = on(input.email);
  // The mail channel writes to the rule's addresses and to the people it tells who gave theirs (/alerts).
  if (email && !emails.length && !badEmail && !roles.length && !userIds.length) errors.emails = m.alert_err_email_none();
  const webhookUrl = (input.webhookUrl ?? '').trim() || null;
  if (webhookUrl && !/^https?:\/\/[^\s]+$/.test(webhookUrl)) errors.webhookUrl = m.alert_err_webhook();
  else if (webhookUrl) {
    // The sources' egress policy (SOURCE_ALLOWED_HOSTS), checked when saved as a source's URL is (and again at each call).
    const refusal = await checkSourceUrl(webhookUrl, egressPolicy());
    if (refusal) errors.webhookUrl = m.alert_err_webhook_refused({ reason: refusal.replace(' của URL nguồn', '') });
  }
  const webhookSecret = (input.webhookSecret ?? '').trim();
  // Editing: a secret left empty keeps the one saved for the same address.
  const keepSecret = !webhookSecret && !!webhookUrl && kept?.webhookUrl === webhookUrl && !!kept.webhookSecretSealed;
  if (webhookUrl && !keepSecret && webhookSecret.length < 16) errors.webhookSecret = m.alert_err_secret();
  if (webhookUrl && webhookSecret && !secretKeyHex) errors.webhookSecret = m.alert_err_no_key();
  if (!inApp && !email && !webhookUrl) errors.inApp = m.alert_err_no_channel();
  if (inApp && !roles.length && !userIds.length && !errors.roles && !errors.usernames) errors.roles = m.alert_err_nobody();
  const digest = on(input.digest);
  const digestAt = (input.digestAt ?? '').trim() || '08:00';
  if (!HHMM.test(digestAt)) errors.digestAt = m.alert_err_time({ field: m.alert_f_digest_at() });
  const quietFrom = (input.quietFrom ?? '').trim() || null;
  const quietTo = (input.quietTo ?? '').trim() || null;
  if (quietFrom && !HHMM.test(quietFrom)) errors.quietFrom = m.alert_err_time({ field: m.alert_f_quiet_from() });
  if (quietTo && !HHMM.test(quietTo)) errors.quietTo = m.alert_err_time({ field: m.alert_f_quiet_to() });
  if (!!quietFrom !== !!quietTo && !errors.quietFrom && !errors.quietTo) errors[quietFrom ? 'quietTo' : 'quietFrom'] = m.alert_err_quiet_pair();
  if (Object.keys(errors).length) return { ok: false as const, errors };
  return {
    ok: true as const,
    row: {
      name, kind, scopeUnitId, periodKind, params, notifyRoles: roles as (typeof ROLES)[number][], notifyUserIds: userIds, notifyEmails: emails,
      inApp, email, webhookUrl,
      webhookSecretSealed: keepSecret ? kept!.webhookSecretSealed : webhookUrl && secretKeyHex ? seal(webhookSecret, secretKeyHex) : null,
      digest, digestAt, quietFrom, quietTo
    }
  };
}

export async function createRule(sql: Sql, input: RuleInput, actor: Principal, ctx: { secretKeyHex: string | undefined; ip?: string | null }): Promise<RuleOutcome> {
  const parsed = await parseRule(sql, input, ctx.secretKeyHex);
  if (!parsed.ok) return parsed;
  const createdBy = actor.kind === 'user' ? actor.user.id : null;
  const [row] = await orm(sql).insert(alertRules).values({ ...parsed.row, createdBy }).returning({ id: alertRules.id });
  await recordAudit(sql, { actor, action: 'create', entity: 'alert_rule', entityId: row!.id, after: { ...parsed.row, webhookSecretSealed: undefined }, ip: ctx.ip });
  return { ok: true, id: row!.id };
}

/** Replaces a rule's fields (its alerts stay; a secret left empty keeps the saved one for the same address). */
export async function updateRule(sql: Sql, id: number, input: RuleInput, actor: Principal, ctx: { secretKeyHex: string | undefined; ip?: string | null }): Promise<RuleOutcome> {
  const [before] = await orm(sql).select().from(alertRules).where(eq(alertRules.id, id));
  if (!before) return { ok: false, errors: { form: m.alert_err_missing() } };
  const parsed = await parseRule(sql, input, ctx.secretKeyHex, before);
  if (!parsed.ok) return parsed;
  await orm(sql).update(alertRules).set({ ...parsed.row, updatedAt: new Date() }).where(eq(alertRules.id, id));
  await recordAudit(sql, {
    actor, action: 'update', entity: 'alert_rule', entityId: id,
    before: { ...before, webhookSecretSealed: undefined }, after: { ...parsed.row, webhookSecretSealed: undefined }, ip: ctx.ip
  });
  return { ok: true, id };
}

/** A rule as the form shows it for editing (never its secret). */
export async function ruleForm(sql: Sql, id: number): Promise<Record<string, string> | null> {
  const [row] = (await listRules(sql)).filter((r) => r.id === id);
  if (!row) return null;
  const on = (b: boolean) => (b ? 'on' : '');
  return {
    name: row.name, kind: formKindOf(row.kind, row.params), scopeCode: row.scopeCode ?? '', periodKind: row.periodKind ?? '', places: row.params.places === undefined ? '' : String(row.params.places),
    indicator: row.params.indicator ?? '', threshold: row.params.threshold === undefined ? '' : String(row.params.threshold).replace('.', ','), sourceKey: row.sourceKey ?? '',
    roles: row.roles.join(','), usernames: row.usernames.join(', '), emails: row.emails.join(', '), inApp: on(row.inApp), email: on(row.email),
    webhookUrl: row.webhookUrl ?? '', digest: on(row.digest), digestAt: row.digestAt, quietFrom: row.quietFrom ?? '', quietTo: row.quietTo ?? ''
  };
}

export async function setRuleEnabled(sql: Sql, id: number, enabled: boolean, actor: Principal, ip?: string | null): Promise<boolean> {
  const done = await orm(sql).update(alertRules).set({ enabled, updatedAt: new Date() }).where(eq(alertRules.id, id)).returning({ id: alertRules.id });
  if (done.length) await recordAudit(sql, { actor, action: enabled ? 'enable' : 'disable', entity: 'alert_rule', entityId: id, ip });
  return done.length > 0;
}

export async function deleteRule(sql: Sql, id: number, actor: Principal, ip?: string | null): Promise<boolean> {
  const done = await orm(sql).delete(alertRules).where(eq(alertRules.id, id)).returning({ id: alertRules.id, name: alertRules.name });
  if (done.length) await recordAudit(sql, { actor, action: 'delete', entity: 'alert_rule', entityId: id, before: done[0], ip });
  return done.length > 0;
}

export interface RuleListRow {
  id: number;
  name: string;
  kind: AlertKind;
  scopeCode: string | null;
  scopeName: string | null;
  periodKind: string | null;
  params: AlertParams;
  sourceKey: string | null;
  roles: string[];
  usernames: string[];
  emails: string[];
  inApp: boolean;
  email: boolean;
  webhookUrl: string | null;
  digest: boolean;
  digestAt: string;
  quietFrom: string | null;
  quietTo: string | null;
  enabled: boolean;
  alertCount: number;
}

export async function listRules(sql: Sql): Promise<RuleListRow[]> {
  const rows = await orm(sql).select().from(alertRules).orderBy(desc(alertRules.id));
  const unitIds = [...new Set(rows.map((r) => r.scopeUnitId).filter((x): x is number => x !== null))];
  const us = unitIds.length ? await orm(sql).select({ id: units.id, code: units.gsoCode, name: units.name }).from(units).where(inArray(units.id, unitIds)) : [];
  const userIds = [...new Set(rows.flatMap((r) => r.notifyUserIds))];
  const people = userIds.length ? await orm(sql).select({ id: users.id, username: users.username }).from(users).where(inArray(users.id, userIds)) : [];
  const sources = await orm(sql).select({ id: dataSources.id, key: dataSources.key }).from(dataSources);
  const counts = await sql<{ rule_id: number; n: number }[]>`select rule_id, count(*)::int as n from alerts group by rule_id`;
  return rows.map((r) => {
    const u = us.find((x) => x.id === r.scopeUnitId);
    return {
      id: r.id, name: r.name, kind: r.kind, scopeCode: u?.code ?? null, scopeName: u?.name ?? null, periodKind: r.periodKind, params: r.params,
      sourceKey: r.params.sourceId ? (sources.find((s) => s.id === r.params.sourceId)?.key ?? null) : null,
      roles: r.notifyRoles, usernames: r.notifyUserIds.map((id) => people.find((p) => p.id === id)?.username ?? `#${id}`), emails: r.notifyEmails,
      inApp: r.inApp, email: r.email, webhookUrl: r.webhookUrl, digest: r.digest, digestAt: r.digestAt, quietFrom: r.quietFrom, quietTo: r.quietTo,
      enabled: r.enabled, alertCount: counts.find((c) => c.rule_id === r.id)?.n ?? 0
    };
  });
}

