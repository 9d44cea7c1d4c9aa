/**
 * Why a unit moved on the 766 total since the previous period of the same kind (issue 13, item 6):
 * the places, the total's change, and per group the change in points with the sub-indicators that
 * gained or lost them. Groups on the board's basis (the portal's published scores by default, ours on
 * request); sub-indicators always ours (the portal publishes a group's score, its parts only as counts).
 * Pure: the unit page calls it with its row in this period's board and in the previous one.
 */
import type { Board, BoardRow, IndicatorMeta, SchemeGroupMeta } from '#domain/board';

export interface PartMove {
  meta: IndicatorMeta;
  now: number | null;
  before: number | null;
  /** now − before, two decimals (moves of at least 0,01 only). */
  delta: number;
}

export interface GroupMove {
  group: SchemeGroupMeta;
  now: number | null;
  before: number | null;
  /** null without both */
  delta: number | null;
  /** The sub-indicators that moved, biggest move first. */
  parts: PartMove[];
}

export interface Movement {
  /** Places gained (+) or lost (−) in its group of units; null without both ranks. */
  places: number | null;
  rank: number | null;
  previousRank: number | null;
  total: number | null;
  previousTotal: number | null;
  totalDelta: number | null;
  /** Every group, the biggest move first (groups that did not move last, in the scheme's order). */
  groups: GroupMove[];
}

const r2 = (v: number) => Math.round(v * 100) / 100;
const delta = (now: number | null, before: number | null) => (now === null || before === null ? null : r2(now - before));

/** The group's points on the basis (the published score by default; a published-only group's either way). */
function groupPoints(row: BoardRow | null, group: SchemeGroupMeta, basis: Board['basis']): number | null {
  const v = row?.groups[group.key];
  if (!v) return null;
  if (basis === 'recomputed' || basis === null) return v.points;
  return group.publishedOnly ? (v.published ?? v.points) : v.published;
}

export function movement766(board: Pick<Board, 'schemeGroups' | 'indicators' | 'basis'>, row: BoardRow, previous: BoardRow | null): Movement {
  const groups = board.schemeGroups.map((group, order) => {
    const now = groupPoints(row, group, board.basis);
    const before = groupPoints(previous, group, board.basis);
    const parts: PartMove[] = [];
    for (const meta of board.indicators.filter((i) => i.group === group.key)) {
      const a = row.indicators[meta.key]?.points ?? null;
      const b = previous?.indicators[meta.key]?.points ?? null;
      const d = delta(a, b);
      if (d !== null && Math.abs(d) >= 0.01) parts.push({ meta, now: a, before: b, delta: d });
    }
    parts.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.meta.key.localeCompare(y.meta.key));
    return { move: { group, now, before, delta: delta(now, before), parts }, order };
  });
  groups.sort((a, b) => Math.abs(b.move.delta ?? 0) - Math.abs(a.move.delta ?? 0) || a.order - b.order);
  const rank = row.rank;
  const previousRank = previous?.rank ?? null;
  return {
    places: rank !== null && previousRank !== null ? previousRank - rank : null,
    rank,
    previousRank,
    total: row.total,
    previousTotal: previous?.total ?? null,
    totalDelta: delta(row.total, previous?.total ?? null),
    groups: groups.map((g) => g.move)
  };
}
