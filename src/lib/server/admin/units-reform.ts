/**
 * The units import as the screen and the API take it: a register (the GSO layout), optionally its
 * merge table (merge-2025.csv) and the day the register takes effect ("Hiệu lực từ"). Without a
 * merge table it is the import of units.ts (update in place, legacy merged_into); with one it is a
 * reform: the plan of units-merges.ts (pure, where the rules are written), applied here in one
 * transaction, set-based (every list goes to PostgreSQL as arrays through unnest, so 14,000 rows are
 * a handful of parameters):
 *   units ending on D−1 → the new units (D, or open for the country and provinces) → the units that
 *   continue, updated in place → every register unit's parent → the lineage (the table's links of
 *   the old units it names replace theirs) → the home unit → rebuildClosure (closure and rollup) →
 *   the recompute of every board from the period holding D through today's (one job per period,
 *   followed as one batch; each job replaces its board's rows) → one audit entry. Any problem and
 *   nothing is written, nothing queued.
 */
import { orm, type Sql } from '#db/client';
import { units } from '#db/schema/units';
import { addDays, periodOf, today, type Period } from '#domain/periods';
import { BOARD_PERIOD_KINDS } from '#contract/dto';
import { queueRecompute } from '#server/jobs/send';
import { rebuildClosure } from '#db/closure';
import { parseDay } from '../../admin/dates.ts';
import type { Principal } from '../auth/principal.ts';
import { recordAudit } from '../auth/audit.ts';
import {
  applyUnitsImport, byLine, insertUnits, keepHomeBeforeNewRoot, parseUnitsImport, problemAt, readUploadedCsv, say,
  type ImportOptions, type Lang, type ReformCounts, type UnitsImportField, type UnitsImportProblem, type UnitsImportResult
} from './units.ts';
import { parseMergeTable, planReform, type StoredUnit } from './units-merges.ts';

/** A file given to the import: its text and the name it goes by in the problems (null: the field's label). */
export interface ImportFile {
  text: string;
  name: string | null;
}

export interface UnitsImportRequest {
  register: ImportFile;
  merges?: ImportFile | null;
  /** The day the register takes effect (YYYY-MM-DD); required with a merge table, refused without one. */
  effectiveFrom?: string | null;
}

/** How the fields are named in the problems: the screen's words, or the API's field names (default). */
export type FieldLabels = Record<UnitsImportField, string>;
export const API_FIELD_LABELS: FieldLabels = { register: 'register', merges: 'merges', effectiveFrom: 'effectiveFrom' };

export interface RequestOptions extends Omit<ImportOptions, 'parsed' | 'file'> {
  labels?: FieldLabels;
  /** Filled with the milliseconds of each step of a reform (the bench prints them). */
  timings?: Record<string, number>;
}

/** Every board period, of every kind, from the one holding `from` through the one holding `to`. */
export function periodsFrom(from: string, to: string): Period[] {
  const out: Period[] = [];
  for (const kind of BOARD_PERIOD_KINDS) {
    for (let p = periodOf(kind, from); p.start <= to; p = periodOf(kind, addDays(p.end, 1))) out.push(p);
  }
  return out;
}

/** The units import: a register alone (units.ts), or with its merge table and date (a reform). */
export async function importUnits(sql: Sql, request: UnitsImportRequest, actor: Principal, options: RequestOptions): Promise<UnitsImportResult> {
  const lang = options.lang ?? 'vi';
  const labels = options.labels ?? API_FIELD_LABELS;
  const day = today(options.now);
  const field = (f: UnitsImportField, reason: string): UnitsImportProblem => ({ line: null, message: `${labels[f]}: ${reason}`, field: f });
  const dateProblems: UnitsImportProblem[] = [];
  const D = request.effectiveFrom ?? null;
  if (request.merges && !D) {
    dateProblems.push(field('effectiveFrom', say(lang, 'nhập ngày danh mục có hiệu lực (dd/mm/yyyy) khi nhập kèm bảng sáp nhập', 'give the day the register takes effect (dd/mm/yyyy) with a merge table')));
  }
  if (!request.merges && D) {
    dateProblems.push(field('effectiveFrom', say(
      lang,
      'chỉ dùng cùng bảng sáp nhập: không có bảng sáp nhập, các đơn vị cùng mã được cập nhật tại chỗ (hãy chọn bảng sáp nhập, hoặc để trống ngày)',
      'only used with a merge table: without one, units of the same code are updated in place (choose the merge table, or leave the day empty)'
    )));
  }
  if (D && D > day) {
    dateProblems.push(field('effectiveFrom', say(lang, `ngày ${D.slice(8, 10)}/${D.slice(5, 7)}/${D.slice(0, 4)} chưa đến: hãy nhập danh mục từ ngày nó có hiệu lực`, `${D.slice(8, 10)}/${D.slice(5, 7)}/${D.slice(0, 4)} has not come yet: import the register on the day it takes effect`)));
  }
  if (!request.merges) {
    if (dateProblems.length) return { ok: false, problems: dateProblems };
    const parsed = parseUnitsImport(request.register.text, { lang, file: request.register.name ?? labels.register, field: 'register' });
    if (parsed.rows.length === 0 && parsed.problems.length) return { ok: false, problems: parsed.problems };
    return applyUnitsImport(sql, parsed.rows, actor, { ...options, file: request.register.name ?? labels.register, parsed });
  }

  const registerFile = request.register.name ?? labels.register;
  const mergesFile = request.merges.name ?? labels.merges;
  const register = parseUnitsImport(request.register.text, { lang, file: registerFile, field: 'register', mode: 'register' });
  const merges = parseMergeTable(request.merges.text, { lang, file: mergesFile });
  const early = [...dateProblems, ...register.problems, ...merges.problems];
  // Without rows on either side (a file too large, no header …) there is nothing worth checking against the database.
  if (early.length && (register.rows.length === 0 || merges.rows.length === 0 || !D)) return { ok: false, problems: early };
  return applyReform(sql, { register: register.rows, merges: merges.rows, effectiveFrom: D!, registerFile, mergesFile, early, refused: register.refused }, actor, options);
}

/** Reads the form's or the API's multipart fields (`register`, `merges`, `effectiveFrom`) and imports. */
export async function importUnitsForm(
  sql: Sql,
  form: { register: unknown; merges?: unknown; effectiveFrom?: unknown },
  actor: Principal,
  options: RequestOptions
): Promise<UnitsImportResult> {
  const lang = options.lang ?? 'vi';
  const labels = options.labels ?? API_FIELD_LABELS;
  const problems: UnitsImportProblem[] = [];
  const register = await readUploadedCsv(form.register, labels.register, lang, 'register');
  if ('problem' in register) problems.push(register.problem);
  const hasMerges = form.merges instanceof File && (form.merges.size > 0 || form.merges.name !== '');
  const merges = hasMerges ? await readUploadedCsv(form.merges, labels.merges, lang, 'merges') : null;
  if (merges && 'problem' in merges) problems.push(merges.problem);
  const day = readEffectiveFrom(form.effectiveFrom, labels, lang);
  if ('problem' in day) problems.push(day.problem);
  if (problems.length) return { ok: false, problems };
  return importUnits(sql, {
    register: register as ImportFile,
    merges: merges as ImportFile | null,
    effectiveFrom: (day as { day: string | null }).day
  }, actor, options);
}

/** "Hiệu lực từ" as typed: dd/mm/yyyy as shown, or YYYY-MM-DD; empty is none. */
export function readEffectiveFrom(value: unknown, labels: FieldLabels = API_FIELD_LABELS, lang: Lang = 'vi'): { day: string | null } | { problem: UnitsImportProblem } {
  if (value === undefined || value === null) return { day: null };
  const text = typeof value === 'string' ? value.trim() : String(value);
  if (text === '') return { day: null };
  const day = parseDay(text);
  if (day && day >= '2000-01-01') return { day };
  return {
    problem: {
      line: null, field: 'effectiveFrom',
      message: `${labels.effectiveFrom}: ${say(lang, `"${text}" không phải là một ngày (dd/mm/yyyy, ví dụ 01/07/2025)`, `"${text}" is not a day (dd/mm/yyyy, e.g. 01/07/2025)`)}`
    }
  };
}

interface ReformInput {
  register: Parameters<typeof planReform>[0];
  merges: Parameters<typeof planReform>[1];
  effectiveFrom: string;
  registerFile: string;
  mergesFile: string;
  /** The files' own problems (nothing is applied when there is one; the plan's are added). */
  early: UnitsImportProblem[];
  refused: ReadonlyMap<string, number>;
}

/** Writes a reform plan in one transaction (see the file's header). */
async function applyReform(sql: Sql, input: ReformInput, actor: Principal, options: RequestOptions): Promise<UnitsImportResult> {
  const lang = options.lang ?? 'vi';
  const day = today(options.now);
  let t0 = performance.now();
  const step = (name: string) => {
    const t = performance.now();
    if (options.timings) options.timings[name] = (options.timings[name] ?? 0) + (t - t0);
    t0 = t;
  };
  return sql.begin(async (tx): Promise<UnitsImportResult> => {
    // Writers of units wait (readers do not): the plan stays true until the commit.
    await tx`lock table units in share row exclusive mode`;
    const stored: StoredUnit[] = await orm(tx)
      .select({
        id: units.id, gsoCode: units.gsoCode, name: units.name, level: units.level, type: units.type, parentId: units.parentId,
        externalCodes: units.externalCodes, validFrom: units.validFrom, validTo: units.validTo
      })
      .from(units)
      .orderBy(units.id);
    const storedLineage = await tx<{ predecessorId: number; successorId: number }[]>`select predecessor_id as "predecessorId", successor_id as "successorId" from unit_lineage`;
    const { problems, plan } = planReform(input.register, input.merges, stored, {
      effectiveFrom: input.effectiveFrom, lang, registerFile: input.registerFile, mergesFile: input.mergesFile, refused: input.refused, lineage: storedLineage
    });
    step('load and plan');
    const all = [...input.early, ...problems];
    if (all.length) return { ok: false, problems: all.sort((a, b) => (a.field === b.field ? byLine(a, b) : fieldOrder(a) - fieldOrder(b))) };
    if (plan.rows.length === 0) return { ok: false, problems: [problemAt(null, say(lang, 'tệp không có đơn vị nào', 'the file has no units'), { lang, file: input.registerFile, field: 'register' })] };

    // The home unit, before VN is put above it.
    const rootGetsParent = (root: { id: number }) => plan.rows.some((r) => r.id === root.id && r.parentGsoCode !== null);
    const homeUnit = await keepHomeBeforeNewRoot(tx, stored, rootGetsParent);

    // Units that end on D−1.
    const endingIds = plan.ending.map((u) => u.id);
    if (endingIds.length) await tx`update units set valid_to = ${plan.endedOn}::date where id = any(${tx.array(endingIds)}::int[]) and valid_to is null`;

    step('end units');
    // New units (codes not held, and new versions of codes whose unit ended).
    const json = (c: Record<string, string> | null) => (c === null ? null : JSON.stringify(c));
    const idOf = new Map<string, number>();
    const endingSet = new Set(endingIds);
    for (const u of stored) if (u.validTo === null && !endingSet.has(u.id)) idOf.set(u.gsoCode, u.id);
    const fresh = plan.rows.filter((r) => r.id === null);
    if (fresh.length) {
      const inserted = await insertUnits(tx, fresh.map((r) => ({ ...r, validFrom: r.startsOn })));
      for (const u of inserted) idOf.set(u.code, u.id);
    }
    // Units that continue, changed in place (their days in force stay).
    const changed = plan.rows.filter((r) => r.id !== null && r.changed);
    if (changed.length) {
      await tx`
        update units u set name = t.name, level = t.level, type = t.type, external_codes = coalesce(t.ext, u.external_codes)
        from unnest(${tx.array(changed.map((r) => r.id!))}::int[], ${tx.array(changed.map((r) => r.name))}::text[],
                    ${tx.array(changed.map((r) => r.level))}::text[], ${tx.array(changed.map((r) => r.type))}::text[],
                    ${tx.array(changed.map((r) => json(r.externalCodes)))}::jsonb[])
          as t(id, name, level, type, ext)
        where u.id = t.id`;
    }
    // Every register unit under its parent of the register (or a unit in force that continues).
    await tx`
      update units u set parent_id = t.parent
      from unnest(${tx.array(plan.rows.map((r) => idOf.get(r.gsoCode)!))}::int[],
                  ${tx.array(plan.rows.map((r) => (r.parentGsoCode === null ? null : idOf.get(r.parentGsoCode)!)))}::int[]) as t(id, parent)
      where u.id = t.id and u.parent_id is distinct from t.parent`;

    step('new units, updates, parents');
    // The lineage: the merge table's links of the old units it names replace theirs.
    const lineage = { created: 0, updated: 0, unchanged: 0, removed: 0 };
    if (plan.predecessors.length) {
      const links = plan.links.map((l) => ({ ...l, successorId: idOf.get(l.newCode)! }));
      const before = await tx<{ p: number; s: number; note: string; share: number; estimated: boolean }[]>`
        select predecessor_id as p, successor_id as s, note, share, estimated from unit_lineage where predecessor_id = any(${tx.array(plan.predecessors)}::int[])`;
      const held = new Map(before.map((b) => [`${b.p}|${b.s}`, b]));
      const wanted = new Set(links.map((l) => `${l.predecessorId}|${l.successorId}`));
      const gone = before.filter((b) => !wanted.has(`${b.p}|${b.s}`));
      for (const l of links) {
        const b = held.get(`${l.predecessorId}|${l.successorId}`);
        if (!b) lineage.created++;
        else if (b.note !== l.note || b.share !== l.share || b.estimated !== l.estimated) lineage.updated++;
        else lineage.unchanged++;
      }
      lineage.removed = gone.length;
      if (gone.length) {
        await tx`
          delete from unit_lineage l using unnest(${tx.array(gone.map((g) => g.p))}::int[], ${tx.array(gone.map((g) => g.s))}::int[]) as t(p, s)
          where l.predecessor_id = t.p and l.successor_id = t.s`;
      }
      if (lineage.created + lineage.updated) {
        await tx`
          insert into unit_lineage (predecessor_id, successor_id, note, share, estimated)
          select * from unnest(${tx.array(links.map((l) => l.predecessorId))}::int[], ${tx.array(links.map((l) => l.successorId))}::int[],
                               ${tx.array(links.map((l) => l.note))}::text[], ${tx.array(links.map((l) => l.share))}::float8[],
                               ${tx.array(links.map((l) => l.estimated))}::boolean[])
          on conflict (predecessor_id, successor_id) do update set note = excluded.note, share = excluded.share, estimated = excluded.estimated
            where (unit_lineage.note, unit_lineage.share, unit_lineage.estimated) is distinct from (excluded.note, excluded.share, excluded.estimated)`;
      }
    }

    const counts: ReformCounts = {
      effectiveFrom: plan.effectiveFrom,
      endedOn: plan.endedOn,
      registerRows: input.register.length,
      mergeRows: input.merges.length,
      created: fresh.filter((r) => !r.newVersion).length,
      newVersions: fresh.filter((r) => r.newVersion).length,
      updated: changed.length,
      unchanged: plan.rows.filter((r) => r.id !== null && !r.changed).length,
      ended: endingIds.length,
      lineage,
      skipped: plan.skipped,
      alreadyEnded: plan.alreadyEnded,
      homeUnit
    };
    const changes = fresh.length + changed.length + endingIds.length + lineage.created + lineage.updated + lineage.removed + (homeUnit ? 1 : 0);
    let recompute: { batch: string; periods: number } | null = null;
    step('lineage');
    if (changes > 0) {
      await rebuildClosure(tx);
      step('closure and rollup');
      // Every board from D's periods to today's holds the scope's children in force on the period's
      // last day: each is recomputed by a job, which deletes the rows of units out of force and writes
      // the new ones in one transaction (ranking/queries.ts deleteRowsOutOfForce), so a board is never
      // half old, half new. Until its job has run, a board keeps its rows as they were.
      const periods = periodsFrom(plan.effectiveFrom < day ? plan.effectiveFrom : day, day);
      const [scheme] = await tx`select 1 from indicator_schemes where active limit 1`;
      if (scheme && options.jobs) recompute = { batch: await queueRecompute(options.jobs, tx, { periods, cause: 'units' }), periods: periods.length };
    }
    const sorted = (codes: string[]) => codes.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const created = sorted(fresh.filter((r) => !r.newVersion).map((r) => r.gsoCode));
    const newVersions = sorted(fresh.filter((r) => r.newVersion).map((r) => r.gsoCode));
    const updated = sorted(changed.map((r) => r.gsoCode));
    const ended = sorted(plan.ending.map((u) => u.gsoCode));
    await recordAudit(tx, {
      actor,
      action: 'import',
      entity: 'unit',
      after: { kind: 'reform', files: { register: input.registerFile, merges: input.mergesFile }, counts, created, newVersions, updated, ended },
      ip: options.ip ?? null
    });
    step('recompute queued, audit');
    return { ok: true, kind: 'reform', counts, created, newVersions, updated, ended, recompute };
  }) as Promise<UnitsImportResult>;
}

const FIELD_ORDER: UnitsImportField[] = ['effectiveFrom', 'register', 'merges'];
const fieldOrder = (p: UnitsImportProblem) => (p.field ? FIELD_ORDER.indexOf(p.field) : FIELD_ORDER.length);
