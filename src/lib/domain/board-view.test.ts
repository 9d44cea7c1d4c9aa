import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, foldText, groupOf, matchesSearch, PAGE_SIZE, siblingWindow, sortRows, viewFromParams, viewPage, viewParams, type BoardView } from './board-view.ts';
import { cityBoard, row } from './board-view.fixtures.ts';

const board = cityBoard();
const view = (over: Partial<BoardView> = {}): BoardView => ({ ...DEFAULT_VIEW, ...over });
const codes = (rows: { unitCode: string }[]) => rows.map((r) => r.unitCode);

describe('search', () => {
  it('ignores accents, case and đ, and finds a code by its start', () => {
    expect(foldText('  Xã  Thanh Oai ')).toBe('xa thanh oai');
    expect(foldText('Phường Đống Đa')).toBe('phuong dong da');
    expect(matchesSearch({ unitName: 'Xã Thanh Oai', unitCode: '10114' }, 'thanh oai')).toBe(true);
    expect(matchesSearch({ unitName: 'Xã Thanh Oai', unitCode: '10114' }, 'XA THANH')).toBe(true);
    expect(matchesSearch({ unitName: 'Xã Thanh Oai', unitCode: '10114' }, 'oai thanh')).toBe(true);
    expect(matchesSearch({ unitName: 'Phường Đống Đa', unitCode: '00235' }, 'dong da')).toBe(true);
    expect(matchesSearch({ unitName: 'Xã Thanh Oai', unitCode: '10114' }, '1011')).toBe(true);
    expect(matchesSearch({ unitName: 'Xã Thanh Oai', unitCode: '10114' }, '0114')).toBe(false);
    expect(matchesSearch({ unitName: 'Xã Thanh Oai', unitCode: '10114' }, 'thanh xuan')).toBe(false);
  });
});

describe('a page of the view', () => {
  it('shows the groups in order, each under its own heading, 30 rows a page, a group continuing across pages', () => {
    const first = viewPage(board, view());
    expect(first.pages).toBe(Math.ceil(140 / PAGE_SIZE));
    expect(first.matching).toBe(140);
    expect(first.sections).toHaveLength(1);
    expect(first.sections[0]!.group.level).toBe('commune');
    expect(first.sections[0]!.rows.map((r) => r.rank)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect([first.from, first.to]).toEqual([1, 30]);

    const second = viewPage(board, view({ page: 2 }));
    expect(second.sections[0]!.continued).toBe(true);
    expect(second.sections[0]!.rows[0]!.rank).toBe(31);

    // The last page: the end of the communes (two unranked last), then the departments, ranked 1…14 on their own.
    const last = viewPage(board, view({ page: 5 }));
    expect(last.sections.map((s) => [s.group.level, s.rows.length, s.continued])).toEqual([['commune', 6, true], ['department', 14, false]]);
    expect(last.sections[0]!.rows.slice(-2).map((r) => r.rank)).toEqual([null, null]);
    expect(last.sections[1]!.rows.map((r) => r.rank)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect([last.from, last.to]).toEqual([121, 140]);
  });

  it('knows the page of every matching row, so a live change can say where it is', () => {
    const p = viewPage(board, view());
    expect(p.pageOf.get(board.rows[0]!.unitCode)).toBe(1);
    expect(p.pageOf.get(board.rows[95]!.unitCode)).toBe(4);
    expect(p.pageOf.get('S14')).toBe(5);
  });

  it('filters by a group or by one type in it', () => {
    const departments = viewPage(board, view({ group: 'department' }));
    expect(departments.matching).toBe(14);
    expect(departments.sections.map((s) => s.group.level)).toEqual(['department']);
    const wards = viewPage(board, view({ group: 'commune', type: 'Phường' }));
    expect(wards.sections[0]!.rows.every((r) => r.unitType === 'Phường')).toBe(true);
    expect(wards.matching).toBe(board.rows.filter((r) => r.unitType === 'Phường').length);
    expect(wards.sections[0]!.matching).toBe(wards.matching);
  });

  it('searches across groups', () => {
    const p = viewPage(board, view({ q: 'y te' }));
    expect(p.sections.map((s) => s.group.level)).toEqual(['department']);
    expect(p.sections[0]!.rows.map((r) => r.unitName)).toEqual(['Sở Y tế', 'Sở Y tế 2']);
    expect(viewPage(board, view({ q: 'văn miếu' })).matching).toBe(12);
    expect(viewPage(board, view({ q: 'nothing like it' })).sections).toEqual([]);
  });

  it('sorts within each group by name, total or an indicator, the unranked and the unreported last', () => {
    const byName = viewPage(board, view({ sort: 'name', group: 'department' })).sections[0]!.rows.map((r) => r.unitName);
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b, 'vi')));
    expect(byName[0]).toBe('Ban Công Thương 2');
    const byTotal = sortRows(board.rows.filter((r) => r.unitLevel === 'commune'), 'total', 'asc');
    expect(byTotal[0]!.rank).toBe(124);
    expect(byTotal.slice(-2).map((r) => r.total)).toEqual([null, null]);
    const byIndicator = sortRows(board.rows.filter((r) => r.unitLevel === 'commune'), 'dossier.on_time', 'desc');
    expect(byIndicator.slice(0, 3).map((r) => r.indicators['dossier.on_time']!.ratio)).toEqual([1, 1, 1]);
    expect(byIndicator.at(-1)!.indicators['dossier.on_time']).toBeUndefined();
  });
});

describe('the view as a URL', () => {
  it('round-trips and leaves the defaults out', () => {
    const v = view({ group: 'commune', type: 'Xã', q: 'thanh', sort: 'total', dir: 'asc', page: 2 });
    const params = new URLSearchParams(viewParams(v));
    expect(params.toString()).toBe('kind=commune&type=X%C3%A3&q=thanh&sort=total&dir=asc&page=2');
    expect(viewFromParams(params, board)).toEqual({ ...v, page: 1 }); // 'thanh' on Xã matches fewer than a page
    expect(viewParams(DEFAULT_VIEW)).toEqual([]);
    expect(viewParams(view({ sort: 'total', dir: 'desc' }))).toEqual([['sort', 'total']]);
  });

  it('falls back to the default for what the board does not know, never an error', () => {
    const v = viewFromParams(new URLSearchParams('kind=district&type=Quận&sort=no.such&dir=up&page=99'), board);
    expect(v).toEqual({ ...DEFAULT_VIEW, page: 5 });
    expect(viewFromParams(new URLSearchParams('kind=commune&type=Sở&page=-1'), board)).toEqual({ ...DEFAULT_VIEW, group: 'commune' });
  });
});

describe('a unit among its siblings', () => {
  it('shows the top, three above, the unit, three below and the bottom, with the gaps counted', () => {
    const w = siblingWindow(board, board.rows[59]!.unitCode)!;
    const shape = w.map((i) => (i.kind === 'gap' ? `…${i.count}` : `${i.row.rank ?? '—'}${i.self ? '*' : ''}`));
    expect(shape).toEqual(['1', '…55', '57', '58', '59', '60*', '61', '62', '63', '…62', '—']);
  });

  it('stays within the unit’s own group, and near the top needs no gap', () => {
    const w = siblingWindow(board, 'S02')!;
    expect(w.map((i) => (i.kind === 'gap' ? `…${i.count}` : i.row.unitCode))).toEqual(['S01', 'S02', 'S03', 'S04', 'S05', '…8', 'S14']);
    expect(siblingWindow(board, 'nope')).toBeNull();
  });

  it('counts the ranked of the unit’s group', () => {
    expect(groupOf(board, board.rows[0]!.unitCode)).toMatchObject({ group: { level: 'commune', count: 126 }, ranked: 124 });
    expect(groupOf(board, 'S01')).toMatchObject({ group: { level: 'department' }, ranked: 14 });
  });

  it('a small board is all there', () => {
    const small = { rows: [row({ unitCode: 'a', unitName: 'A', rank: 1 }), row({ unitCode: 'b', unitName: 'B', rank: 2 })] };
    expect(codes(siblingWindow(small, 'b')!.flatMap((i) => (i.kind === 'row' ? [i.row] : [])))).toEqual(['a', 'b']);
  });
});
