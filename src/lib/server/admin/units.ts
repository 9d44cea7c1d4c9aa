/**
 * Administrative units imported or updated from a CSV in the GSO register's layout, so the product
 * can serve another province, and merges that keep the merged units' history. (The reform import —
 * a register with its merge table and the date it takes effect — is units-reform.ts; it reads the
 * register with the parser below. docs/units.md says what each does.)
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
 *  - a code names the unit of that code in force (valid_to null), else its newest version: a code
 *    is reused across a reform (10114 was Thị trấn Kim Bài until 30/06/2025, Xã Thanh Oai since);
 *  - a row without `merged_into` leaves a unit's merge state as it is (re-importing an old register
 *    does not bring merged units back); `valid_to` is only accepted with `merged_into`, and is the
 *    unit's last day in force (inclusive, as units.valid_to): without it, yesterday — merged today;
 *  - a merged unit keeps its samples, its parent and its past rankings; its current children move
 *    to the unit that absorbed it; it leaves the current boards at once (recomputed by the job);
 *    the merge is also a lineage row (share 1, 'Nhập toàn bộ'), so the absorbing unit carries the
 *    merged unit's figures from before the merge;
 *  - without an `external_codes` column the stored codes are kept; with it, the cell replaces them
 *    (an empty cell clears them); an empty `valid_from` keeps the stored one. The cell is
 *    `system=code` pairs separated by ';' (`portal=H44.100;dvc=000.00.44.H44`): a source whose code
 *    system is `portal` matches its rows on them. A code names one current unit in its system;
 *  - unit codes are the register's own: GSO digits, `VN`, or letters, digits, '.', '-', '_' (1–20
 *    characters); levels and types are the register's words (country, province, commune …);
 *  - imported units get no population (none is known; nothing is generated for them);
 *  - when no home unit is set (app_meta `home_unit`) and the root the overview opens on (the one
 *    root in force, or the first) gets a parent (the national register puts Việt Nam above the
 *    city), that root becomes the home unit first: the overview and the wall keep opening on it.
 *
 * Problems are in the reader's language (`lang`: Vietnamese by default, English), each named by
 * its file (when known) and line: "daklak.csv dòng 7: parent_gso_code 999 không tồn tại".
 */
import { and, asc, eq, isNull, sql as expr } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { orm, type Queryable, type Sql } from '#db/client';
import { units } from '#db/schema/units';
import { appMeta } from '#db/schema/ops';
import { addDays, periodOf, today } from '#domain/periods';
import { BOARD_PERIOD_KINDS, UNIT_CODE_PATTERN, UNIT_CODE_RULE_VI } from '#contract/dto';
import type { PgBoss } from 'pg-boss';
import { queueRecompute } from '#server/jobs/send';
import { rebuildClosure } from '#db/closure';
import { readCsvRecords } from '#server/pipeline/mapping/table';
import type { Principal } from '../auth/principal.ts';
import { recordAudit } from '../auth/audit.ts';
import { HOME_UNIT_FACT } from '../boards.ts';
import { UNITS_IMPORT_MAX_BYTES } from '../limits.ts';

export const MAX_IMPORT_ROWS = 20_000;

export const REQUIRED_COLUMNS = ['gso_code', 'name', 'level', 'type', 'parent_gso_code'] as const;
export const OPTIONAL_COLUMNS = ['external_codes', 'merged_into', 'valid_from', 'valid_to'] as const;
/** The columns a register imported with a merge table may not have: the reform's date and merges come from elsewhere. */
export const LEGACY_ONLY_COLUMNS = ['merged_into', 'valid_from', 'valid_to'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** The note of a lineage row written for a legacy `merged_into` (the register's words for a whole unit merged in). */
export const WHOLE_MERGE_NOTE = 'Nhập toàn bộ';

/** The language of the problems: Vietnamese by default, English on the switch. */
export type Lang = 'vi' | 'en';
export const say = (lang: Lang, vi: string, en: string): string => (lang === 'en' ? en : vi);

/** The form fields (and API fields) an import takes. */
export type UnitsImportField = 'register' | 'merges' | 'effectiveFrom';

/**
 * One refused thing: `line` is the file's line (the header is line 1), null for the file as a whole;
 * `file` the file's name (or the field's) when known; `field` the form or API field it belongs to.
 */
export interface UnitsImportProblem {
  line: number | null;
  /** "daklak.csv dòng 7: parent_gso_code 999 không tồn tại" */
  message: string;
  file?: string | null;
  field?: UnitsImportField;
}

/** Where problems are told: the reader's language, and the name the file goes by (null: none). */
export interface ProblemPlace {
  lang?: Lang;
  file?: string | null;
  field?: UnitsImportField;
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
  /** The last day in force (inclusive), only with mergedInto; null → yesterday: merged from today (or the stored date of the same merge). */
  validTo: string | null;
}

export interface UnitsImportParse {
  rows: UnitImportRow[];
  problems: UnitsImportProblem[];
  /** Codes of refused lines (code → line), so a row naming one as its parent is not told it "does not exist". */
  refused: Map<string, number>;
}

/** A register's unit code: GSO digits, VN, or whatever the province's register uses (H44.100): see UNIT_CODE_PATTERN. */
const CODE = UNIT_CODE_PATTERN;
const UNIT_CODE_RULE_EN = "letters, digits, '.', '-' or '_', 1–20 characters";
export const notACode = (lang: Lang, field: string, code: string) =>
  say(lang, `${field} "${code}" không phải mã đơn vị hợp lệ (${UNIT_CODE_RULE_VI})`, `${field} "${code}" is not a unit code (${UNIT_CODE_RULE_EN})`);

/** A problem, its message prefixed with the file and the line ("merge-2025.csv dòng 17: …"). */
export function problemAt(line: number | null, reason: string, place: ProblemPlace = {}): UnitsImportProblem {
  const lang = place.lang ?? 'vi';
  const file = place.file ?? null;
  const at = line === null ? '' : say(lang, `dòng ${line}`, `line ${line}`);
  const prefix = file && at ? `${file} ${at}: ` : file ? `${file}: ` : at ? `${at}: ` : '';
  return { line, message: prefix + reason, ...(file ? { file } : {}), ...(place.field ? { field: place.field } : {}) };
}
export const byLine = (a: UnitsImportProblem, b: UnitsImportProblem) => (a.line ?? 0) - (b.line ?? 0);

/** A size in MB as the admin reads it: "2,0" (vi) or "2.0" (en). */
export const megabytes = (bytes: number, lang: Lang = 'vi') => {
  const text = (bytes / 1048576).toFixed(1);
  return lang === 'en' ? text : text.replace('.', ',');
};
const maxMegabytes = (lang: Lang) => String(Math.round(UNITS_IMPORT_MAX_BYTES / 1048576)).replace('.', lang === 'en' ? '.' : ',');
export const tooHeavy = (bytes: number, lang: Lang) =>
  say(lang, `tệp nặng ${megabytes(bytes, lang)} MB; tối đa ${maxMegabytes(lang)} MB`, `the file is ${megabytes(bytes, lang)} MB; at most ${maxMegabytes(lang)} MB`);
const count = (n: number, lang: Lang) => n.toLocaleString(lang === 'en' ? 'en-US' : 'vi-VN');

/**
 * RFC 4180 records with the line each starts on (quoted fields may hold commas, doubled quotes and
 * line breaks; CRLF or LF; a leading BOM is skipped). An unterminated quote is a problem of its own.
 */
export function csvRecords(text: string, place: ProblemPlace = {}): { records: { line: number; cells: string[] }[]; problem: UnitsImportProblem | null } {
  const { records, unterminatedAt } = readCsvRecords(text);
  if (unterminatedAt !== null) {
    const lang = place.lang ?? 'vi';
    return { records, problem: problemAt(unterminatedAt, say(lang, 'một ô mở ngoặc kép nhưng không đóng (thiếu một dấu ")', 'a cell opens a double quote and never closes it (a " is missing)'), place) };
  }
  return { records, problem: null };
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** An ISO day as the screens show it: dd/MM/yyyy. */
export const shownDay = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** "portal=H44.100;dvc=000.00.44.H44" → { portal: 'H44.100', dvc: '000.00.44.H44' }, or the reason it is not. */
export function parseExternalCodes(text: string, lang: Lang = 'vi'): { codes: Record<string, string> } | { error: string } {
  const codes: Record<string, string> = {};
  for (const part of text.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const at = part.indexOf('=');
    const key = at < 0 ? '' : part.slice(0, at).trim();
    const value = at < 0 ? '' : part.slice(at + 1).trim();
    if (!key || !value) {
      return { error: say(lang, `external_codes "${part}" không có dạng hệ_mã=mã (ví dụ portal=H44.100;dvc=000.00.44.H44)`, `external_codes "${part}" is not system=code (e.g. portal=H44.100;dvc=000.00.44.H44)`) };
    }
    if (Object.hasOwn(codes, key)) return { error: say(lang, `external_codes ghi hệ mã ${key} hai lần`, `external_codes names the system ${key} twice`) };
    codes[key] = value;
  }
  return { codes };
}

export interface ParseOptions extends ProblemPlace {
  /**
   * `register`: the register of a reform import (with a merge table): the columns merged_into,
   * valid_from and valid_to are refused (the date is the import's, the merges are the merge table's).
   */
  mode?: 'legacy' | 'register';
}

/** Parses and checks a units CSV on its own (no database): the good rows, and every problem. */
export function parseUnitsImport(text: string, options: ParseOptions = {}): UnitsImportParse {
  const lang = options.lang ?? 'vi';
  const place: ProblemPlace = { lang, file: options.file ?? null, field: options.field };
  const at = (line: number | null, reason: string) => problemAt(line, reason, place);
  const refused = new Map<string, number>();
  const problems: UnitsImportProblem[] = [];
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > UNITS_IMPORT_MAX_BYTES) return { rows: [], refused, problems: [at(null, tooHeavy(bytes, lang))] };
  const { records, problem } = csvRecords(text, place);
  if (problem) return { rows: [], refused, problems: [problem] };
  const blank = (cells: string[]) => cells.every((c) => c.trim() === '');
  const nonBlank = records.filter((r) => !blank(r.cells));
  const header = nonBlank.shift();
  const optional = options.mode === 'register' ? OPTIONAL_COLUMNS.filter((c) => !(LEGACY_ONLY_COLUMNS as readonly string[]).includes(c)) : OPTIONAL_COLUMNS;
  const expected = say(lang, `${REQUIRED_COLUMNS.join(',')} (and optionally ${optional.join(', ')})`, `${REQUIRED_COLUMNS.join(',')} (and optionally ${optional.join(', ')})`);
  if (!header) return { rows: [], refused, problems: [at(null, say(lang, `tệp trống: dòng đầu phải là dòng tiêu đề ${expected}`, `the file is empty: the first line must be the header ${expected}`))] };

  const known = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
  const index = new Map<Column, number>();
  header.cells.forEach((cell, i) => {
    const name = cell.trim().toLowerCase();
    if (name === '') problems.push(at(header.line, say(lang, `cột ${i + 1} của dòng tiêu đề không có tên: dòng tiêu đề phải là ${expected}`, `column ${i + 1} of the header has no name: the header must be ${expected}`)));
    else if (!known.has(name)) problems.push(at(header.line, say(lang, `không có cột "${cell.trim()}": dòng tiêu đề phải là ${expected}`, `there is no column "${cell.trim()}": the header must be ${expected}`)));
    else if (index.has(name as Column)) problems.push(at(header.line, say(lang, `cột ${name} xuất hiện hai lần trong dòng tiêu đề`, `column ${name} appears twice in the header`)));
    else if (options.mode === 'register' && (LEGACY_ONLY_COLUMNS as readonly string[]).includes(name)) {
      problems.push(at(header.line, say(
        lang,
        `cột ${name} không dùng khi nhập kèm bảng sáp nhập: ngày hiệu lực là ô "Hiệu lực từ", việc sáp nhập nằm trong bảng sáp nhập`,
        `column ${name} is not used with a merge table: the date is the "In force from" field, the merges are the merge table's`
      )));
    } else index.set(name as Column, i);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length) problems.push(at(header.line, say(lang, `dòng tiêu đề thiếu ${missing.join(', ')}: phải là ${expected}`, `the header lacks ${missing.join(', ')}: it must be ${expected}`)));
  if (problems.length) return { rows: [], refused, problems };
  if (nonBlank.length === 0) return { rows: [], refused, problems: [at(null, say(lang, 'tệp có dòng tiêu đề nhưng không có đơn vị nào', 'the file has a header but no units'))] };
  if (nonBlank.length > MAX_IMPORT_ROWS) {
    return { rows: [], refused, problems: [at(null, say(lang, `tệp có ${count(nonBlank.length, lang)} đơn vị; tối đa ${count(MAX_IMPORT_ROWS, lang)}`, `the file has ${count(nonBlank.length, lang)} units; at most ${count(MAX_IMPORT_ROWS, lang)}`))] };
  }

  const rows: UnitImportRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of nonBlank) {
    const bad: string[] = [];
    if (cells.length !== header.cells.length) {
      problems.push(at(line, say(lang, `dòng có ${cells.length} ô, dòng tiêu đề có ${header.cells.length}`, `the line has ${cells.length} cells, the header ${header.cells.length}`)));
      const code = (cells[index.get('gso_code')!] ?? '').trim();
      if (CODE.test(code) && !seen.has(code)) {
        refused.set(code, line);
        seen.set(code, line);
      }
      continue;
    }
    const cell = (c: Column) => (index.has(c) ? cells[index.get(c)!]!.trim() : '');
    const empty = (c: string) => say(lang, `${c} để trống`, `${c} is empty`);
    const itself = (field: string, code: string) => say(lang, `${field} ${code} là chính đơn vị này`, `${field} ${code} is this unit itself`);
    const code = cell('gso_code');
    if (!code) bad.push(empty('gso_code'));
    else if (!CODE.test(code)) bad.push(notACode(lang, 'gso_code', code));
    else if (seen.has(code)) bad.push(say(lang, `gso_code ${code} đã có ở dòng ${seen.get(code)}`, `gso_code ${code} is already on line ${seen.get(code)}`));
    for (const c of ['name', 'level', 'type'] as const) if (!cell(c)) bad.push(empty(c));
    const parent = cell('parent_gso_code') || null;
    if (parent !== null && !CODE.test(parent)) bad.push(notACode(lang, 'parent_gso_code', parent));
    else if (parent !== null && parent === code) bad.push(itself('parent_gso_code', parent));
    let externalCodes: Record<string, string> | null = null;
    if (index.has('external_codes')) {
      const parsed = parseExternalCodes(cell('external_codes'), lang);
      if ('error' in parsed) bad.push(parsed.error);
      else externalCodes = parsed.codes;
    }
    const mergedInto = cell('merged_into') || null;
    if (mergedInto !== null && !CODE.test(mergedInto)) bad.push(notACode(lang, 'merged_into', mergedInto));
    else if (mergedInto !== null && mergedInto === code) bad.push(itself('merged_into', mergedInto));
    const validFrom = cell('valid_from') || null;
    const validTo = cell('valid_to') || null;
    const notADate = (field: string, value: string) => say(lang, `${field} "${value}" không phải là một ngày (YYYY-MM-DD)`, `${field} "${value}" is not a date (YYYY-MM-DD)`);
    if (validFrom !== null && !isIsoDate(validFrom)) bad.push(notADate('valid_from', validFrom));
    if (validTo !== null && !isIsoDate(validTo)) bad.push(notADate('valid_to', validTo));
    else if (validTo !== null && mergedInto === null) {
      bad.push(say(lang, 'valid_to cần có merged_into: một đơn vị chỉ kết thúc khi được sáp nhập vào đơn vị khác', 'valid_to needs merged_into: a unit ends only when it is merged into another'));
    }
    if (validFrom && validTo && isIsoDate(validFrom) && isIsoDate(validTo) && validFrom > validTo) {
      bad.push(say(lang, `valid_from ${validFrom} sau valid_to ${validTo}`, `valid_from ${validFrom} is after valid_to ${validTo}`));
    }
    if (bad.length) {
      for (const reason of bad) problems.push(at(line, reason));
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
  parentId: number | null;
  parentGsoCode: string | null;
  externalCodes: Record<string, string>;
  validFrom: string | null;
  validTo: string | null;
  mergedIntoGsoCode: string | null;
}

/**
 * The version of each code a code names today: the one in force (valid_to null), else the one that
 * ended last (a code is reused across a reform: two rows, one ended).
 */
export function versionsByCode<U extends { gsoCode: string; validTo: string | null }>(existing: readonly U[]): Map<string, U> {
  const out = new Map<string, U>();
  for (const u of existing) {
    const held = out.get(u.gsoCode);
    if (!held || (held.validTo !== null && (u.validTo === null || u.validTo > held.validTo))) out.set(u.gsoCode, u);
  }
  return out;
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
  options: { today: string; refused?: ReadonlyMap<string, number> } & ProblemPlace
): { problems: UnitsImportProblem[]; plan: UnitsImportPlan } {
  const lang = options.lang ?? 'vi';
  const at = (line: number | null, reason: string) => problemAt(line, reason, options);
  const stored = versionsByCode(existing);
  const inFile = new Map(rows.map((r) => [r.gsoCode, r]));
  const refused = options.refused ?? new Map<string, number>();
  const problems: UnitsImportProblem[] = [];
  // valid_to is the last day in force (inclusive): a merge without a date takes effect today, so the unit's last day was yesterday.
  const lastDay = addDays(options.today, -1);

  /** Whether a code is merged once the import is done, and into what. */
  const mergeOf = (code: string): { into: string | null; since: string; line: number | null } | null => {
    const r = inFile.get(code);
    if (r?.mergedInto) return { into: r.mergedInto, since: r.validTo ?? lastDay, line: r.line };
    const u = stored.get(code);
    if (u?.validTo) return { into: u.mergedIntoGsoCode, since: u.validTo, line: null };
    return null;
  };
  const describeMerge = (code: string, m: NonNullable<ReturnType<typeof mergeOf>>) => {
    const line = m.line !== null ? say(lang, `, dòng ${m.line}`, `, line ${m.line}`) : '';
    return m.into
      ? say(lang, `${code} đã sáp nhập vào ${m.into} (hiệu lực đến hết ${m.since}${line})`, `${code} was merged into ${m.into} (in force until ${m.since}${line})`)
      : say(lang, `${code} đã kết thúc (hiệu lực đến hết ${m.since}${line})`, `${code} has ended (in force until ${m.since}${line})`);
  };
  const missing = (field: string, code: string) =>
    refused.has(code)
      ? say(lang, `${field} ${code} nằm ở dòng ${refused.get(code)}, dòng đó bị từ chối`, `${field} ${code} is on line ${refused.get(code)}, which is refused`)
      : say(lang, `${field} ${code} không tồn tại`, `${field} ${code} does not exist`);

  for (const r of rows) {
    const p = r.parentGsoCode;
    if (p !== null) {
      if (!inFile.has(p) && !stored.has(p)) problems.push(at(r.line, missing('parent_gso_code', p)));
      else if (!r.mergedInto) {
        const m = mergeOf(p);
        if (m) problems.push(at(r.line, `parent_gso_code ${describeMerge(p, m)}${m.into ? say(lang, `: hãy đặt đơn vị dưới ${m.into}`, `: put the unit under ${m.into}`) : ''}`));
      }
    }
    const x = r.mergedInto;
    if (x !== null) {
      if (!inFile.has(x) && !stored.has(x)) problems.push(at(r.line, missing('merged_into', x)));
      else {
        const m = mergeOf(x);
        if (m) problems.push(at(r.line, `merged_into ${describeMerge(x, m)}${m.into ? say(lang, `: hãy sáp nhập vào ${m.into}`, `: merge it into ${m.into}`) : ''}`));
      }
    }
  }

  // Children of merged units that the file does not mention move to the absorbing unit.
  const childrenOf = new Map<number, ExistingUnit[]>();
  for (const u of stored.values()) {
    if (u.parentId === null) continue;
    const list = childrenOf.get(u.parentId) ?? [];
    list.push(u);
    childrenOf.set(u.parentId, list);
  }
  const moved: UnitsImportPlan['moved'] = [];
  const movedBy = new Map<string, number>(); // moved code → line of the merge that moved it
  for (const r of rows) {
    if (!r.mergedInto) continue;
    const self = stored.get(r.gsoCode);
    for (const child of self ? (childrenOf.get(self.id) ?? []) : []) {
      if (child.validTo !== null || inFile.has(child.gsoCode)) continue;
      moved.push({ code: child.gsoCode, from: r.gsoCode, to: r.mergedInto });
      movedBy.set(child.gsoCode, r.line);
    }
  }

  // The hierarchy once everything is applied must have no cycle.
  const parent = new Map<string, string | null>([...stored.values()].map((u) => [u.gsoCode, u.parentGsoCode]));
  for (const r of rows) parent.set(r.gsoCode, r.parentGsoCode);
  for (const m of moved) parent.set(m.code, m.to);
  const lineOf = (code: string) => inFile.get(code)?.line ?? movedBy.get(code) ?? null;
  for (const cycle of findCycles([...inFile.keys(), ...movedBy.keys()], parent)) problems.push(cycleProblem(cycle, lineOf, options));

  // An external code names one current unit in its system, or a source speaking that system could not tell them apart.
  const holders = new Map<string, { code: string; line: number | null }[]>();
  const current = (code: string) => !mergeOf(code);
  for (const u of stored.values()) {
    if (inFile.has(u.gsoCode) && inFile.get(u.gsoCode)!.externalCodes !== null) continue; // the file's codes replace these
    if (!current(u.gsoCode)) continue;
    for (const [system, code] of Object.entries(u.externalCodes)) holders.set(`${system}=${code}`, [...(holders.get(`${system}=${code}`) ?? []), { code: u.gsoCode, line: null }]);
  }
  for (const r of rows) {
    // Without an external_codes column, the kept codes were counted with the stored units.
    if (!current(r.gsoCode) || r.externalCodes === null) continue;
    for (const [system, code] of Object.entries(r.externalCodes)) holders.set(`${system}=${code}`, [...(holders.get(`${system}=${code}`) ?? []), { code: r.gsoCode, line: r.line }]);
  }
  problems.push(...externalCodeProblems(holders, options));

  // What changes.
  const plan: UnitsImportPlan = { rows: [], created: [], updated: [], merged: [], unchanged: [], moved };
  for (const r of rows) {
    const u = stored.get(r.gsoCode);
    let validTo = r.validTo;
    if (r.mergedInto && validTo === null) validTo = u?.validTo && u.mergedIntoGsoCode === r.mergedInto ? u.validTo : lastDay;
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

export const sameCodes = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** Every cycle reached from `starts` through `parent` (code → parent code), each once. */
export function findCycles(starts: Iterable<string>, parent: ReadonlyMap<string, string | null>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  for (const startCode of starts) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let c: string | null | undefined = startCode;
    while (c && !done.has(c)) {
      if (onPath.has(c)) {
        cycles.push(path.slice(path.indexOf(c)));
        break;
      }
      onPath.add(c);
      path.push(c);
      c = parent.get(c);
    }
    for (const code of path) done.add(code);
  }
  return cycles;
}

/** A cycle in words, starting at its first line: "quan hệ cấp trên tạo thành vòng: 901 → 902 → 901 (các dòng 4, 5)". */
export function cycleProblem(cycle: string[], lineOf: (code: string) => number | null, place: ProblemPlace): UnitsImportProblem {
  const lang = place.lang ?? 'vi';
  const key = (code: string) => lineOf(code) ?? Number.MAX_SAFE_INTEGER;
  const lines = [...new Set(cycle.map(lineOf).filter((l): l is number => l !== null))].sort((a, b) => a - b);
  const first = cycle.reduce((best, code) => (key(code) < key(best) ? code : best), cycle[0]!);
  const from = cycle.indexOf(first);
  const chain = [...cycle.slice(from), ...cycle.slice(0, from), first].join(' → ');
  const also = lines.length > 1 ? say(lang, ` (các dòng ${lines.join(', ')})`, ` (lines ${lines.join(', ')})`) : '';
  return problemAt(lines[0] ?? null, say(lang, `quan hệ cấp trên tạo thành vòng: ${chain}${also}`, `the parents form a cycle: ${chain}${also}`), place);
}

/** An external code held by two units in force or more: one problem each. */
export function externalCodeProblems(holders: ReadonlyMap<string, { code: string; line: number | null }[]>, place: ProblemPlace): UnitsImportProblem[] {
  const lang = place.lang ?? 'vi';
  const out: UnitsImportProblem[] = [];
  for (const [pair, list] of holders) {
    if (list.length < 2) continue;
    const lines = list.map((h) => h.line).filter((l): l is number => l !== null);
    const codes = list.map((h) => h.code).join(', ');
    out.push(problemAt(lines[0] ?? null, say(
      lang,
      `mã ngoài ${pair} thuộc ${list.length} đơn vị (${codes}): mỗi mã chỉ được gán cho một đơn vị đang hiệu lực`,
      `external code ${pair} belongs to ${list.length} units (${codes}): a code names one unit in force`
    ), place));
  }
  return out;
}

export interface UnitsImportCounts {
  rows: number;
  created: number;
  updated: number;
  merged: number;
  unchanged: number;
  moved: number;
  /** Lineage rows written (a merge's link, new or changed). */
  lineage: number;
}

/** What a reform import (a register with its merge table, from a date) did: see units-reform.ts. */
export interface ReformCounts {
  /** The day the register takes effect, and the day the units it replaces end (the day before). */
  effectiveFrom: string;
  endedOn: string;
  registerRows: number;
  mergeRows: number;
  /** Units of codes not held before. */
  created: number;
  /** New units keeping the code of a unit that ended (Xã Thanh Oai, 10114, after Thị trấn Kim Bài). */
  newVersions: number;
  /** Units that continue (a province, VN) whose name, type, level, codes or parent changed. */
  updated: number;
  unchanged: number;
  /** Units in force that end the day before (old districts and communes). */
  ended: number;
  lineage: { created: number; updated: number; unchanged: number; removed: number };
  /** Merge rows about old units this installation does not hold (the other provinces), by old province code. */
  skipped: { rows: number; provinces: Record<string, number>; notAUnit: number[] };
  /** Old units named by the merge table that had already ended the day before (the same files again). */
  alreadyEnded: number;
  /** The home unit this import set (the one root before VN was put above it), else null. */
  homeUnit: string | null;
}

export type UnitsImportResult =
  | {
      ok: true;
      kind: 'register';
      counts: UnitsImportCounts;
      created: string[];
      updated: string[];
      merged: string[];
      moved: UnitsImportPlan['moved'];
      /** The recompute of the current boards (one job per period, followed as one batch); null without an active scheme. */
      recompute: { batch: string; periods: number } | null;
    }
  | {
      ok: true;
      kind: 'reform';
      counts: ReformCounts;
      created: string[];
      newVersions: string[];
      updated: string[];
      ended: string[];
      /** The boards from the period holding the date through today's (one job per period); null when nothing changed or no scheme is active. */
      recompute: { batch: string; periods: number } | null;
    }
  | { ok: false; problems: UnitsImportProblem[] };

export interface ImportOptions {
  /** The instant the import happens (today's date in the city, and the boards recomputed). */
  now?: Date;
  /** The job queue the recompute of the boards goes to; null: none is queued (the caller recomputes). */
  jobs: PgBoss | null;
  ip?: string | null;
  /** The language of the problems (default Vietnamese). */
  lang?: Lang;
  /** What the parser already refused: listed with the other problems, and nothing is applied. */
  parsed?: Pick<UnitsImportParse, 'problems' | 'refused'>;
  /** The name the file goes by in the problems ("daklak.csv"); default none. */
  file?: string | null;
}

export async function loadExisting(sql: Queryable): Promise<ExistingUnit[]> {
  const parent = alias(units, 'parent');
  const into = alias(units, 'merged_into');
  return orm(sql)
    .select({
      id: units.id, gsoCode: units.gsoCode, name: units.name, level: units.level, type: units.type, parentId: units.parentId, parentGsoCode: parent.gsoCode,
      externalCodes: units.externalCodes, validFrom: units.validFrom, validTo: units.validTo, mergedIntoGsoCode: into.gsoCode
    })
    .from(units)
    .leftJoin(parent, eq(parent.id, units.parentId))
    .leftJoin(into, eq(into.id, units.mergedIntoId))
    .orderBy(asc(units.id));
}

/** The home unit fact, if set. */
export async function readHomeFact(sql: Queryable): Promise<string | null> {
  const [row] = await orm(sql).select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, HOME_UNIT_FACT));
  return row?.value ?? null;
}

/**
 * Before an import gives a parent to the root the overview opens on (VN above the city), with no
 * home unit set: that root — the one in force, or the first of them, as rootUnitCode reads it —
 * becomes the home unit, so the overview and the wall keep opening on it. Returns the code set, or null.
 */
export async function keepHomeBeforeNewRoot(
  sql: Queryable,
  existing: readonly { id: number; gsoCode: string; parentId: number | null; validTo: string | null }[],
  getsParent: (root: { id: number; gsoCode: string }) => boolean
): Promise<string | null> {
  const root = existing.filter((u) => u.parentId === null && u.validTo === null).sort((a, b) => a.id - b.id)[0];
  if (!root || !getsParent(root)) return null;
  if ((await readHomeFact(sql)) !== null) return null;
  await orm(sql).insert(appMeta).values({ key: HOME_UNIT_FACT, value: root.gsoCode }).onConflictDoNothing();
  return root.gsoCode;
}

/** The periods of every board kind that hold `day` (the current boards, when it is today). */
export const currentPeriods = (day: string) => BOARD_PERIOD_KINDS.map((kind) => periodOf(kind, day));

/**
 * Applies parsed rows in one transaction: checked against the stored units first (every problem,
 * together with `options.parsed`'s), and only if there is none, written; then the closure, the
 * current boards' rows of units that left them, the recompute job of the current boards (which
 * NOTIFYs the live boards when it has run), and one audit entry.
 */
export async function applyUnitsImport(sql: Sql, rows: UnitImportRow[], actor: Principal, options: ImportOptions): Promise<UnitsImportResult> {
  const day = today(options.now);
  const lang = options.lang ?? 'vi';
  const place: ProblemPlace = { lang, file: options.file ?? null, field: 'register' };
  return sql.begin(async (tx): Promise<UnitsImportResult> => {
    // Writers of units wait (readers do not): the checks below stay true until the commit. (No builder for a lock.)
    await tx`lock table units in share row exclusive mode`;
    const existing = await loadExisting(tx);
    const { problems, plan } = checkUnitsImport(rows, existing, { today: day, refused: options.parsed?.refused, ...place });
    const all = [...(options.parsed?.problems ?? []), ...problems].sort(byLine);
    if (all.length) return { ok: false, problems: all };
    if (plan.rows.length === 0) return { ok: false, problems: [problemAt(null, say(lang, 'tệp không có đơn vị nào', 'the file has no units'), place)] };

    const stored = versionsByCode(existing);
    const homeUnit = await keepHomeBeforeNewRoot(tx, existing, (root) => plan.rows.some((r) => r.gsoCode === root.gsoCode && r.parentGsoCode !== null));
    const fresh = plan.rows.filter((r) => !stored.has(r.gsoCode));
    const old = plan.rows.filter((r) => stored.has(r.gsoCode));
    const json = (c: Record<string, string> | null) => (c === null ? null : JSON.stringify(c));
    const idOf = new Map([...stored.values()].map((u) => [u.gsoCode, u.id]));
    // Set-based, with the rows as arrays (unnest): up to MAX_IMPORT_ROWS rows, past the 65,535 parameters a builder's VALUES would take.
    if (fresh.length) {
      const inserted = await insertUnits(tx, fresh);
      for (const u of inserted) idOf.set(u.code, u.id);
    }
    if (old.length) {
      await tx`
        update units u set name = t.name, level = t.level, type = t.type,
          external_codes = coalesce(t.ext, u.external_codes), valid_from = coalesce(t.vfrom, u.valid_from)
        from unnest(${tx.array(old.map((r) => idOf.get(r.gsoCode)!))}::int[], ${tx.array(old.map((r) => r.name))}::text[],
                    ${tx.array(old.map((r) => r.level))}::text[], ${tx.array(old.map((r) => r.type))}::text[],
                    ${tx.array(old.map((r) => json(r.externalCodes)))}::jsonb[], ${tx.array(old.map((r) => r.validFrom))}::date[])
          as t(id, name, level, type, ext, vfrom)
        where u.id = t.id`;
    }
    const idOrNull = (code: string | null) => (code === null ? null : (idOf.get(code) ?? null));
    await tx`
      update units u set parent_id = t.parent
      from unnest(${tx.array(plan.rows.map((r) => idOf.get(r.gsoCode)!))}::int[], ${tx.array(plan.rows.map((r) => idOrNull(r.parentGsoCode)))}::int[]) as t(id, parent)
      where u.id = t.id and u.parent_id is distinct from t.parent`;
    const merges = plan.rows.filter((r) => r.mergedInto !== null);
    let lineage = 0;
    if (merges.length) {
      const from = merges.map((r) => idOf.get(r.gsoCode)!);
      const into = merges.map((r) => idOf.get(r.mergedInto!)!);
      await tx`
        update units u set valid_to = t.vto, merged_into_id = t.target
        from unnest(${tx.array(from)}::int[], ${tx.array(into)}::int[], ${tx.array(merges.map((r) => r.validTo))}::date[]) as t(id, target, vto)
        where u.id = t.id`;
      // The merge is a lineage link too: the absorbing unit carries the merged one's figures from before, whole.
      await tx`
        delete from unit_lineage l using unnest(${tx.array(from)}::int[], ${tx.array(into)}::int[]) as t(id, target)
        where l.predecessor_id = t.id and l.successor_id <> t.target`;
      const written = await tx`
        insert into unit_lineage (predecessor_id, successor_id, note, share, estimated)
        select id, target, ${WHOLE_MERGE_NOTE}, 1, false from unnest(${tx.array(from)}::int[], ${tx.array(into)}::int[]) as t(id, target)
        on conflict (predecessor_id, successor_id) do update set note = excluded.note, share = excluded.share, estimated = excluded.estimated
          where (unit_lineage.note, unit_lineage.share, unit_lineage.estimated) is distinct from (excluded.note, excluded.share, excluded.estimated)
        returning 1`;
      lineage = written.length;
    }
    if (plan.moved.length) {
      await tx`
        update units u set parent_id = t.target
        from unnest(${tx.array(plan.moved.map((m) => idOf.get(m.code)!))}::int[], ${tx.array(plan.moved.map((m) => idOf.get(m.to)!))}::int[]) as t(id, target)
        where u.id = t.id`;
    }
    await rebuildClosure(tx);

    // Today's and this month's boards: rows of units no longer a current child of their scope go
    // (a merged unit leaves them); past boards keep theirs. Then every scope is recomputed, by a job.
    const periods = currentPeriods(day);
    await tx`
      delete from rankings r
      using unnest(${tx.array(periods.map((p) => p.kind))}::text[], ${tx.array(periods.map((p) => p.start))}::date[]) as w(kind, start)
      where r.period_kind = w.kind and r.period_start = w.start
        and not exists (select 1 from units u where u.id = r.unit_id and u.parent_id = r.scope_unit_id and u.valid_to is null)`;
    const [scheme] = await tx`select 1 from indicator_schemes where active limit 1`;
    const recompute = scheme && options.jobs ? { batch: await queueRecompute(options.jobs, tx, { periods, cause: 'units' }), periods: periods.length } : null;

    const counts: UnitsImportCounts = {
      rows: plan.rows.length,
      created: plan.created.length,
      updated: plan.updated.length,
      merged: plan.merged.length,
      unchanged: plan.unchanged.length,
      moved: plan.moved.length,
      lineage
    };
    await recordAudit(tx, {
      actor,
      action: 'import',
      entity: 'unit',
      after: { counts, created: plan.created, updated: plan.updated, merged: plan.merged, moved: plan.moved.map((m) => m.code), ...(homeUnit ? { homeUnit } : {}) },
      ip: options.ip ?? null
    });
    return { ok: true, kind: 'register', counts, created: plan.created, updated: plan.updated, merged: plan.merged, moved: plan.moved, recompute };
  }) as Promise<UnitsImportResult>;
}

/** A unit to create: imported units get no population (none is known; nothing is generated for them). */
export interface NewUnitRow {
  gsoCode: string;
  name: string;
  level: string;
  type: string;
  /** null: none */
  externalCodes: Record<string, string> | null;
  validFrom: string | null;
}

/**
 * Creates units in one statement (the rows as arrays, unnest: up to MAX_IMPORT_ROWS rows, past the
 * 65,535 parameters a builder's VALUES would take); returns each new id with its code.
 */
export async function insertUnits(tx: Sql | Queryable, rows: readonly NewUnitRow[]): Promise<{ id: number; code: string }[]> {
  const json = (c: Record<string, string> | null) => (c === null ? null : JSON.stringify(c));
  return tx<{ id: number; code: string }[]>`
    insert into units (gso_code, name, level, type, external_codes, population, population_synthetic, valid_from)
    select code, name, level, type, coalesce(ext, '{}'::jsonb), null, false, vfrom
    from unnest(${tx.array(rows.map((r) => r.gsoCode))}::text[], ${tx.array(rows.map((r) => r.name))}::text[],
                ${tx.array(rows.map((r) => r.level))}::text[], ${tx.array(rows.map((r) => r.type))}::text[],
                ${tx.array(rows.map((r) => json(r.externalCodes)))}::jsonb[], ${tx.array(rows.map((r) => r.validFrom))}::date[])
      as t(code, name, level, type, ext, vfrom)
    returning id, gso_code as code`;
}

/** Parse, check and apply a CSV text: every problem (the file's and the database's) or the counts. */
export async function importUnitsCsv(sql: Sql, text: string, actor: Principal, options: Omit<ImportOptions, 'parsed'>): Promise<UnitsImportResult> {
  const parsed = parseUnitsImport(text, { lang: options.lang, file: options.file ?? null, field: 'register' });
  // A file too large, without a header … has no rows worth checking against the database.
  if (parsed.rows.length === 0 && parsed.problems.length) return { ok: false, problems: parsed.problems };
  return applyUnitsImport(sql, parsed.rows, actor, { ...options, parsed });
}

/**
 * An uploaded file as text: size and encoding checked before it is read as CSV; `label` names the
 * field in a problem ("file: tệp trống").
 */
export async function readUploadedCsv(file: unknown, label: string, lang: Lang = 'vi', field?: UnitsImportField): Promise<{ text: string; name: string | null } | { problem: UnitsImportProblem }> {
  const refuse = (message: string) => ({ problem: { line: null, message: `${label}: ${message}`, ...(field ? { field } : {}) } });
  // A form's file input left empty sends a file with no name and no bytes.
  if (!(file instanceof File) || (file.size === 0 && file.name === '')) return refuse(say(lang, 'chọn một tệp .csv', 'choose a .csv file'));
  if (file.size === 0) return refuse(say(lang, 'tệp trống', 'the file is empty'));
  if (file.size > UNITS_IMPORT_MAX_BYTES) return refuse(tooHeavy(file.size, lang));
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(await file.arrayBuffer()), name: file.name || null };
  } catch {
    return refuse(say(lang, 'tệp không phải văn bản UTF-8 (hãy lưu dưới dạng "CSV UTF-8")', 'the file is not UTF-8 text (save it as "CSV UTF-8")'));
  }
}

/** An uploaded file (form field `file`): size and encoding checked before it is read as CSV. */
export async function importUnitsFile(sql: Sql, file: unknown, actor: Principal, options: Omit<ImportOptions, 'parsed'>): Promise<UnitsImportResult> {
  const read = await readUploadedCsv(file, 'file', options.lang);
  if ('problem' in read) return { ok: false, problems: [read.problem] };
  return importUnitsCsv(sql, read.text, actor, { ...options, file: options.file ?? read.name });
}

export interface UnitsSummary {
  /** Units per level: in force, and ended (merged, or replaced by a reform). */
  levels: { level: string; current: number; merged: number }[];
  mergedCount: number;
  roots: { code: string; name: string; level: string }[];
  /** The home unit fact, when it names a unit in force. */
  home: { code: string; name: string } | null;
  /** Lineage links stored (which unit went into which). */
  lineageCount: number;
  /** Ended units, the most recent first, with what they went into (a legacy merge's unit, or the lineage's successors). */
  merged: {
    id: number; code: string; name: string; level: string; intoCode: string | null; intoName: string | null; since: string | null;
    successors: { code: string; name: string; note: string }[];
  }[];
}

/** The admin page's summary: units per level, the roots, and the ended units (most recent first). */
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
  const [home] = await db
    .select({ code: units.gsoCode, name: units.name })
    .from(appMeta)
    .innerJoin(units, and(eq(units.gsoCode, appMeta.value), isNull(units.validTo)))
    .where(eq(appMeta.key, HOME_UNIT_FACT));
  const [lineage] = await sql<{ n: number }[]>`select count(*)::int as n from unit_lineage`;
  // The successors of each ended unit, as the lineage holds them (a legacy merge is one of them).
  const merged = await sql<UnitsSummary['merged']>`
    select u.id, u.gso_code as code, u.name, u.level, x.gso_code as "intoCode", x.name as "intoName", to_char(u.valid_to, 'YYYY-MM-DD') as since,
           coalesce((select json_agg(json_build_object('code', s.gso_code, 'name', s.name, 'note', l.note) order by s.gso_code)
                     from unit_lineage l join units s on s.id = l.successor_id where l.predecessor_id = u.id), '[]'::json) as successors
    from units u left join units x on x.id = u.merged_into_id
    where u.valid_to is not null
    order by u.valid_to desc, u.gso_code
    limit ${limit}`;
  const mergedCount = levels.reduce((s, l) => s + l.merged, 0);
  return { levels, mergedCount, roots, home: home ?? null, lineageCount: lineage!.n, merged: [...merged] };
}
