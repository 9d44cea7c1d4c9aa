/**
 * What a board of a scheme with published scores (the national 766 index) ranks on: the portal's
 * published group scores by default — the ranks the province is judged by — or, on request, the
 * product's own re-computation from the same counts. Pure: the server re-ranks a stored board for
 * the `recomputed` basis with it; the stored rows are ranked on the published one.
 */
import type { GroupValue, IndicatorValue, NotRanked } from './board.ts';
import { competitionRanks } from './ranking.ts';

export type Basis = 'published' | 'recomputed';

export interface RankableRow {
  unitLevel: string;
  rank: number | null;
  total: number | null;
  totalRecomputed: number | null;
  notRanked: NotRanked | null;
  groups: Record<string, GroupValue>;
  indicators: Record<string, IndicatorValue>;
}

/**
 * The rows ranked on our re-computed totals and group points, each level on its own (as stored
 * boards are). A row without a re-computed total (a count the portal did not give) is not ranked,
 * naming the indicators without counts.
 */
export function rankOnRecomputed<T extends RankableRow>(rows: readonly T[], publishedOnly: ReadonlySet<string> = new Set()): T[] {
  const out = rows.map((r) => ({ ...r, groups: Object.fromEntries(Object.entries(r.groups).map(([k, g]) => [k, { ...g }])) }));
  for (const level of new Set(out.map((r) => r.unitLevel))) {
    const group = out.filter((r) => r.unitLevel === level);
    const ranks = competitionRanks(group, (r) => r.totalRecomputed);
    for (const r of group) {
      r.total = r.totalRecomputed;
      r.rank = ranks.get(r) ?? null;
      if (r.notRanked?.code === 'not_computed') continue;
      r.notRanked =
        r.total !== null
          ? null
          : { code: 'no_data', indicators: Object.entries(r.indicators).filter(([k, v]) => v.numerator === null && !publishedOnly.has(k)).map(([k]) => k) };
    }
    for (const key of new Set(group.flatMap((r) => Object.keys(r.groups)))) {
      const gr = competitionRanks(group, (r) => r.groups[key]?.points ?? null);
      for (const r of group) if (r.groups[key]) r.groups[key]!.rank = gr.get(r) ?? null;
    }
  }
  return out;
}
