/**
 * The reform import's pure half (no I/O): the merge table read and checked line by line, and the
 * plan of what a register with its merge table does to the stored units from the day it takes
 * effect. units-reform.ts writes the plan; docs/units.md states the rules, which are these:
 *
 *  - D is the day the register takes effect; the units it replaces end on D−1.
 *  - Ending on D−1 (units in force on D−1 and still open): every stored unit the merge table names
 *    as an old unit (old_gso_code, found under old_province_code); every stored unit of an
 *    administrative level (country, province, district, commune) below a province the register
 *    lists that is not itself a unit of the register ("the register replaces the map below each
 *    province it lists"; a city's departments and other levels of the installation's own are kept);
 *    and the old districts and provinces the merge table names (old_district_code,
 *    old_province_code) that the register no longer lists.
 *  - A register row whose code is held by a unit that ends becomes a NEW unit from D (Xã Thanh Oai,
 *    10114, is a new row; Thị trấn Kim Bài keeps its row, samples, parent and ends on 30/06/2025).
 *    A row whose code is held by a unit that continues (a province, VN) updates that unit in place.
 *    A row of a code not held is created: from D when it sits below a province of the register,
 *    open (no start) for the country and the provinces themselves, which continue through a reform.
 *  - Lineage: lineageShares() (src/lib/domain/lineage.ts) over every merge row whose old unit is
 *    stored. A merge row whose old unit is not stored (another province) is skipped and counted; a
 *    row without old_gso_code names its old district when that district had no communes of its own
 *    in the table (an island district made a special zone), else an area that is no unit (skipped).
 *  - Problems, each with its file and line: a new_gso_code neither in the register nor a unit in
 *    force; an old unit found under another province; an old unit that ended after D−1; a unit that
 *    would stay in force under one that ends; and the register's own (parents, cycles, codes).
 * The same files twice plan nothing: the old units ended on D−1 are no longer open, the new units
 * (from D) are the register's units and continue, the lineage is the same.
 */
import { lineageShares, type LineageShare } from '#domain/lineage';
import { addDays } from '#domain/periods';
import { UNIT_CODE_PATTERN } from '#contract/dto';
import { UNITS_IMPORT_MAX_BYTES } from '../limits.ts';
import {
  byLine, csvRecords, cycleProblem, externalCodeProblems, findCycles, notACode, problemAt, sameCodes, say, shownDay, tooHeavy,
  type Lang, type ProblemPlace, type UnitImportRow, type UnitsImportProblem
} from './units.ts';

export const MERGE_COLUMNS = ['new_gso_code', 'new_name', 'old_gso_code', 'old_name', 'old_district_code', 'old_province_code', 'note'] as const;
type MergeColumn = (typeof MERGE_COLUMNS)[number];
/** The national table has 10,571 rows. */
export const MAX_MERGE_ROWS = 50_000;
/** Levels of the administrative map a register replaces below its provinces; other levels (a city's departments) are the installation's own. */
export const ADMINISTRATIVE_LEVELS: ReadonlySet<string> = new Set(['country', 'province', 'district', 'commune']);

export interface MergeRow {
  line: number;
  newCode: string;
  newName: string;
  /** null: the row names no commune (an island district made a special zone, or an area). */
  oldCode: string | null;
  oldName: string;
  oldDistrictCode: string | null;
  oldProvinceCode: string;
  /** The register's words: Nhập toàn bộ, Nhập một phần, Giữ nguyên … */
  note: string;
}

const count = (n: number, lang: Lang) => n.toLocaleString(lang === 'en' ? 'en-US' : 'vi-VN');

/** Reads the merge table (new_gso_code,new_name,old_gso_code,old_name,old_district_code,old_province_code,note; any column order). */
export function parseMergeTable(text: string, place: ProblemPlace = {}): { rows: MergeRow[]; problems: UnitsImportProblem[] } {
  const lang = place.lang ?? 'vi';
  const where: ProblemPlace = { lang, file: place.file ?? null, field: 'merges' };
  const at = (line: number | null, reason: string) => problemAt(line, reason, where);
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > UNITS_IMPORT_MAX_BYTES) return { rows: [], problems: [at(null, tooHeavy(bytes, lang))] };
  const { records, problem } = csvRecords(text, where);
  if (problem) return { rows: [], problems: [problem] };
  const nonBlank = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = nonBlank.shift();
  const expected = MERGE_COLUMNS.join(',');
  if (!header) return { rows: [], problems: [at(null, say(lang, `tệp trống: dòng đầu phải là dòng tiêu đề ${expected}`, `the file is empty: the first line must be the header ${expected}`))] };

  const problems: UnitsImportProblem[] = [];
  const index = new Map<MergeColumn, number>();
  header.cells.forEach((cell, i) => {
    const name = cell.trim().toLowerCase();
    if (name === '') problems.push(at(header.line, say(lang, `cột ${i + 1} của dòng tiêu đề không có tên: dòng tiêu đề phải là ${expected}`, `column ${i + 1} of the header has no name: the header must be ${expected}`)));
    else if (!(MERGE_COLUMNS as readonly string[]).includes(name)) problems.push(at(header.line, say(lang, `không có cột "${cell.trim()}": dòng tiêu đề phải là ${expected}`, `there is no column "${cell.trim()}": the header must be ${expected}`)));
    else if (index.has(name as MergeColumn)) problems.push(at(header.line, say(lang, `cột ${name} xuất hiện hai lần trong dòng tiêu đề`, `column ${name} appears twice in the header`)));
    else index.set(name as MergeColumn, i);
  });
  const missing = MERGE_COLUMNS.filter((c) => !index.has(c));
  if (missing.length) problems.push(at(header.line, say(lang, `dòng tiêu đề thiếu ${missing.join(', ')}: phải là ${expected}`, `the header lacks ${missing.join(', ')}: it must be ${expected}`)));
  if (problems.length) return { rows: [], problems };
  if (nonBlank.length === 0) return { rows: [], problems: [at(null, say(lang, 'tệp có dòng tiêu đề nhưng không có dòng sáp nhập nào', 'the file has a header but no merge rows'))] };
  if (nonBlank.length > MAX_MERGE_ROWS) {
    return { rows: [], problems: [at(null, say(lang, `tệp có ${count(nonBlank.length, lang)} dòng; tối đa ${count(MAX_MERGE_ROWS, lang)}`, `the file has ${count(nonBlank.length, lang)} rows; at most ${count(MAX_MERGE_ROWS, lang)}`))] };
  }

  const rows: MergeRow[] = [];
  const pairs = new Map<string, number>();
  for (const { line, cells } of nonBlank) {
    if (cells.length !== header.cells.length) {
      problems.push(at(line, say(lang, `dòng có ${cells.length} ô, dòng tiêu đề có ${header.cells.length}`, `the line has ${cells.length} cells, the header ${header.cells.length}`)));
      continue;
    }
    const cell = (c: MergeColumn) => cells[index.get(c)!]!.trim();
    const bad: string[] = [];
    const code = (c: MergeColumn, required: boolean): string | null => {
      const v = cell(c);
      if (!v) {
        if (required) bad.push(say(lang, `${c} để trống`, `${c} is empty`));
        return null;
      }
      if (!UNIT_CODE_PATTERN.test(v)) {
        bad.push(notACode(lang, c, v));
        return null;
      }
      return v;
    };
    const newCode = code('new_gso_code', true);
    const oldCode = code('old_gso_code', false);
    const oldDistrictCode = code('old_district_code', false);
    const oldProvinceCode = code('old_province_code', true);
    const note = cell('note');
    if (!note) bad.push(say(lang, 'note để trống: ghi cách đơn vị cũ vào đơn vị mới (Nhập toàn bộ, Nhập một phần …)', 'note is empty: say how the old unit went into the new one (Nhập toàn bộ, Nhập một phần …)'));
    if (!cell('old_gso_code') && !cell('old_district_code')) {
      bad.push(say(lang, 'old_gso_code và old_district_code đều trống: dòng không nói đơn vị cũ nào', 'old_gso_code and old_district_code are both empty: the row names no old unit'));
    }
    if (bad.length) {
      for (const reason of bad) problems.push(at(line, reason));
      continue;
    }
    const pair = `${oldProvinceCode}|${oldCode ?? `huyện ${oldDistrictCode}`}|${newCode}`;
    const first = pairs.get(pair);
    if (first !== undefined) {
      const old = oldCode ?? oldDistrictCode;
      problems.push(at(line, say(lang, `cặp ${old} → ${newCode} đã có ở dòng ${first}`, `the pair ${old} → ${newCode} is already on line ${first}`)));
      continue;
    }
    pairs.set(pair, line);
    rows.push({ line, newCode: newCode!, newName: cell('new_name'), oldCode, oldName: cell('old_name'), oldDistrictCode, oldProvinceCode: oldProvinceCode!, note });
  }
  return { rows, problems };
}

/** A stored unit as the reform plan needs it. */
export interface StoredUnit {
  id: number;
  gsoCode: string;
  name: string;
  level: string;
  type: string;
  parentId: number | null;
  externalCodes: Record<string, string>;
  validFrom: string | null;
  validTo: string | null;
}

/** A register row as it will be written: a new unit, or the unit it updates. */
export interface PlannedRow extends UnitImportRow {
  /** The stored unit it updates in place (a unit that continues); null: a new unit. */
  id: number | null;
  /** A new unit's first day: D, or null (the country and the provinces, which continue through a reform). */
  startsOn: string | null;
  /** A new unit that keeps the code of a unit ending on D−1. */
  newVersion: boolean;
  /** A unit that continues and changes (name, level, type, codes or parent). */
  changed: boolean;
}

export interface PlannedLink extends LineageShare {
  predecessorId: number;
  /** The merge table's line. */
  line: number;
}

export interface ReformPlan {
  effectiveFrom: string;
  endedOn: string;
  rows: PlannedRow[];
  /** Stored units in force that end on D−1. */
  ending: StoredUnit[];
  links: PlannedLink[];
  /** The old units the merge table names that this installation holds (their lineage is replaced by the table's). */
  predecessors: number[];
  skipped: { rows: number; provinces: Record<string, number>; notAUnit: number[] };
  alreadyEnded: number;
}

export interface ReformPlanOptions {
  effectiveFrom: string;
  lang?: Lang;
  /** The names the two files go by in the problems. */
  registerFile?: string | null;
  mergesFile?: string | null;
  /** Codes of register lines the parser refused (code → line). */
  refused?: ReadonlyMap<string, number>;
  /** The stored lineage (predecessor → successor): an old unit that is the successor of this table's old units is this table's new unit. */
  lineage?: readonly { predecessorId: number; successorId: number }[];
}

/** Plans a reform import (pure): every problem, and what changes. */
export function planReform(
  register: readonly UnitImportRow[],
  merges: readonly MergeRow[],
  stored: readonly StoredUnit[],
  options: ReformPlanOptions
): { problems: UnitsImportProblem[]; plan: ReformPlan } {
  const lang = options.lang ?? 'vi';
  const D = options.effectiveFrom;
  const endOn = addDays(D, -1);
  const registerPlace: ProblemPlace = { lang, file: options.registerFile ?? null, field: 'register' };
  const mergesPlace: ProblemPlace = { lang, file: options.mergesFile ?? null, field: 'merges' };
  const inRegisterFile = say(lang, `danh mục${options.registerFile ? ` ${options.registerFile}` : ''}`, `the register${options.registerFile ? ` ${options.registerFile}` : ''}`);
  const problems: UnitsImportProblem[] = [];
  const registerProblem = (line: number | null, reason: string) => problems.push(problemAt(line, reason, registerPlace));
  const mergeProblem = (line: number, reason: string) => problems.push(problemAt(line, reason, mergesPlace));
  const refused = options.refused ?? new Map<string, number>();

  const byId = new Map(stored.map((u) => [u.id, u]));
  const open = new Map<string, StoredUnit>(); // code → the unit in force (one per code: the partial unique index)
  const onEve = new Map<string, StoredUnit[]>(); // code → units whose days include D−1
  const childrenOf = new Map<number, StoredUnit[]>(); // open units by parent
  for (const u of stored) {
    if (u.validTo === null) {
      open.set(u.gsoCode, u);
      if (u.parentId !== null) childrenOf.set(u.parentId, [...(childrenOf.get(u.parentId) ?? []), u]);
    }
    if ((u.validFrom === null || u.validFrom <= endOn) && (u.validTo === null || u.validTo >= endOn)) onEve.set(u.gsoCode, [...(onEve.get(u.gsoCode) ?? []), u]);
  }
  const ancestorCodes = (u: StoredUnit): { codes: Set<string>; provinces: string[] } => {
    const codes = new Set<string>();
    const provinces: string[] = [];
    let p = u.parentId === null ? undefined : byId.get(u.parentId);
    for (let steps = 0; p && steps < 16; steps++, p = p.parentId === null ? undefined : byId.get(p.parentId)) {
      codes.add(p.gsoCode);
      if (p.level === 'province') provinces.push(p.gsoCode);
    }
    return { codes, provinces };
  };
  /** The unit of `code` on the eve under `province` (or with no province above it); 'elsewhere' when every holder sits under another province. */
  const onEveUnder = (code: string, province: string, level?: string): StoredUnit | 'elsewhere' | null => {
    const held = (onEve.get(code) ?? []).filter((u) => !level || u.level === level);
    if (!held.length) return null;
    const fit = held.find((u) => {
      const a = ancestorCodes(u);
      return u.gsoCode === province || a.codes.has(province) || a.provinces.length === 0;
    });
    return fit ?? 'elsewhere';
  };
  const inRegister = new Map(register.map((r) => [r.gsoCode, r]));
  const predecessorsOf = new Map<number, number[]>();
  for (const l of options.lineage ?? []) predecessorsOf.set(l.successorId, [...(predecessorsOf.get(l.successorId) ?? []), l.predecessorId]);
  const oldCodes = new Set(merges.map((m) => m.oldCode).filter((c): c is string => c !== null));
  /** A unit this table made: a successor of units the table names as old (the table imported before, from another day). */
  const madeByThisTable = (u: StoredUnit) => (predecessorsOf.get(u.id) ?? []).some((p) => p !== u.id && oldCodes.has(byId.get(p)?.gsoCode ?? ''));

  // 1. The old unit of each merge row.
  const districtsWithCommunes = new Set(merges.filter((m) => m.oldCode !== null).map((m) => `${m.oldProvinceCode}|${m.oldDistrictCode}`));
  const found: { row: MergeRow; unit: StoredUnit }[] = [];
  const skipped: ReformPlan['skipped'] = { rows: 0, provinces: {}, notAUnit: [] };
  const named = new Map<number, StoredUnit>();
  for (const m of merges) {
    let unit: StoredUnit | 'elsewhere' | null;
    if (m.oldCode !== null) unit = onEveUnder(m.oldCode, m.oldProvinceCode);
    else if (districtsWithCommunes.has(`${m.oldProvinceCode}|${m.oldDistrictCode}`)) {
      // An area of a district that has communes in the table (e.g. a coastal flat): no unit of its own.
      skipped.notAUnit.push(m.line);
      continue;
    } else unit = onEveUnder(m.oldDistrictCode!, m.oldProvinceCode);
    const oldCode = m.oldCode ?? m.oldDistrictCode!;
    if (unit === null) {
      skipped.rows++;
      skipped.provinces[m.oldProvinceCode] = (skipped.provinces[m.oldProvinceCode] ?? 0) + 1;
      continue;
    }
    if (unit === 'elsewhere') {
      mergeProblem(m.line, say(lang, `old_gso_code ${oldCode} có trong dữ liệu nhưng không thuộc tỉnh ${m.oldProvinceCode} (old_province_code)`, `old_gso_code ${oldCode} is stored, but not under province ${m.oldProvinceCode} (old_province_code)`));
      continue;
    }
    if (unit.validFrom !== null && madeByThisTable(unit)) {
      mergeProblem(m.line, say(
        lang,
        `${oldCode} là ${unit.name}, đơn vị mới của chính bảng sáp nhập này (có hiệu lực từ ${shownDay(unit.validFrom)}): bảng đã được nhập với ngày hiệu lực ${shownDay(unit.validFrom)}, hãy dùng đúng ngày đó`,
        `${oldCode} is ${unit.name}, a new unit of this very merge table (in force from ${shownDay(unit.validFrom)}): the table was imported in force from ${shownDay(unit.validFrom)}; use that day`
      ));
      continue;
    }
    if (unit.validTo !== null && unit.validTo !== endOn) {
      mergeProblem(m.line, say(
        lang,
        `${oldCode} (${unit.name}) đã kết thúc ngày ${shownDay(unit.validTo)}, sau ngày ${shownDay(endOn)}: không thể cho nó kết thúc trước hiệu lực ${shownDay(D)}`,
        `${oldCode} (${unit.name}) ended on ${shownDay(unit.validTo)}, after ${shownDay(endOn)}: it cannot end before the register takes effect on ${shownDay(D)}`
      ));
      continue;
    }
    named.set(unit.id, unit);
    found.push({ row: m, unit });
  }

  // 2. The units that end on D−1.
  const ending = new Map<number, StoredUnit>();
  const startedBefore = (u: StoredUnit) => u.validFrom === null || u.validFrom <= endOn;
  for (const u of named.values()) if (u.validTo === null) ending.set(u.id, u);
  for (const r of register) {
    if (r.level !== 'province') continue;
    const province = open.get(r.gsoCode);
    if (!province) continue;
    const stack = [...(childrenOf.get(province.id) ?? [])];
    while (stack.length) {
      const c = stack.pop()!;
      if (!ADMINISTRATIVE_LEVELS.has(c.level)) continue; // a department: the installation's own, kept with its subtree
      if (!inRegister.has(c.gsoCode) && startedBefore(c)) ending.set(c.id, c);
      stack.push(...(childrenOf.get(c.id) ?? []));
    }
  }
  for (const m of merges) {
    const candidates: { code: string; level: string }[] = [{ code: m.oldProvinceCode, level: 'province' }];
    if (m.oldDistrictCode) candidates.push({ code: m.oldDistrictCode, level: 'district' });
    for (const c of candidates) {
      if (inRegister.has(c.code)) continue;
      const u = c.level === 'province' ? open.get(c.code) : onEveUnder(c.code, m.oldProvinceCode, 'district');
      if (u && u !== 'elsewhere' && u.validTo === null && u.level === c.level && startedBefore(u)) ending.set(u.id, u);
    }
  }
  const continues = (code: string): StoredUnit | null => {
    const u = open.get(code);
    return u && !ending.has(u.id) ? u : null;
  };

  // 3. The new unit of each merge row: in the register, or a unit in force that continues.
  for (const m of merges) {
    if (inRegister.has(m.newCode) || continues(m.newCode)) continue;
    mergeProblem(m.line, say(
      lang,
      `new_gso_code ${m.newCode}${m.newName ? ` (${m.newName})` : ''} không có trong ${inRegisterFile} và không phải đơn vị đang hiệu lực`,
      `new_gso_code ${m.newCode}${m.newName ? ` (${m.newName})` : ''} is neither in ${inRegisterFile} nor a unit in force`
    ));
  }

  // 4. The register's rows: a unit that continues, or a new one; their parents.
  const aboveProvinces = new Set<string>(); // the provinces the register lists and what is above them: open from the start
  for (const r of register) {
    if (r.level !== 'province') continue;
    for (let c: string | null = r.gsoCode, steps = 0; c && steps < 16 && !aboveProvinces.has(c); steps++) {
      aboveProvinces.add(c);
      c = inRegister.get(c)?.parentGsoCode ?? null;
    }
  }
  const missing = (code: string) =>
    refused.has(code)
      ? say(lang, `parent_gso_code ${code} nằm ở dòng ${refused.get(code)}, dòng đó bị từ chối`, `parent_gso_code ${code} is on line ${refused.get(code)}, which is refused`)
      : say(lang, `parent_gso_code ${code} không tồn tại`, `parent_gso_code ${code} does not exist`);
  const rows: PlannedRow[] = [];
  for (const r of register) {
    const p = r.parentGsoCode;
    if (p !== null && !inRegister.has(p) && !continues(p)) {
      const gone = open.get(p);
      registerProblem(r.line, gone
        ? say(lang, `parent_gso_code ${p} (${gone.name}) kết thúc ngày ${shownDay(endOn)}: hãy đặt đơn vị dưới một đơn vị của danh mục`, `parent_gso_code ${p} (${gone.name}) ends on ${shownDay(endOn)}: put the unit under a unit of the register`)
        : missing(p));
    }
    const s = continues(r.gsoCode);
    if (s) {
      if (s.validFrom !== null && s.validFrom > D) {
        registerProblem(r.line, say(lang, `${r.gsoCode} (${s.name}) có hiệu lực từ ${shownDay(s.validFrom)}, sau ngày ${shownDay(D)}`, `${r.gsoCode} (${s.name}) is in force from ${shownDay(s.validFrom)}, after ${shownDay(D)}`));
      }
      const parentNow = p === null ? null : (continues(p)?.id ?? -1); // -1: a unit created by this import
      const changed = s.name !== r.name || s.level !== r.level || s.type !== r.type || s.parentId !== parentNow ||
        (r.externalCodes !== null && !sameCodes(s.externalCodes, r.externalCodes));
      rows.push({ ...r, id: s.id, startsOn: s.validFrom, newVersion: false, changed });
    } else {
      const version = open.has(r.gsoCode);
      rows.push({ ...r, id: null, startsOn: version || !aboveProvinces.has(r.gsoCode) ? D : null, newVersion: version, changed: true });
    }
  }
  // No cycle among the units in force from D.
  const parent = new Map<string, string | null>();
  for (const u of open.values()) if (!ending.has(u.id)) parent.set(u.gsoCode, u.parentId === null ? null : (byId.get(u.parentId)?.gsoCode ?? null));
  for (const r of register) parent.set(r.gsoCode, r.parentGsoCode);
  for (const cycle of findCycles(inRegister.keys(), parent)) problems.push(cycleProblem(cycle, (code) => inRegister.get(code)?.line ?? null, registerPlace));

  // 5. A unit that stays in force must not sit under one that ends.
  for (const u of open.values()) {
    if (ending.has(u.id) || inRegister.has(u.gsoCode) || u.parentId === null) continue;
    const p = ending.get(u.parentId);
    if (!p) continue;
    registerProblem(null, say(
      lang,
      `${u.gsoCode} (${u.name}) vẫn hiệu lực nhưng đơn vị cấp trên ${p.gsoCode} (${p.name}) kết thúc ngày ${shownDay(endOn)}: hãy ghi ${u.gsoCode} vào danh mục với đơn vị cấp trên mới, hoặc vào bảng sáp nhập`,
      `${u.gsoCode} (${u.name}) stays in force but its parent ${p.gsoCode} (${p.name}) ends on ${shownDay(endOn)}: list ${u.gsoCode} in the register under its new parent, or in the merge table`
    ));
  }

  // 6. An external code names one unit in force.
  const holders = new Map<string, { code: string; line: number | null }[]>();
  const hold = (pair: string, h: { code: string; line: number | null }) => holders.set(pair, [...(holders.get(pair) ?? []), h]);
  for (const u of open.values()) {
    if (ending.has(u.id) || (inRegister.has(u.gsoCode) && inRegister.get(u.gsoCode)!.externalCodes !== null)) continue;
    for (const [system, code] of Object.entries(u.externalCodes)) hold(`${system}=${code}`, { code: u.gsoCode, line: null });
  }
  for (const r of register) for (const [system, code] of Object.entries(r.externalCodes ?? {})) hold(`${system}=${code}`, { code: r.gsoCode, line: r.line });
  problems.push(...externalCodeProblems(holders, registerPlace));

  // 7. The lineage: the shares of each stored old unit among the new units it went into.
  const shares = lineageShares(found.map(({ row, unit }) => ({ oldCode: String(unit.id), newCode: row.newCode, note: row.note })));
  const lineOf = new Map(found.map(({ row, unit }) => [`${unit.id}|${row.newCode}`, row.line]));
  const links: PlannedLink[] = shares.map((s) => ({ ...s, predecessorId: Number(s.oldCode), line: lineOf.get(`${s.oldCode}|${s.newCode}`)! }));

  const alreadyEnded = [...named.values()].filter((u) => u.validTo === endOn).length;
  return {
    problems: problems.sort((a, b) => (a.field === b.field ? 0 : a.field === 'register' ? -1 : 1) || byLine(a, b)),
    plan: { effectiveFrom: D, endedOn: endOn, rows, ending: [...ending.values()], links, predecessors: [...named.keys()], skipped, alreadyEnded }
  };
}
