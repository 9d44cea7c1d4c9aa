/**
 * A board of any size as a person browses it: its groups (ranked each on its own: a city's communes
 * 1…126, its departments 1…n), filtered by kind (a group, or one register type within it), searched
 * by name (accents ignored) or code, sorted on rank, name, total or one indicator, and cut into pages.
 * Pure: the overview and the unit page keep the whole board live and show one view of it, so a live
 * update reaches a row on any page; the view is a URL (`viewFromParams` / `viewParams`).
 */
import type { Board, BoardGroup, BoardRow } from './board.ts';

/** Rows a page shows: a 2024 city's 30 districts fit on one; 126 communes take five. */
export const PAGE_SIZE = 30;

export type SortDir = 'asc' | 'desc';

export interface BoardView {
  /** A group's level (Board.groups[].level); null: every group. */
  group: string | null;
  /** One register type within the group (Phường, Xã …); null: every type. */
  type: string | null;
  /** Search text: part of a name (accents and case ignored) or the start of a code. */
  q: string;
  /** rank | name | total | an indicator key */
  sort: string;
  dir: SortDir;
  /** 1-based. */
  page: number;
}

export const DEFAULT_VIEW: BoardView = { group: null, type: null, q: '', sort: 'rank', dir: 'asc', page: 1 };

/** The URL parameters of a view, so every view is a link: `kind`, `type`, `q`, `sort`, `dir`, `page`. */
export const VIEW_PARAMS = ['kind', 'type', 'q', 'sort', 'dir', 'page'] as const;

/** The direction a sort starts in: names A→Z, ranks 1→n, totals and indicators best first. */
export function defaultDir(sort: string): SortDir {
  return sort === 'rank' || sort === 'name' ? 'asc' : 'desc';
}

/**
 * The view a URL asks for; anything the board does not know (a group it has not, an indicator of
 * another scheme, a page past the end) falls back to the default, never an error: an old link still opens.
 */
export function viewFromParams(params: URLSearchParams, board: Pick<Board, 'groups' | 'indicators' | 'rows'>): BoardView {
  const groupParam = params.get('kind');
  const group = board.groups.find((g) => g.level === groupParam) ?? null;
  const typeParam = params.get('type');
  const type = group && typeParam && group.types.includes(typeParam) ? typeParam : null;
  const sortParam = params.get('sort') ?? 'rank';
  const sort = ['rank', 'name', 'total'].includes(sortParam) || board.indicators.some((i) => i.key === sortParam) ? sortParam : 'rank';
  const dirParam = params.get('dir');
  const dir: SortDir = dirParam === 'asc' || dirParam === 'desc' ? dirParam : defaultDir(sort);
  const q = (params.get('q') ?? '').slice(0, 100);
  const pageParam = Number(params.get('page') ?? '1');
  const view: BoardView = { group: group?.level ?? null, type, q, sort, dir, page: Number.isInteger(pageParam) && pageParam >= 1 ? pageParam : 1 };
  return { ...view, page: Math.min(view.page, pageCount(filterRows(board.rows, view).length)) };
}

/** The view as URL parameters, defaults left out. */
export function viewParams(view: BoardView): [string, string][] {
  const out: [string, string][] = [];
  if (view.group) out.push(['kind', view.group]);
  if (view.group && view.type) out.push(['type', view.type]);
  if (view.q.trim()) out.push(['q', view.q.trim()]);
  if (view.sort !== 'rank') out.push(['sort', view.sort]);
  if (view.dir !== defaultDir(view.sort)) out.push(['dir', view.dir]);
  if (view.page > 1) out.push(['page', String(view.page)]);
  return out;
}

/** Lower case without accents, đ as d, spaces collapsed: "Xã Thanh Oai" and "xa thanh oai" meet. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A row a search finds: every word in its name (accents ignored), or its code starting with the text. */
export function matchesSearch(row: Pick<BoardRow, 'unitName' | 'unitCode'>, q: string): boolean {
  const text = foldText(q);
  if (!text) return true;
  if (row.unitCode.startsWith(q.trim())) return true;
  const name = foldText(row.unitName);
  return text.split(' ').every((word) => name.includes(word));
}

export function filterRows<R extends Pick<BoardRow, 'unitLevel' | 'unitType' | 'unitName' | 'unitCode'>>(rows: readonly R[], view: Pick<BoardView, 'group' | 'type' | 'q'>): R[] {
  return rows.filter((r) => (!view.group || r.unitLevel === view.group) && (!view.type || r.unitType === view.type) && matchesSearch(r, view.q));
}

const collator = new Intl.Collator('vi');

/** A sortable value; null sorts last in either direction. */
function keyOf(row: BoardRow, sort: string): number | string | null {
  if (sort === 'rank') return row.rank;
  if (sort === 'name') return row.unitName;
  if (sort === 'total') return row.total;
  return row.indicators[sort]?.ratio ?? null;
}

/** Rows of one group in the view's order; ties and the unranked by rank, then name. */
export function sortRows(rows: readonly BoardRow[], sort: string, dir: SortDir): BoardRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const byRank = (a: BoardRow, b: BoardRow) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || collator.compare(a.unitName, b.unitName);
  return [...rows].sort((a, b) => {
    const x = keyOf(a, sort);
    const y = keyOf(b, sort);
    if (x === null || y === null) return x === y ? byRank(a, b) : x === null ? 1 : -1;
    const c = typeof x === 'string' ? collator.compare(x, y as string) : x - (y as number);
    // An indicator tied on its ratio: the one with more points (then the better rank) first.
    return sign * c || (sort.includes('.') ? (b.indicators[sort]?.points ?? 0) - (a.indicators[sort]?.points ?? 0) : 0) || byRank(a, b);
  });
}

export const pageCount = (rows: number) => Math.max(1, Math.ceil(rows / PAGE_SIZE));

export interface ViewSection {
  group: BoardGroup;
  /** The group's rows on this page. */
  rows: BoardRow[];
  /** The group began on an earlier page ("tiếp"). */
  continued: boolean;
  /** How many of the group's rows the filter and search keep (on every page). */
  matching: number;
}

export interface ViewPage {
  sections: ViewSection[];
  page: number;
  pages: number;
  /** Rows the filter and search keep, over every page. */
  matching: number;
  /** 1-based positions of this page's first and last row among the matching ones (0 when none). */
  from: number;
  to: number;
  /** Unit code → page, for every matching row: where a row that changed live can be found. */
  pageOf: Map<string, number>;
}

/**
 * One page of the view: the matching rows, each group in Board.groups' order under its own heading,
 * sorted within the group, then cut into pages of PAGE_SIZE (a group continues across pages).
 */
export function viewPage(board: Pick<Board, 'groups' | 'rows'>, view: BoardView): ViewPage {
  const kept = filterRows(board.rows, view);
  const ordered: { group: BoardGroup; rows: BoardRow[] }[] = board.groups.map((g) => ({ group: g, rows: sortRows(kept.filter((r) => r.unitLevel === g.level), view.sort, view.dir) }));
  // A row of a level Board.groups does not name (an older payload): its own group at the end.
  const stray = kept.filter((r) => !board.groups.some((g) => g.level === r.unitLevel));
  if (stray.length) ordered.push({ group: { level: stray[0]!.unitLevel ?? '', types: [...new Set(stray.map((r) => r.unitType))], count: stray.length }, rows: sortRows(stray, view.sort, view.dir) });
  const flat = ordered.flatMap((o) => o.rows.map((row) => ({ row, group: o.group })));
  const pages = pageCount(flat.length);
  const page = Math.min(Math.max(1, view.page), pages);
  const start = (page - 1) * PAGE_SIZE;
  const slice = flat.slice(start, start + PAGE_SIZE);
  const sections: ViewSection[] = [];
  for (const [i, item] of slice.entries()) {
    const last = sections.at(-1);
    if (last && last.group.level === item.group.level) last.rows.push(item.row);
    else {
      const continued = i === 0 && start > 0 && flat[start - 1]!.group.level === item.group.level;
      sections.push({ group: item.group, rows: [item.row], continued, matching: ordered.find((o) => o.group.level === item.group.level)!.rows.length });
    }
  }
  const pageOf = new Map(flat.map((f, i) => [f.row.unitCode, Math.floor(i / PAGE_SIZE) + 1]));
  return { sections, page, pages, matching: flat.length, from: slice.length ? start + 1 : 0, to: start + slice.length, pageOf };
}

export type SiblingItem = { kind: 'row'; row: BoardRow; self: boolean } | { kind: 'gap'; count: number };

/**
 * A unit among its siblings without the whole list: the first and the last of its group, and
 * `around` rows above and below it (by rank, the unranked last), the rows left out as counted gaps.
 * Null when the unit is not on the board.
 */
export function siblingWindow(board: Pick<Board, 'rows'>, unitCode: string, around = 3): SiblingItem[] | null {
  const self = board.rows.find((r) => r.unitCode === unitCode);
  if (!self) return null;
  const rows = sortRows(board.rows.filter((r) => r.unitLevel === self.unitLevel), 'rank', 'asc');
  const at = rows.indexOf(self);
  const keep = new Set([0, rows.length - 1]);
  for (let i = at - around; i <= at + around; i++) if (i >= 0 && i < rows.length) keep.add(i);
  const out: SiblingItem[] = [];
  let skipped = 0;
  rows.forEach((row, i) => {
    if (!keep.has(i)) {
      skipped++;
      return;
    }
    if (skipped) out.push({ kind: 'gap', count: skipped });
    skipped = 0;
    out.push({ kind: 'row', row, self: row === self });
  });
  return out;
}

/** The group a row is ranked in, and how many of it are ranked ("hạng 12/126"). */
export function groupOf(board: Pick<Board, 'groups' | 'rows'>, unitCode: string): { group: BoardGroup; ranked: number } | null {
  const row = board.rows.find((r) => r.unitCode === unitCode);
  if (!row) return null;
  const group = board.groups.find((g) => g.level === row.unitLevel) ?? { level: row.unitLevel, types: [row.unitType], count: 0 };
  const same = board.rows.filter((r) => r.unitLevel === row.unitLevel);
  return { group: { ...group, count: group.count || same.length }, ranked: same.filter((r) => r.rank !== null).length };
}
