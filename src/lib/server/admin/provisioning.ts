/**
 * Provisioning as code: a YAML or JSON file (CITYOPS_PROVISIONING) declares sources, in the same
 * fields as the admin API (the admin form's), so a province keeps its set-up in its own repository.
 * Secrets stay out of it: any `${NAME}` in a value is the environment variable NAME.
 *
 *     sources:
 *       - key: thanhoai-motcua
 *         name: Một cửa Thanh Oai
 *         ...
 *         authKind: basic
 *         username: thanhoai
 *         password: ${THANHOAI_PASSWORD}
 *
 * The workers process applies it at start (after migrations) through saveSource, as the actor
 * "provisioning" (audited). Idempotent: a source the file already describes is left untouched —
 * no audit row, no updated_at change (each entry is saved in a transaction that is rolled back
 * when the row, credentials included, came out the same). Sources not in the file are left alone.
 * A bad file or entry is logged with the file, the source key and the field, and does not stop the
 * product; the other entries are applied.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { PgBoss } from 'pg-boss';
import { parse as parseYaml } from 'yaml';
import type { TransactionSql } from 'postgres';
import type { Queryable, Sql } from '#db/client';
import { open } from '#server/secrets';
import type { Logger } from '#server/log';
import type { Principal } from '../auth/principal.ts';
import { issuesToFields, sourceInputFromJson } from '../api/form-input.ts';
import { dropQueuedPollsOf, saveSource, sourceFormSchema } from './sources.ts';

export const PROVISIONING_ACTOR: Principal = { kind: 'system', name: 'provisioning' };

export type ProvisionedAction = 'created' | 'updated' | 'unchanged';

export interface ProvisioningProblem {
  /** The source's key, or `#<n>` (its place in the list, from 1) when it has none. */
  key: string;
  field: string;
  message: string;
}

export interface ProvisioningReport {
  file: string;
  applied: { key: string; action: ProvisionedAction }[];
  problems: ProvisioningProblem[];
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `${NAME}` → the environment's value, in every string at any depth; the names that are not set. */
function substitute(value: unknown, env: NodeJS.ProcessEnv, missing: Set<string>): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (whole, name: string) => {
      const v = env[name];
      if (v === undefined) {
        missing.add(name);
        return whole;
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, env, missing));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, env, missing)]));
  return value;
}

/** The file's sources: `{ sources: [...] }` (YAML or JSON, told by the extension, else by the first character). */
export function parseProvisioning(text: string, file: string): { entries: unknown[] } | { error: string } {
  let doc: unknown;
  try {
    const json = /\.json$/i.test(file) || (!/\.ya?ml$/i.test(file) && /^\s*[{[]/.test(text));
    doc = json ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (e) {
    return { error: `không đọc được tệp: ${(e as Error).message.split('\n')[0]}` };
  }
  if (doc === null || doc === undefined) return { entries: [] };
  if (typeof doc !== 'object' || Array.isArray(doc) || !('sources' in doc)) return { error: 'tệp phải có dạng { sources: [ … ] }' };
  const sources = (doc as { sources: unknown }).sources;
  if (sources === null) return { entries: [] };
  if (!Array.isArray(sources)) return { error: 'sources phải là một danh sách nguồn' };
  return { entries: sources };
}

/** A row as stored, without what a save always rewrites (timestamps, the sealed bytes' random IV). */
async function snapshot(tx: Queryable, key: string, secretKeyHex: string | undefined) {
  const [row] = await tx<{ row: Record<string, unknown>; sealed: string | null }[]>`
    select to_jsonb(d) - 'updated_at' - 'created_at' - 'credentials_sealed' as row, d.credentials_sealed as sealed
    from data_sources d where d.key = ${key}`;
  if (!row) return null;
  let credentials: unknown = row.sealed;
  if (row.sealed && secretKeyHex) {
    try {
      credentials = JSON.parse(open(row.sealed, secretKeyHex));
    } catch {
      /* cannot be opened: compared as sealed bytes, so it counts as changed */
    }
  }
  return { row: row.row, credentials };
}

class Unchanged extends Error {}

/**
 * A transaction handed to a function that takes the pool: its own `begin` (saveSource checks and
 * writes under a lock in one) becomes a savepoint of ours, so the whole save stays inside it.
 */
function asPool(tx: TransactionSql): Sql {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'begin') {
        type Body = (sql: TransactionSql) => unknown;
        return (a: unknown, b?: unknown) => target.savepoint((typeof a === 'function' ? a : b) as Body);
      }
      return Reflect.get(target, prop, receiver);
    }
  }) as unknown as Sql;
}

/** The form's messages start with their field ("key: …"); the report names the field already. */
const problem = (key: string, field: string, message: string): ProvisioningProblem => ({
  key, field, message: message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message
});

/** One entry: validated, then saved in a transaction kept only when something changed. */
async function applyEntry(
  sql: Sql, entry: unknown, place: number, opts: { env: NodeJS.ProcessEnv; secretKeyHex?: string; jobs?: PgBoss }
): Promise<{ key: string; action: ProvisionedAction } | { problems: ProvisioningProblem[] }> {
  const fallbackKey = `#${place}`;
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return { problems: [{ key: fallbackKey, field: 'form', message: 'mỗi nguồn phải là một đối tượng (key: value)' }] };
  const rawKey = (entry as { key?: unknown }).key;
  const key = typeof rawKey === 'string' && rawKey.trim() ? rawKey.trim() : fallbackKey;
  const missing = new Set<string>();
  const substituted = substitute(entry, opts.env, missing) as Record<string, unknown>;
  if (missing.size) {
    const problems: ProvisioningProblem[] = [];
    for (const [field, value] of Object.entries(entry)) {
      const names = [...JSON.stringify(value ?? '').matchAll(ENV_REF)].map((m) => m[1]!).filter((n) => missing.has(n));
      if (names.length) problems.push({ key, field, message: `biến môi trường ${names.join(', ')} chưa được đặt` });
    }
    return { problems };
  }
  const parsed = sourceFormSchema.safeParse(sourceInputFromJson(substituted));
  if (!parsed.success) return { problems: Object.entries(issuesToFields(parsed.error.issues)).map(([field, message]) => problem(key, field, message)) };
  const form = parsed.data;
  try {
    const outcome = await sql.begin(async (tx) => {
      // One start at a time (several worker processes may start together).
      await tx`select pg_advisory_xact_lock(hashtext('cityops-provisioning'))`;
      const before = await snapshot(tx, form.key, opts.secretKeyHex);
      const saveContext = { actor: PROVISIONING_ACTOR, ip: null, existingKey: before ? form.key : undefined, jobs: opts.jobs };
      const saved = await saveSource(asPool(tx), form, saveContext);
      if ('errors' in saved) return { problems: Object.entries(saved.errors).map(([field, message]) => problem(key, field, message)) };
      const after = await snapshot(tx, form.key, opts.secretKeyHex);
      if (before && isDeepStrictEqual(before, after)) throw new Unchanged();
      return { key: form.key, action: (before ? 'updated' : 'created') as ProvisionedAction };
    });
    if ('problems' in outcome) return outcome;
    if (!form.enabled && opts.jobs) await dropQueuedPollsOf(sql, opts.jobs, form.key);
    return outcome;
  } catch (e) {
    if (e instanceof Unchanged) return { key: form.key, action: 'unchanged' };
    return { problems: [{ key, field: 'form', message: (e as Error).message }] };
  }
}

/**
 * Applies the provisioning file: every entry valid on its own is saved (or left as it is), every
 * problem is logged — file, source, field — and returned. Never throws for a bad file.
 */
export async function applyProvisioningFile(
  sql: Sql, file: string, opts: { log: Logger; secretKeyHex?: string; env?: NodeJS.ProcessEnv; jobs?: PgBoss }
): Promise<ProvisioningReport> {
  const report: ProvisioningReport = { file, applied: [], problems: [] };
  const log = opts.log.child({ provisioning: file });
  let text: string;
  try {
    text = await readFile(path.resolve(file), 'utf8');
  } catch (e) {
    report.problems.push({ key: '', field: 'file', message: `không mở được tệp (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
    log.error({ file, field: 'file' }, `provisioning ${file}: ${report.problems[0]!.message}`);
    return report;
  }
  const parsed = parseProvisioning(text, file);
  if ('error' in parsed) {
    report.problems.push({ key: '', field: 'file', message: parsed.error });
    log.error({ file, field: 'file' }, `provisioning ${file}: ${parsed.error}`);
    return report;
  }
  for (const [i, entry] of parsed.entries.entries()) {
    const result = await applyEntry(sql, entry, i + 1, { env: opts.env ?? process.env, secretKeyHex: opts.secretKeyHex, jobs: opts.jobs });
    if ('problems' in result) {
      for (const p of result.problems) {
        report.problems.push(p);
        log.error({ file, key: p.key, field: p.field }, `provisioning ${file}: source ${p.key}: ${p.field}: ${p.message}`);
      }
    } else {
      report.applied.push(result);
    }
  }
  const count = (a: ProvisionedAction) => report.applied.filter((x) => x.action === a).length;
  log.info(
    { file, created: count('created'), updated: count('updated'), unchanged: count('unchanged'), refused: new Set(report.problems.map((p) => p.key)).size },
    `provisioning ${file}: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged, ${new Set(report.problems.map((p) => p.key)).size} refused`
  );
  return report;
}
