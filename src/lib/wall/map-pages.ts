/**
 * The wall's tile map, legible at 5 m (issue 16): 126 named tiles on one 1080p screen are 130 × 70 px
 * each, too small for a name and its rank at 24 px. So the map scene shows the city in pages of at
 * most MAX_COLUMNS columns and MAX_ROWS rows of the layout — Hà Nội's 14 × 12 tiles as its west half
 * and its east half, each tile 260 × 68 px — one after another like the board's pages, with the
 * legend counting the whole city. Which half is shown is said in words ("phía tây · trang 1/2").
 *
 * The layout is the board's own: the groups with a place on the map (units.tile_col/tile_row), or,
 * without one, the largest group as a grid by code (src/lib/components/TileMap.svelte does the same
 * on the overview). Pure: the paging is unit-tested; the page times it with board-pages.ts.
 */
import type { Board, BoardGroup, BoardRow } from '#domain/board';

/** Columns of the layout on one page: a tile of 1/7 of 1920 px holds a 17-letter name at 24 px. */
export const MAX_COLUMNS = 7;
/** Rows of the layout on one page: a tile of 68 px holds two lines at 24 px. */
export const MAX_ROWS = 12;

export interface WallMapCell {
  row: BoardRow;
  /** Column and row on the page (0-based). */
  col: number;
  line: number;
}

export interface WallMapLayout {
  cols: number;
  rows: number;
  cells: { row: BoardRow; col: number; line: number }[];
  /** True: the units' own places (a map); false: a grid by code (no side of the city to name). */
  geographic: boolean;
  /** The groups on the map, and the ones with no place on it (a city's departments). */
  onMap: BoardGroup[];
  offMap: BoardGroup[];
}

export interface WallMapPage {
  cols: number;
  rows: number;
  cells: WallMapCell[];
  /** 1-based, of `pages`. */
  page: number;
  pages: number;
  /** Where the page lies in the city, in words ("phía tây"), or null (one page, or no geography). */
  side: string | null;
}

export function wallMapLayout(board: Pick<Board, 'groups' | 'rows'>): WallMapLayout {
  const placed = board.groups.filter((g) => board.rows.some((r) => r.unitLevel === g.level && r.tile !== null));
  const onMap = placed.length ? placed : board.groups.slice(0, 1);
  const offMap = board.groups.filter((g) => !onMap.includes(g));
  const rows = board.rows.filter((r) => onMap.some((g) => g.level === r.unitLevel));
  if (rows.length && rows.every((r) => r.tile !== null)) {
    return {
      cols: Math.max(...rows.map((r) => r.tile!.col)) + 1,
      rows: Math.max(...rows.map((r) => r.tile!.row)) + 1,
      cells: rows.map((r) => ({ row: r, col: r.tile!.col, line: r.tile!.row })),
      geographic: true, onMap, offMap
    };
  }
  // No stored layout (a district's communes, or units added since): a grid in code order.
  const sorted = [...rows].sort((a, b) => a.unitCode.localeCompare(b.unitCode));
  const cols = Math.max(1, Math.ceil(Math.sqrt(sorted.length * 1.5)));
  return {
    cols, rows: Math.max(1, Math.ceil(sorted.length / cols)),
    cells: sorted.map((r, i) => ({ row: r, col: i % cols, line: Math.floor(i / cols) })),
    geographic: false, onMap, offMap
  };
}

const WEST_EAST = ['phía tây', 'phía đông'];
const WEST_MID_EAST = ['phía tây', 'ở giữa', 'phía đông'];
const NORTH_SOUTH = ['phía bắc', 'phía nam'];

/**
 * The layout cut into bands of equal width (at most `maxCols` columns) and of equal height (at most
 * `maxRows` rows); on each page the empty rows and columns at its edges are left out, so its tiles
 * take the whole scene. A band with no tile is no page.
 */
export function wallMapPages(layout: Pick<WallMapLayout, 'cols' | 'rows' | 'cells' | 'geographic'>, maxCols = MAX_COLUMNS, maxRows = MAX_ROWS): WallMapPage[] {
  const colBands = Math.max(1, Math.ceil(layout.cols / maxCols));
  const rowBands = Math.max(1, Math.ceil(layout.rows / maxRows));
  const width = Math.ceil(layout.cols / colBands);
  const height = Math.ceil(layout.rows / rowBands);
  const out: Omit<WallMapPage, 'pages'>[] = [];
  for (let rb = 0; rb < rowBands; rb++) {
    for (let cb = 0; cb < colBands; cb++) {
      const inBand = layout.cells.filter((c) => Math.floor(c.col / width) === cb && Math.floor(c.line / height) === rb);
      if (!inBand.length) continue;
      const c0 = Math.min(...inBand.map((c) => c.col));
      const r0 = Math.min(...inBand.map((c) => c.line));
      const cells = inBand.map((c) => ({ row: c.row, col: c.col - c0, line: c.line - r0 }));
      out.push({
        cols: Math.max(...cells.map((c) => c.col)) + 1,
        rows: Math.max(...cells.map((c) => c.line)) + 1,
        cells, page: out.length + 1,
        side: layout.geographic ? sideOf(cb, colBands, rb, rowBands) : null
      });
    }
  }
  return out.map((p) => ({ ...p, pages: out.length, side: out.length > 1 ? p.side : null }));
}

function sideOf(cb: number, colBands: number, rb: number, rowBands: number): string | null {
  const we = colBands === 2 ? WEST_EAST[cb]! : colBands === 3 ? WEST_MID_EAST[cb]! : null;
  const ns = rowBands === 2 ? NORTH_SOUTH[rb]! : null;
  if (colBands === 1) return ns;
  if (rowBands === 1) return we;
  // A quarter: "phía tây bắc" (north-west); a middle band or more bands have no such word.
  return colBands === 2 && ns ? `phía ${we!.replace('phía ', '')} ${ns.replace('phía ', '')}` : null;
}
