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

export const HANOI_CSV = fileURLToPath(new URL('../../../../db/seed/data/hanoi.csv', import.meta.url));

/** Parses the register's CSV (no quoted commas occur in it); names the line of a bad row. */
export function parseUnitsCsv(text: string): UnitRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift()?.split(',').map((h) => h.trim());
  const expected = ['gso_code', 'name', 'level', 'type', 'parent_gso_code'];
  if (!header || expected.some((h, i) => header[i] !== h)) {
    throw new Error(`units CSV header must be ${expected.join(',')}, got ${header?.join(',')}`);
  }
  return lines.map((line, i) => {
    const [gsoCode, name, level, type, parent] = line.split(',').map((c) => c.trim());
    if (!gsoCode || !name || !level || !type) throw new Error(`units CSV line ${i + 2}: missing a field in "${line}"`);
    return { gsoCode, name, level, type, parentGsoCode: parent || null };
  });
}

export function loadUnitsCsv(file = HANOI_CSV): UnitRow[] {
  return parseUnitsCsv(readFileSync(file, 'utf8'));
}

/** Hà Nội's districts on a tile map: one square per district, roughly where it lies (north up). */
export const HANOI_TILES_CSV = fileURLToPath(new URL('../../../../db/seed/data/hanoi-tiles.csv', import.meta.url));

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
