import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A row of the GSO register layout: code, name, level, type, parent code. */
export interface UnitRow {
  gsoCode: string;
  name: string;
  level: string;
  type: string;
  parentGsoCode: string | null;
}

const data = (name: string) => fileURLToPath(new URL(`../../../../db/seed/data/${name}`, import.meta.url));

/** Hà Nội before the two-tier reform (register of 01/03/2025): the city, 30 districts, 526 communes. */
export const HANOI_CSV = data('hanoi.csv');
/** The whole country since 1 July 2025 (VN, 34 provinces, 3,321 communes), as the statistics office ships it. */
export const VIETNAM_2025_CSV = data('vietnam-2025.csv');
/** Which pre-reform commune went into which new one, whole or in part (10,571 rows), as shipped. */
export const MERGE_2025_CSV = data('merge-2025.csv');
/** The city's departments (sở, ban, ngành), with codes of the installation's own (db/seed/data/README.md). */
export const HANOI_DEPARTMENTS_CSV = data('hanoi-departments.csv');

/**
 * RFC 4180 records (quoted fields may hold commas, doubled quotes and line breaks); blank lines
 * dropped. Each record with the line it starts on. An unterminated quote names its line.
 */
export function csvRecords(text: string, file = 'CSV'): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let quoteLine = 0;
  const end = () => {
    cells.push(field);
    if (!(cells.length === 1 && cells[0]!.trim() === '')) out.push({ line: start, cells });
    cells = [];
    field = '';
  };
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === ',') {
      cells.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      end();
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) throw new Error(`${file} line ${quoteLine}: a quoted field is never closed`);
  if (field !== '' || cells.length) end();
  return out;
}

/** The records under a header that must be exactly `expected`; names the file and line of a short row. */
function table(text: string, expected: readonly string[], file: string): { line: number; cells: string[] }[] {
  const [header, ...rows] = csvRecords(text, file);
  const got = header?.cells.map((h) => h.trim());
  if (!got || expected.some((h, i) => got[i] !== h)) throw new Error(`${file}: the header must be ${expected.join(',')}, got ${got?.join(',')}`);
  for (const r of rows) {
    if (r.cells.length < expected.length) throw new Error(`${file} line ${r.line}: expected ${expected.length} fields, got ${r.cells.length}`);
  }
  return rows.map((r) => ({ line: r.line, cells: r.cells.map((c) => c.trim()) }));
}

const UNIT_COLUMNS = ['gso_code', 'name', 'level', 'type', 'parent_gso_code'] as const;

/** Parses the register's CSV (gso_code,name,level,type,parent_gso_code); names the line of a bad row. */
export function parseUnitsCsv(text: string, file = 'units CSV'): UnitRow[] {
  return table(text, UNIT_COLUMNS, file).map(({ line, cells }) => {
    const [gsoCode, name, level, type, parent] = cells;
    if (!gsoCode || !name || !level || !type) throw new Error(`${file} line ${line}: missing a field in "${cells.join(',')}"`);
    return { gsoCode, name, level, type, parentGsoCode: parent || null };
  });
}

export function loadUnitsCsv(file = HANOI_CSV): UnitRow[] {
  return parseUnitsCsv(readFileSync(file, 'utf8'), file);
}

/** One row of merge-2025.csv: an old commune (of an old district and province) into a new commune; oldCode '' when a whole district went in. */
export interface MergeRow {
  newCode: string;
  newName: string;
  oldCode: string;
  oldName: string;
  oldDistrictCode: string;
  oldProvinceCode: string;
  /** The register's own words (Nhập toàn bộ, Nhập một phần …). */
  note: string;
}

const MERGE_COLUMNS = ['new_gso_code', 'new_name', 'old_gso_code', 'old_name', 'old_district_code', 'old_province_code', 'note'] as const;

export function parseMergeCsv(text: string, file = 'merge CSV'): MergeRow[] {
  return table(text, MERGE_COLUMNS, file).map(({ line, cells }) => {
    const [newCode, newName, oldCode, oldName, oldDistrictCode, oldProvinceCode, note] = cells as [string, string, string, string, string, string, string];
    // A district made whole into a special zone has no old commune (Đặc khu Bạch Long Vĩ): oldCode ''.
    if (!newCode || !oldProvinceCode || !note) throw new Error(`${file} line ${line}: missing a field in "${cells.join(',')}"`);
    return { newCode, newName, oldCode, oldName, oldDistrictCode, oldProvinceCode, note };
  });
}

export function loadMergeCsv(file = MERGE_2025_CSV): MergeRow[] {
  return parseMergeCsv(readFileSync(file, 'utf8'), file);
}

/** Hà Nội's districts on a tile map: one square per district, roughly where it lies (north up). */
export const HANOI_TILES_CSV = data('hanoi-tiles.csv');
/** Hà Nội's 126 communes since 1 July 2025 on a tile map (generated by db/seed/tiles-2025.ts). */
export const HANOI_2025_TILES_CSV = data('hanoi-2025-tiles.csv');

export interface TileRow {
  gsoCode: string;
  col: number;
  row: number;
}

/** `gso_code,col,row`; names the line of a bad row. */
export function loadTilesCsv(file = HANOI_TILES_CSV): TileRow[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.shift()?.trim() !== 'gso_code,col,row') throw new Error(`${file}: the header must be gso_code,col,row`);
  return lines.map((line, i) => {
    const [gsoCode, col, row] = line.split(',').map((c) => c.trim());
    if (!gsoCode || !/^\d+$/.test(col ?? '') || !/^\d+$/.test(row ?? '')) throw new Error(`${file} line ${i + 2}: expected code,col,row in "${line}"`);
    return { gsoCode, col: Number(col), row: Number(row) };
  });
}
