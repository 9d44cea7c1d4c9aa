/**
 * Generates db/seed/data/hanoi-2025-tiles.csv: Hà Nội's 126 communes since 1 July 2025 on a tile
 * map of GRID.cols × GRID.rows squares, each roughly where it lies. Run once, by hand, when the
 * register changes (the output is committed; the seed only reads it):
 *
 *   npx tsx db/seed/tiles-2025.ts
 *
 * How: the 30 old districts already have a place (hanoi-tiles.csv, 8 × 8, north up). A new commune
 * aims at the centre of its predecessors' districts (weighted by the lineage shares), scaled onto
 * the larger grid; the communes are then placed one by one, those aiming nearest the middle first,
 * each on the free square nearest its aim. Inner wards so form the middle and the outer communes
 * keep their side of the city. Deterministic: the same files give the same layout.
 */
import { writeFileSync } from 'node:fs';
import { hanoiRegister } from '../../src/lib/server/seed/hanoi-2025.ts';
import { HANOI_2025_TILES_CSV, loadTilesCsv } from '../../src/lib/server/seed/units-csv.ts';

export const GRID = { cols: 14, rows: 12 } as const;

export interface Placed {
  code: string;
  name: string;
  col: number;
  row: number;
}

export function layout(): Placed[] {
  const reg = hanoiRegister();
  const districtTiles = loadTilesCsv();
  const oldCols = Math.max(...districtTiles.map((t) => t.col)) + 1;
  const oldRows = Math.max(...districtTiles.map((t) => t.row)) + 1;
  const districtAt = new Map(districtTiles.map((t) => [t.gsoCode, {
    x: ((t.col + 0.5) * GRID.cols) / oldCols - 0.5,
    y: ((t.row + 0.5) * GRID.rows) / oldRows - 0.5
  }]));
  const districtOf = new Map(reg.before.filter((u) => u.level === 'commune').map((u) => [u.gsoCode, u.parentGsoCode!]));
  const aims = reg.communes.map((c) => {
    let x = 0, y = 0, w = 0;
    for (const l of reg.lineage.filter((l) => l.newCode === c.gsoCode)) {
      const at = districtAt.get(districtOf.get(l.oldCode)!);
      if (!at) throw new Error(`no tile for the district of ${l.oldCode}`);
      const weight = Math.max(l.share, 0.05); // a part that took none of the figures still says where the land is
      x += at.x * weight;
      y += at.y * weight;
      w += weight;
    }
    return { code: c.gsoCode, name: c.name, x: x / w, y: y / w };
  });
  const mid = { x: aims.reduce((s, a) => s + a.x, 0) / aims.length, y: aims.reduce((s, a) => s + a.y, 0) / aims.length };
  const dist = (ax: number, ay: number, bx: number, by: number) => Math.hypot(ax - bx, ay - by);
  aims.sort((a, b) => dist(a.x, a.y, mid.x, mid.y) - dist(b.x, b.y, mid.x, mid.y) || a.code.localeCompare(b.code));
  const taken = new Set<string>();
  const placed: Placed[] = [];
  for (const a of aims) {
    let best: { col: number; row: number; d: number } | null = null;
    for (let row = 0; row < GRID.rows; row++) {
      for (let col = 0; col < GRID.cols; col++) {
        if (taken.has(`${col},${row}`)) continue;
        const d = dist(col, row, a.x, a.y);
        if (!best || d < best.d - 1e-9) best = { col, row, d };
      }
    }
    if (!best) throw new Error(`the ${GRID.cols} × ${GRID.rows} grid is full`);
    taken.add(`${best.col},${best.row}`);
    placed.push({ code: a.code, name: a.name, col: best.col, row: best.row });
  }
  return placed.sort((a, b) => a.row - b.row || a.col - b.col);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const placed = layout();
  writeFileSync(HANOI_2025_TILES_CSV, ['gso_code,col,row', ...placed.map((p) => `${p.code},${p.col},${p.row}`)].join('\n') + '\n');
  // A picture of the result, to look at before committing it.
  for (let row = 0; row < GRID.rows; row++) {
    let line = '';
    for (let col = 0; col < GRID.cols; col++) {
      const p = placed.find((x) => x.col === col && x.row === row);
      line += p ? p.name.replace(/^(Phường|Xã) /, '').slice(0, 7).padEnd(8) : '.'.padEnd(8);
    }
    console.log(line);
  }
  console.log(`${placed.length} communes written to ${HANOI_2025_TILES_CSV}`);
}
