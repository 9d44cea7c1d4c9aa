/**
 * The wall's board of any size, legible at 5 m: 126 rows cannot fit one 1080p screen at 24 px and
 * more, so the board scene shows pages one after another, each of one group (a city's communes,
 * then its departments, ranked each on its own), in two columns of at most `maxRowsPerColumn` rows
 * (a small group: one column), pages of a group balanced (126 communes: 4 pages of 32 and 31). A
 * group with long names (a department's "Ban Quản lý các khu công nghệ cao và khu công nghiệp thành
 * phố", 62 characters) takes the whole width: one column of up to MAX_ROWS_ONE_COLUMN rows.
 *
 * Each page stays for the dwell time shared among the pages, never less than MIN_PAGE_SECONDS: the
 * scene then lasts longer than the dwell time (5 pages at a 20 s dwell: 50 s), so that a person at
 * 5 m has time to find a name on every page. Pure: the timing is unit-tested; the page drives it.
 */
import type { Board, BoardGroup, BoardRow } from '#domain/board';

/** A page of the board is up at least this long: time to find one's own name from across the room. */
export const MIN_PAGE_SECONDS = 10;
/** Rows in one column of a page (1080p: rows of about 50 px, text of 24–25 px). */
export const MAX_ROWS_PER_COLUMN = 16;
/** A name longer than this does not fit half the width at 24 px beside its rank, total and band. */
export const WIDE_NAME_CHARS = 32;
/** Rows of a page of one column (1080p: rows of 41 px at the 24 px floor). */
export const MAX_ROWS_ONE_COLUMN = 20;

export interface WallBoardPage {
  group: BoardGroup;
  /** The group's place in Board.groups (0: the largest). */
  groupIndex: number;
  /** The page's rows, by rank, in columns read top to bottom, left to right. */
  columns: BoardRow[][];
  rowsPerColumn: number;
  /** 1-based among all the scene's pages. */
  page: number;
  pages: number;
  /** The best and worst rank on the page (null: none ranked), and how many on it are not ranked. */
  firstRank: number | null;
  lastRank: number | null;
  unranked: number;
}

export function wallBoardPages(board: Pick<Board, 'groups' | 'rows'>, maxRowsPerColumn = MAX_ROWS_PER_COLUMN, maxColumns = 2): WallBoardPage[] {
  const out: Omit<WallBoardPage, 'pages'>[] = [];
  board.groups.forEach((group, groupIndex) => {
    const rows = board.rows.filter((r) => r.unitLevel === group.level);
    if (!rows.length) return;
    const wide = Math.max(...rows.map((r) => r.unitName.length)) > WIDE_NAME_CHARS;
    const columnsMax = wide ? 1 : maxColumns;
    const rowsMax = wide ? Math.max(maxRowsPerColumn, MAX_ROWS_ONE_COLUMN) : maxRowsPerColumn;
    const perPage = rowsMax * columnsMax;
    const count = Math.ceil(rows.length / perPage);
    // Balanced: 126 rows on 4 pages are 32, 32, 31, 31.
    const base = Math.floor(rows.length / count);
    const extra = rows.length % count;
    let start = 0;
    for (let p = 0; p < count; p++) {
      const pageRows = rows.slice(start, (start += base + (p < extra ? 1 : 0)));
      const columns = pageRows.length > rowsMax ? columnsMax : 1;
      const rowsPerColumn = Math.ceil(pageRows.length / columns);
      const ranks = pageRows.flatMap((r) => (r.rank === null ? [] : [r.rank]));
      out.push({
        group, groupIndex, rowsPerColumn, page: out.length + 1,
        columns: Array.from({ length: columns }, (_, c) => pageRows.slice(c * rowsPerColumn, (c + 1) * rowsPerColumn)),
        firstRank: ranks.length ? Math.min(...ranks) : null,
        lastRank: ranks.length ? Math.max(...ranks) : null,
        unranked: pageRows.length - ranks.length
      });
    }
  });
  return out.map((p) => ({ ...p, pages: out.length }));
}

/** How long the board scene stays: the dwell time, or longer when its pages need it. */
export function boardSceneSeconds(pages: number, dwellSeconds: number): number {
  return pages <= 1 ? dwellSeconds : Math.max(dwellSeconds, pages * MIN_PAGE_SECONDS);
}

/**
 * The page showing `elapsedMs` into the scene, and how far into it: the scene's time shared equally
 * among the pages; a pinned scene (`sceneMs` Infinity) turns its pages every MIN_PAGE_SECONDS … the
 * dwell time shared, round and round.
 */
export function pageAt(pages: number, sceneSeconds: number, elapsedMs: number): { index: number; elapsedMs: number; durationMs: number } {
  if (pages <= 1) return { index: 0, elapsedMs, durationMs: sceneSeconds * 1000 };
  const durationMs = (sceneSeconds * 1000) / pages;
  const n = Math.floor(Math.max(0, elapsedMs) / durationMs);
  return { index: n % pages, elapsedMs: Math.max(0, elapsedMs) - n * durationMs, durationMs };
}
