import { describe, expect, it } from 'vitest';
import { cityBoard } from '#domain/board-view.fixtures';
import { wallMapLayout, wallMapPages } from './map-pages.ts';

describe('the wall’s map pages (issue 16: names and ranks at 24 px on 1080p)', () => {
  it('shows a city of 14 × 9 tiles as its west half and its east half, every commune once, the departments off the map', () => {
    const layout = wallMapLayout(cityBoard());
    expect([layout.cols, layout.rows, layout.geographic]).toEqual([14, 9, true]);
    expect(layout.offMap.map((g) => g.level)).toEqual(['department']);
    const pages = wallMapPages(layout);
    expect(pages.map((p) => [p.page, p.pages, p.cols, p.rows, p.cells.length, p.side])).toEqual([
      [1, 2, 7, 9, 63, 'phía tây'],
      [2, 2, 7, 9, 63, 'phía đông']
    ]);
    const shown = pages.flatMap((p) => p.cells.map((c) => c.row.unitCode));
    expect(new Set(shown).size).toBe(126);
    // Each page starts at its own first column: the east half's tiles fill the scene from the left.
    expect(Math.min(...pages[1]!.cells.map((c) => c.col))).toBe(0);
  });

  it('keeps a small map on one page, naming no side, and leaves out a page\'s empty edges', () => {
    const board = cityBoard();
    const few = { ...board, rows: board.rows.filter((r) => r.unitLevel === 'commune' && r.tile!.col >= 2 && r.tile!.col < 6 && r.tile!.row >= 3) };
    const pages = wallMapPages(wallMapLayout(few));
    expect(pages.map((p) => [p.cols, p.rows, p.cells.length, p.side])).toEqual([[4, 6, 24, null]]);
  });

  it('cuts a tall layout in north and south too, and a grid by code names no side', () => {
    const layout = { cols: 14, rows: 20, geographic: true, cells: cityBoard().rows.filter((r) => r.tile).map((r, i) => ({ row: r, col: i % 14, line: Math.floor(i / 7) % 20 })) };
    expect(wallMapPages(layout).map((p) => p.side)).toEqual(['phía tây bắc', 'phía đông bắc', 'phía tây nam', 'phía đông nam']);
    const noPlaces = { ...cityBoard(), rows: cityBoard().rows.map((r) => ({ ...r, tile: null })) };
    const grid = wallMapLayout(noPlaces);
    expect(grid.geographic).toBe(false);
    expect(wallMapPages(grid).every((p) => p.side === null && p.cols <= 7)).toBe(true);
  });
});
