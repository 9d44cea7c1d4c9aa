/**
 * Administrative units imported or updated from a CSV in the GSO register's layout, so the product
 * can serve another province, and merges that keep the merged units' history.
 *
 * Layout (header required, UTF-8, optional BOM, RFC 4180 quoting, any column order):
 *   gso_code,name,level,type,parent_gso_code[,external_codes][,merged_into][,valid_from][,valid_to]
 *
 * Three steps, so each can be tested alone:
 *  - `parseUnitsImport(text)` (pure): the file's shape and each row's fields, and what the file
 *    says about itself (a code on two lines, a unit its own parent …);
 *  - `checkUnitsImport(rows, existing, …)` (pure): against the units already stored — a parent that
 *    exists, no cycle, no unit under or merged into a unit that has itself been merged — and the
 *    plan of what will change;
 *  - `applyUnitsImport(sql, rows, actor)`: in one transaction, checks against the stored units
 *    (under a lock), writes, rebuilds the closure, queues the recompute of the current boards (a job
 *    per period, run by the workers) and records one audit entry. Any problem anywhere and nothing
 *    changes, and nothing is queued.
 *
 * Rules that are choices, written down:
 *  - a row without `merged_into` leaves a unit's merge state as it is (re-importing an old register
 *    does not bring merged units back); `valid_to` is only accepted with `merged_into`;
 *  - a merged unit keeps its samples, its parent and its past rankings; its current children move
 *    to the unit that absorbed it; it leaves the current boards at once (recomputed by the job);
 *  - without an `external_codes` column the stored codes are kept; with it, the cell replaces them
 *    (an empty cell clears them); an empty `valid_from` keeps the stored one. The cell is
 *    `system=code` pairs separated by ';' (`portal=H44.100;dvc=000.00.44.H44`): a source whose code
 *    system is `portal` matches its rows on them. A code names one current unit in its system;
 *  - unit codes are the register's own: GSO digits, or letters, digits, '.', '-', '_' (1–20 characters);
 *  - imported units get no population (none is known; nothing is generated for them).
 */
import { and, asc, desc, eq, isNotNull, isNull, sql as expr } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { orm, type Queryable, type Sql } from '#db/client';
import { units } from '#db/schema/units';
import { periodOf, today } from '#domain/periods';
import { BOARD_PERIOD_KINDS, UNIT_CODE_PATTERN, UNIT_CODE_RULE_VI } from '#contract/dto';
import type { PgBoss } from 'pg-boss';
import { queueRecompute } from '#server/jobs/send';
import { rebuildClosure } from '#db/closure';
import { readCsvRecords } from '#server/pipeline/mapping/table';
import type { Principal } from '../auth/principal.ts';
import { recordAudit } from '../auth/audit.ts';
import { UNITS_IMPORT_MAX_BYTES } from '../limits.ts';

export const MAX_IMPORT_ROWS = 20_000;

export const REQUIRED_COLUMNS = ['gso_code', 'name', 'level', 'type', 'parent_gso_code'] as const;
export const OPTIONAL_COLUMNS = ['external_codes', 'merged_into', 'valid_from', 'valid_to'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** One refused thing: `line` is the file's line (the header is line 1), null for the file as a whole. */
export interface UnitsImportProblem {
  line: number | null;
  /** "line 7: parent_gso_code 999 does not exist" */
  message: string;
}

export interface UnitImportRow {
  /** The line of the file where the row starts (the header is line 1). */
  line: number;
  gsoCode: string;
  name: string;
  level: string;
  type: string;
  parentGsoCode: string | null;
  /** null when the file has no external_codes column: the stored codes are kept. */
  externalCodes: Record<string, string> | null;
  /** The GSO code of the unit that absorbed this one. */
  mergedInto: string | null;
  validFrom: string | null;
  /** Only with mergedInto; null → today (or the stored date of the same merge). */
  validTo: string | null;
}

export interface UnitsImportParse {
  rows: UnitImportRow[];
  problems: UnitsImportProblem[];
  /** Codes of refused lines (code → line), so a row naming one as its parent is not told it "does not exist". */
  refused: Map<string, number>;
}

/** A register's unit code: GSO digits, or whatever the province's register uses (H44.100): see UNIT_CODE_PATTERN. */
const CODE = UNIT_CODE_PATTERN;
const notACode = (field: string, code: string) => `${field} "${code}" không phải mã đơn vị hợp lệ (${UNIT_CODE_RULE_VI})`;
const problemAt = (line: number | null, reason: string): UnitsImportProblem => ({
  line,
  message: line === null ? reason : `dòng ${line}: ${reason}`
});
const byLine = (a: UnitsImportProblem, b: UnitsImportProblem) => (a.line ?? 0) - (b.line ?? 0);

/**
 * RFC 4180 records with the line each starts on (quoted fields may hold commas, doubled quotes and
 * line breaks; CRLF or LF; a leading BOM is skipped). An unterminated quote is a problem of its own.
 */
export function csvRecords(text: string): { records: { line: number; cells: string[] }[]; problem: UnitsImportProblem | null } {
  const { records, unterminatedAt } = readCsvRecords(text);
  if (unterminatedAt !== null) return { records, problem: problemAt(unterminatedAt, 'một ô mở ngoặc kép nhưng không đóng (thiếu một dấu ")') };
  return { records, problem: null };
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** "portal=H44.100;dvc=000.00.44.H44" → { portal: 'H44.100', dvc: '000.00.44.H44' }, or the reason it is not. */
export function parseExternalCodes(text: string): { codes: Record<string, string> } | { error: string } {
  const codes: Record<string, string> = {};
  for (const part of text.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const at = part.indexOf('=');
    const key = at < 0 ? '' : part.slice(0, at).trim();
    const value = at < 0 ? '' : part.slice(at + 1).trim();
    if (!key || !value) return { error: `external_codes "${part}" không có dạng hệ_mã=mã (ví dụ portal=H44.100;dvc=000.00.44.H44)` };
    if (Object.hasOwn(codes, key)) return { error: `external_codes ghi hệ mã ${key} hai lần` };
    codes[key] = value;
  }
  return { codes };
}

/** Parses and checks a units CSV on its own (no database): the good rows, and every problem. */
export function parseUnitsImport(text: string): UnitsImportParse {
  const refused = new Map<string, number>();
  const problems: UnitsImportProblem[] = [];
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > UNITS_IMPORT_MAX_BYTES) {
    return { rows: [], refused, problems: [problemAt(null, `tệp nặng ${(bytes / 1048576).toFixed(1).replace('.', ',')} MB; tối đa 2 MB`)] };
  }
  const { records, problem } = csvRecords(text);
  if (problem) return { rows: [], refused, problems: [problem] };
  const blank = (cells: string[]) => cells.every((c) => c.trim() === '');
  const nonBlank = records.filter((r) => !blank(r.cells));
  const header = nonBlank.shift();
  const expected = `${REQUIRED_COLUMNS.join(',')} (and optionally ${OPTIONAL_COLUMNS.join(', ')})`;
  if (!header) return { rows: [], refused, problems: [problemAt(null, `tệp trống: dòng đầu phải là dòng tiêu đề ${expected}`)] };

  const known = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
  const index = new Map<Column, number>();
  header.cells.forEach((cell, i) => {
    const name = cell.trim().toLowerCase();
    if (name === '') problems.push(problemAt(header.line, `cột ${i + 1} của dòng tiêu đề không có tên: dòng tiêu đề phải là ${expected}`));
    else if (!known.has(name)) problems.push(problemAt(header.line, `không có cột "${cell.trim()}": dòng tiêu đề phải là ${expected}`));
    else if (index.has(name as Column)) problems.push(problemAt(header.line, `cột ${name} xuất hiện hai lần trong dòng tiêu đề`));
    else index.set(name as Column, i);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length) problems.push(problemAt(header.line, `dòng tiêu đề thiếu ${missing.join(', ')}: phải là ${expected}`));
  if (problems.length) return { rows: [], refused, problems };
  if (nonBlank.length === 0) return { rows: [], refused, problems: [problemAt(null, 'tệp có dòng tiêu đề nhưng không có đơn vị nào')] };
  if (nonBlank.length > MAX_IMPORT_ROWS) {
    return { rows: [], refused, problems: [problemAt(null, `tệp có ${nonBlank.length.toLocaleString('vi-VN')} đơn vị; tối đa ${MAX_IMPORT_ROWS.toLocaleString('vi-VN')}`)] };
  }

  const rows: UnitImportRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of nonBlank) {
    const bad: string[] = [];
    if (cells.length !== header.cells.length) {
      problems.push(problemAt(line, `dòng có ${cells.length} ô, dòng tiêu đề có ${header.cells.length}`));
      const code = (cells[index.get('gso_code')!] ?? '').trim();
      if (CODE.test(code) && !seen.has(code)) {
        refused.set(code, line);
        seen.set(code, line);
      }
      continue;
    }
    const cell = (c: Column) => (index.has(c) ? cells[index.get(c)!]!.trim() : '');
    const code = cell('gso_code');
    if (!code) bad.push('gso_code để trống');
    else if (!CODE.test(code)) bad.push(notACode('gso_code', code));
    else if (seen.has(code)) bad.push(`gso_code ${code} đã có ở dòng ${seen.get(code)}`);
    for (const c of ['name', 'level', 'type'] as const) if (!cell(c)) bad.push(`${c} để trống`);
    const parent = cell('parent_gso_code') || null;
    if (parent !== null && !CODE.test(parent)) bad.push(notACode('parent_gso_code', parent));
    else if (parent !== null && parent === code) bad.push(`parent_gso_code ${parent} là chính đơn vị này`);
    let externalCodes: Record<string, string> | null = null;
    if (index.has('external_codes')) {
      const parsed = parseExternalCodes(cell('external_codes'));
      if ('error' in parsed) bad.push(parsed.error);
      else externalCodes = parsed.codes;
    }
    const mergedInto = cell('merged_into') || null;
    if (mergedInto !== null && !CODE.test(mergedInto)) bad.push(notACode('merged_into', mergedInto));
    else if (mergedInto !== null && mergedInto === code) bad.push(`merged_into ${mergedInto} là chính đơn vị này`);
    const validFrom = cell('valid_from') || null;
    const validTo = cell('valid_to') || null;
    if (validFrom !== null && !isIsoDate(validFrom)) bad.push(`valid_from "${validFrom}" không phải là một ngày (YYYY-MM-DD)`);
    if (validTo !== null && !isIsoDate(validTo)) bad.push(`valid_to "${validTo}" không phải là một ngày (YYYY-MM-DD)`);
    else if (validTo !== null && mergedInto === null) bad.push('valid_to cần có merged_into: một đơn vị chỉ kết thúc khi được sáp nhập vào đơn vị khác');
    if (validFrom && validTo && isIsoDate(validFrom) && isIsoDate(validTo) && validFrom > validTo) {
      bad.push(`valid_from ${validFrom} sau valid_to ${validTo}`);
    }
    if (bad.length) {
      for (const reason of bad) problems.push(problemAt(line, reason));
      if (CODE.test(code) && !seen.has(code)) refused.set(code, line);
    } else {
      rows.push({ line, gsoCode: code, name: cell('name'), level: cell('level'), type: cell('type'), parentGsoCode: parent, externalCodes, mergedInto, validFrom, validTo });
    }
    if (CODE.test(code) && !seen.has(code)) seen.set(code, line);
  }
  return { rows, problems, refused };
}

/** A stored unit, as the checks need it. */
export interface ExistingUnit {
  id: number;
  gsoCode: string;
  name: string;
  level: string;
  type: string;
  parentGsoCode: string | null;
  externalCodes: Record<string, string>;
  validFrom: string | null;
  validTo: string | null;
  mergedIntoGsoCode: string | null;
}

export interface UnitsImportPlan {
  /** Rows with their merge resolved: validTo is the date written when mergedInto is set. */
  rows: UnitImportRow[];
  created: string[];
  updated: string[];
  /** Units whose merge this import records (new units included). */
  merged: string[];
  unchanged: string[];
  /** Current children of a merged unit, moved under the unit that absorbed it. */
  moved: { code: string; from: string; to: string }[];
}

/**
 * Checks parsed rows against the stored units (pure): parents and merge targets exist (in the file or
 * stored), a current unit is not put under, nor merged into, a unit that is merged, and the resulting
 * hierarchy has no cycle. `refused`: codes of lines the parser refused.
 */
export function checkUnitsImport(
  rows: UnitImportRow[],
  existing: ExistingUnit[],
  options: { today: string; refused?: ReadonlyMap<string, number> }
): { problems: UnitsImportProblem[]; plan: UnitsImportPlan } {
  const stored = new Map(existing.map((u) => [u.gsoCode, u]));
  const inFile = new Map(rows.map((r) => [r.gsoCode, r]));
  const refused = options.refused ?? new Map<string, number>();
  const problems: UnitsImportProblem[] = [];

  /** Whether a code is merged once the import is done, and into what. */
  const mergeOf = (code: string): { into: string | null; since: string; line: number | null } | null => {
    const r = inFile.get(code);
    if (r?.mergedInto) return { into: r.mergedInto, since: r.validTo ?? options.today, line: r.line };
    const u = stored.get(code);
    if (u?.validTo) return { into: u.mergedIntoGsoCode, since: u.validTo, line: null };
    return null;
  };
  const describeMerge = (code: string, m: NonNullable<ReturnType<typeof mergeOf>>) =>
    `${code} ${m.into ? `đã sáp nhập vào ${m.into}` : 'đã kết thúc'} (từ ${m.since}${m.line !== null ? `, dòng ${m.line}` : ''})`;
  const missing = (field: string, code: string) =>
    refused.has(code) ? `${field} ${code} nằm ở dòng ${refused.get(code)}, dòng đó bị từ chối` : `${field} ${code} không tồn tại`;

  for (const r of rows) {
    const p = r.parentGsoCode;
    if (p !== null) {
      if (!inFile.has(p) && !stored.has(p)) problems.push(problemAt(r.line, missing('parent_gso_code', p)));
      else if (!r.mergedInto) {
        const m = mergeOf(p);
        if (m) problems.push(problemAt(r.line, `parent_gso_code ${describeMerge(p, m)}${m.into ? `: hãy đặt đơn vị dưới ${m.into}` : ''}`));
      }
    }
    const x = r.mergedInto;
    if (x !== null) {
      if (!inFile.has(x) && !stored.has(x)) problems.push(problemAt(r.line, missing('merged_into', x)));
      else {
        const m = mergeOf(x);
        if (m) problems.push(problemAt(r.line, `merged_into ${describeMerge(x, m)}${m.into ? `: hãy sáp nhập vào ${m.into}` : ''}`));
      }
    }
  }

  // Children of merged units that the file does not mention move to the absorbing unit.
  const childrenOf = new Map<string, ExistingUnit[]>();
  for (const u of existing) {
    if (u.parentGsoCode === null) continue;
    const list = childrenOf.get(u.parentGsoCode) ?? [];
    list.push(u);
    childrenOf.set(u.parentGsoCode, list);
  }
  const moved: UnitsImportPlan['moved'] = [];
  const movedBy = new Map<string, number>(); // moved code → line of the merge that moved it
  for (const r of rows) {
    if (!r.mergedInto) continue;
    for (const child of childrenOf.get(r.gsoCode) ?? []) {
      if (child.validTo !== null || inFile.has(child.gsoCode)) continue;
      moved.push({ code: child.gsoCode, from: r.gsoCode, to: r.mergedInto });
      movedBy.set(child.gsoCode, r.line);
    }
  }

  // The hierarchy once everything is applied must have no cycle.
  const parent = new Map<string, string | null>(existing.map((u) => [u.gsoCode, u.parentGsoCode]));
  for (const r of rows) parent.set(r.gsoCode, r.parentGsoCode);
  for (const m of moved) parent.set(m.code, m.to);
  const done = new Set<string>();
  for (const startCode of [...inFile.keys(), ...movedBy.keys()]) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let c: string | null | undefined = startCode;
    while (c && !done.has(c)) {
      if (onPath.has(c)) {
        const cycle = path.slice(path.indexOf(c));
        const lineOf = (code: string) => inFile.get(code)?.line ?? movedBy.get(code) ?? Number.MAX_SAFE_INTEGER;
        const lines = [...new Set(cycle.map(lineOf))].filter((l) => l !== Number.MAX_SAFE_INTEGER).sort((a, b) => a - b);
        const first = cycle.reduce((best, code) => (lineOf(code) < lineOf(best) ? code : best), cycle[0]!);
        const from = cycle.indexOf(first);
        const chain = [...cycle.slice(from), ...cycle.slice(0, from), first].join(' → ');
        const also = lines.length > 1 ? ` (các dòng ${lines.join(', ')})` : '';
        problems.push(problemAt(lines[0] ?? null, `quan hệ cấp trên tạo thành vòng: ${chain}${also}`));
        break;
      }
      onPath.add(c);
      path.push(c);
      c = parent.get(c);
    }
    for (const code of path) done.add(code);
  }

  // An external code names one current unit in its system, or a source speaking that system could not tell them apart.
  const holders = new Map<string, { code: string; line: number | null }[]>();
  const current = (code: string) => !mergeOf(code);
  for (const u of existing) {
    if (inFile.has(u.gsoCode) && inFile.get(u.gsoCode)!.externalCodes !== null) continue; // the file's codes replace these
    if (!current(u.gsoCode)) continue;
    for (const [system, code] of Object.entries(u.externalCodes)) holders.set(`${system}=${code}`, [...(holders.get(`${system}=${code}`) ?? []), { code: u.gsoCode, line: null }]);
  }
  for (const r of rows) {
    // Without an external_codes column, the kept codes were counted with the stored units.
    if (!current(r.gsoCode) || r.externalCodes === null) continue;
    for (const [system, code] of Object.entries(r.externalCodes)) holders.set(`${system}=${code}`, [...(holders.get(`${system}=${code}`) ?? []), { code: r.gsoCode, line: r.line }]);
  }
  for (const [pair, list] of holders) {
    if (list.length < 2) continue;
    const lines = list.map((h) => h.line).filter((l): l is number => l !== null);
    problems.push(problemAt(lines[0] ?? null, `mã ngoài ${pair} thuộc ${list.length} đơn vị (${list.map((h) => h.code).join(', ')}): mỗi mã chỉ được gán cho một đơn vị đang hiệu lực`));
  }

  // What changes.
  const plan: UnitsImportPlan = { rows: [], created: [], updated: [], merged: [], unchanged: [], moved };
  const sameCodes = (a: Record<string, string>, b: Record<string, string>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
  for (const r of rows) {
    const u = stored.get(r.gsoCode);
    let validTo = r.validTo;
    if (r.mergedInto && validTo === null) validTo = u?.validTo && u.mergedIntoGsoCode === r.mergedInto ? u.validTo : options.today;
    const row = { ...r, validTo };
    plan.rows.push(row);
    const newMerge = r.mergedInto !== null && (!u || u.mergedIntoGsoCode !== r.mergedInto || u.validTo !== validTo);
    if (newMerge) plan.merged.push(r.gsoCode);
    else if (!u) plan.created.push(r.gsoCode);
    else if (
      u.name !== r.name || u.level !== r.level || u.type !== r.type || u.parentGsoCode !== r.parentGsoCode ||
      (r.externalCodes !== null && !sameCodes(u.externalCodes, r.externalCodes)) ||
      (r.validFrom !== null && r.validFrom !== u.validFrom)
    ) plan.updated.push(r.gsoCode);
    else plan.unchanged.push(r.gsoCode);
  }
  return { problems: problems.sort(byLine), plan };
}

export interface UnitsImportCounts {
  rows: number;
  created: number;
  updated: number;
  merged: number;
  unchanged: number;
  moved: number;
}

export type UnitsImportResult =
  | {
      ok: true;
      counts: UnitsImportCounts;
      created: string[];
      updated: string[];
      merged: string[];
      moved: UnitsImportPlan['moved'];
      /** The recompute of the current boards (one job per period, followed as one batch); null without an active scheme. */
      recompute: { batch: string } | null;
    }
  | { ok: false; problems: UnitsImportProblem[] };

export interface ImportOptions {
  /** The instant the import happens (today's date in the city, and the boards recomputed). */
  now?: Date;
  /** The job queue the recompute of the current boards goes to. */
  jobs: PgBoss;
  ip?: string | null;
  /** What the parser already refused: listed with the other problems, and nothing is applied. */
  parsed?: Pick<UnitsImportParse, 'problems' | 'refused'>;
}

async function loadExisting(sql: Queryable): Promise<ExistingUnit[]> {
  const parent = alias(units, 'parent');
  const into = alias(units, 'merged_into');
  return orm(sql)
    .select({
      id: units.id, gsoCode: units.gsoCode, name: units.name, level: units.level, type: units.type, parentGsoCode: parent.gsoCode,
      externalCodes: units.externalCodes, validFrom: units.validFrom, validTo: units.validTo, mergedIntoGsoCode: into.gsoCode
    })
    .from(units)
    .leftJoin(parent, eq(parent.id, units.parentId))
    .leftJoin(into, eq(into.id, units.mergedIntoId))
    .orderBy(asc(units.id));
}

/**
 * Applies parsed rows in one transaction: checked against the stored units first (every problem,
 * together with `options.parsed`'s), and only if there is none, written; then the closure, the
 * current boards' rows of units that left them, the recompute job of the current boards (which
 * NOTIFYs the live boards when it has run), and one audit entry.
 */
export async function applyUnitsImport(sql: Sql, rows: UnitImportRow[], actor: Principal, options: ImportOptions): Promise<UnitsImportResult> {
  const day = today(options.now);
  return sql.begin(async (tx): Promise<UnitsImportResult> => {
    // Writers of units wait (readers do not): the checks below stay true until the commit. (No builder for a lock.)
    await tx`lock table units in share row exclusive mode`;
    const existing = await loadExisting(tx);
    const { problems, plan } = checkUnitsImport(rows, existing, { today: day, refused: options.parsed?.refused });
    const all = [...(options.parsed?.problems ?? []), ...problems].sort(byLine);
    if (all.length) return { ok: false, problems: all };
    if (plan.rows.length === 0) return { ok: false, problems: [problemAt(null, 'tệp không có đơn vị nào')] };

    const stored = new Set(existing.map((u) => u.gsoCode));
    const fresh = plan.rows.filter((r) => !stored.has(r.gsoCode));
    const old = plan.rows.filter((r) => stored.has(r.gsoCode));
    const json = (c: Record<string, string> | null) => (c === null ? null : JSON.stringify(c));
    // Set-based, with the rows as arrays (unnest): up to MAX_IMPORT_ROWS rows, past the 65,535 parameters a builder's VALUES would take.
    if (fresh.length) {
      await tx`
        insert into units (gso_code, name, level, type, external_codes, population, population_synthetic, valid_from)
        select code, name, level, type, coalesce(ext, '{}'::jsonb), null, false, vfrom
        from unnest(${tx.array(fresh.map((r) => r.gsoCode))}::text[], ${tx.array(fresh.map((r) => r.name))}::text[],
                    ${tx.array(fresh.map((r) => r.level))}::text[], ${tx.array(fresh.map((r) => r.type))}::text[],
                    ${tx.array(fresh.map((r) => json(r.externalCodes)))}::jsonb[], ${tx.array(fresh.map((r) => r.validFrom))}::date[])
          as t(code, name, level, type, ext, vfrom)`;
    }
    if (old.length) {
      await tx`
        update units u set name = t.name, level = t.level, type = t.type,
          external_codes = coalesce(t.ext, u.external_codes), valid_from = coalesce(t.vfrom, u.valid_from)
        from unnest(${tx.array(old.map((r) => r.gsoCode))}::text[], ${tx.array(old.map((r) => r.name))}::text[],
                    ${tx.array(old.map((r) => r.level))}::text[], ${tx.array(old.map((r) => r.type))}::text[],
                    ${tx.array(old.map((r) => json(r.externalCodes)))}::jsonb[], ${tx.array(old.map((r) => r.validFrom))}::date[])
          as t(code, name, level, type, ext, vfrom)
        where u.gso_code = t.code`;
    }
    await tx`
      update units u set parent_id = p.id
      from unnest(${tx.array(plan.rows.map((r) => r.gsoCode))}::text[], ${tx.array(plan.rows.map((r) => r.parentGsoCode))}::text[]) as t(code, parent)
      left join units p on p.gso_code = t.parent
      where u.gso_code = t.code and u.parent_id is distinct from p.id`;
    const merges = plan.rows.filter((r) => r.mergedInto !== null);
    if (merges.length) {
      await tx`
        update units u set valid_to = t.vto, merged_into_id = x.id
        from unnest(${tx.array(merges.map((r) => r.gsoCode))}::text[], ${tx.array(merges.map((r) => r.mergedInto))}::text[],
                    ${tx.array(merges.map((r) => r.validTo))}::date[]) as t(code, target, vto)
        join units x on x.gso_code = t.target
        where u.gso_code = t.code`;
    }
    if (plan.moved.length) {
      await tx`
        update units u set parent_id = x.id
        from unnest(${tx.array(plan.moved.map((m) => m.code))}::text[], ${tx.array(plan.moved.map((m) => m.to))}::text[]) as t(code, target)
        join units x on x.gso_code = t.target
        where u.gso_code = t.code`;
    }
    await rebuildClosure(tx);

    // Today's and this month's boards: rows of units no longer a current child of their scope go
    // (a merged unit leaves them); past boards keep theirs. Then every scope is recomputed, by a job.
    const periods = BOARD_PERIOD_KINDS.map((kind) => periodOf(kind, day));
    await tx`
      delete from rankings r
      using unnest(${tx.array(periods.map((p) => p.kind))}::text[], ${tx.array(periods.map((p) => p.start))}::date[]) as w(kind, start)
      where r.period_kind = w.kind and r.period_start = w.start
        and not exists (select 1 from units u where u.id = r.unit_id and u.parent_id = r.scope_unit_id and u.valid_to is null)`;
    const [scheme] = await tx`select 1 from indicator_schemes where active limit 1`;
    const recompute = scheme ? { batch: await queueRecompute(options.jobs, tx, { periods, cause: 'units' }) } : null;

    const counts: UnitsImportCounts = {
      rows: plan.rows.length,
      created: plan.created.length,
      updated: plan.updated.length,
      merged: plan.merged.length,
      unchanged: plan.unchanged.length,
      moved: plan.moved.length
    };
    await recordAudit(tx, {
      actor,
      action: 'import',
      entity: 'unit',
      after: { counts, created: plan.created, updated: plan.updated, merged: plan.merged, moved: plan.moved.map((m) => m.code) },
      ip: options.ip ?? null
    });
    return { ok: true, counts, created: plan.created, updated: plan.updated, merged: plan.merged, moved: plan.moved, recompute };
  }) as Promise<UnitsImportResult>;
}

/** Parse, check and apply a CSV text: every problem (the file's and the database's) or the counts. */
export async function importUnitsCsv(sql: Sql, text: string, actor: Principal, options: Omit<ImportOptions, 'parsed'>): Promise<UnitsImportResult> {
  const parsed = parseUnitsImport(text);
  // A file too large, without a header … has no rows worth checking against the database.
  if (parsed.rows.length === 0 && parsed.problems.length) return { ok: false, problems: parsed.problems };
  return applyUnitsImport(sql, parsed.rows, actor, { ...options, parsed });
}

/** An uploaded file (form field `file`): size and encoding checked before it is read as CSV. */
export async function importUnitsFile(sql: Sql, file: unknown, actor: Principal, options: Omit<ImportOptions, 'parsed'>): Promise<UnitsImportResult> {
  const refuse = (message: string): UnitsImportResult => ({ ok: false, problems: [problemAt(null, message)] });
  if (!(file instanceof File)) return refuse('file: chọn một tệp .csv');
  if (file.size === 0) return refuse('file: tệp trống');
  if (file.size > UNITS_IMPORT_MAX_BYTES) return refuse(`file: tệp nặng ${(file.size / 1048576).toFixed(1).replace('.', ',')} MB; tối đa 2 MB`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(await file.arrayBuffer());
  } catch {
    return refuse('file: tệp không phải văn bản UTF-8 (hãy lưu dưới dạng "CSV UTF-8")');
  }
  return importUnitsCsv(sql, text, actor, options);
}

export interface UnitsSummary {
  levels: { level: string; current: number; merged: number }[];
  mergedCount: number;
  roots: { code: string; name: string; level: string }[];
  merged: { code: string; name: string; level: string; intoCode: string | null; intoName: string | null; since: string | null }[];
}

/** The admin page's summary: units per level, the roots, and the merged units (most recent first). */
export async function unitsSummary(sql: Queryable, limit = 1000): Promise<UnitsSummary> {
  const db = orm(sql);
  const levels = await db
    .select({
      level: units.level,
      current: expr`count(*) filter (where ${units.validTo} is null)`.mapWith(Number),
      merged: expr`count(*) filter (where ${units.validTo} is not null)`.mapWith(Number)
    })
    .from(units)
    .groupBy(units.level)
    .orderBy(expr`min(length(${units.gsoCode}))`, asc(units.level));
  const roots = await db
    .select({ code: units.gsoCode, name: units.name, level: units.level })
    .from(units)
    .where(and(isNull(units.parentId), isNull(units.validTo)))
    .orderBy(asc(units.id));
  const into = alias(units, 'merged_into');
  const merged = await db
    .select({ code: units.gsoCode, name: units.name, level: units.level, intoCode: into.gsoCode, intoName: into.name, since: units.validTo })
    .from(units)
    .leftJoin(into, eq(into.id, units.mergedIntoId))
    .where(isNotNull(units.validTo))
    .orderBy(desc(units.validTo), asc(units.gsoCode))
    .limit(limit);
  const mergedCount = levels.reduce((s, l) => s + l.merged, 0);
  return { levels, mergedCount, roots, merged };
}
