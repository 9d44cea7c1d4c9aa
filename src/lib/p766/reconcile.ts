/**
 * The product's score of a 766 group beside the portal's published one (issue 13, item 5): equal
 * when both show the same points to two decimals (no tolerance: 6,65 against 6,66 is a difference of
 * 0,01 and shown as such), else the difference `ours − published` with the counts behind it (the
 * group's sub-indicators: numerator, denominator, points). Pure: the board's cells, the unit page and
 * the admin report (src/lib/server/reconciliation.ts) share it.
 */
import type { GroupValue, IndicatorMeta, IndicatorValue, SchemeGroupMeta } from '#domain/board';

/**
 * - equal: ours and the portal's the same to two decimals;
 * - different: both known and not the same;
 * - published_only: the group cannot be re-derived (online services): ours is the portal's, nothing to compare;
 * - not_published: the portal published no score of the group for the unit and period (a derived quarter);
 * - not_computed: we have no score (the portal gave no counts).
 */
export type GroupStatus = 'equal' | 'different' | 'published_only' | 'not_published' | 'not_computed';

export interface GroupReconciliation {
  group: SchemeGroupMeta;
  status: GroupStatus;
  /** Ours (the sum of the group's rounded sub-indicator points). */
  points: number | null;
  published: number | null;
  /** ours − published, two decimals; null unless both are known. */
  difference: number | null;
  /** The counts behind it: the group's sub-indicators, in the scheme's order. */
  indicators: { meta: IndicatorMeta; value: IndicatorValue }[];
}

/** Hundredths, as whole numbers: what "the same to two decimals" compares (no floating-point noise). */
const cents = (v: number) => Math.round(v * 100);

/** ours − published in points, two decimals; null unless both are known. */
export function pointsDifference(points: number | null, published: number | null): number | null {
  if (points === null || published === null) return null;
  return (cents(points) - cents(published)) / 100;
}

/** The state of one group of one unit. */
export function groupStatus(group: Pick<SchemeGroupMeta, 'publishedOnly'>, value: Pick<GroupValue, 'points' | 'published'> | undefined): GroupStatus {
  if (group.publishedOnly) return 'published_only';
  const points = value?.points ?? null;
  const published = value?.published ?? null;
  if (published === null) return 'not_published';
  if (points === null) return 'not_computed';
  return cents(points) === cents(published) ? 'equal' : 'different';
}

const EMPTY: IndicatorValue = { numerator: null, denominator: null, ratio: null, points: null, rank: null };

/** Every group of one unit (a board row, or the province's own score), in the scheme's order. */
export function reconcileGroups(
  schemeGroups: readonly SchemeGroupMeta[],
  indicators: readonly IndicatorMeta[],
  unit: { groups: Record<string, GroupValue>; indicators: Record<string, IndicatorValue> }
): GroupReconciliation[] {
  return schemeGroups.map((group) => {
    const value = unit.groups[group.key];
    const points = value?.points ?? null;
    const published = value?.published ?? null;
    return {
      group,
      status: groupStatus(group, value),
      points,
      published,
      difference: group.publishedOnly ? null : pointsDifference(points, published),
      indicators: indicators.filter((i) => i.group === group.key).map((meta) => ({ meta, value: unit.indicators[meta.key] ?? EMPTY }))
    };
  });
}

export interface ReconciliationCounts {
  units: number;
  groups: number;
  /** units × groups */
  pairs: number;
  equal: number;
  different: number;
  publishedOnly: number;
  notPublished: number;
  notComputed: number;
}

/** How many (unit, group) pairs are in each state, over units each reconciled by reconcileGroups. */
export function countReconciliation(units: readonly (readonly GroupReconciliation[])[], groups: number): ReconciliationCounts {
  const out: ReconciliationCounts = { units: units.length, groups, pairs: units.length * groups, equal: 0, different: 0, publishedOnly: 0, notPublished: 0, notComputed: 0 };
  for (const unit of units) {
    for (const g of unit) {
      if (g.status === 'equal') out.equal++;
      else if (g.status === 'different') out.different++;
      else if (g.status === 'published_only') out.publishedOnly++;
      else if (g.status === 'not_published') out.notPublished++;
      else out.notComputed++;
    }
  }
  return out;
}

/** What a board's cell shows for a group on the board's basis, and whether ours and the portal's differ there. */
export interface GroupCell {
  /** The points on the shown basis (published by default, ours on `recomputed`). */
  shown: number | null;
  points: number | null;
  published: number | null;
  status: GroupStatus;
  difference: number | null;
}

export function groupCell(group: SchemeGroupMeta, value: GroupValue | undefined, basis: 'published' | 'recomputed' | null): GroupCell {
  const points = value?.points ?? null;
  const published = value?.published ?? null;
  const status = groupStatus(group, value);
  return {
    shown: basis === 'recomputed' || basis === null ? points : group.publishedOnly ? (published ?? points) : published,
    points,
    published,
    status,
    difference: group.publishedOnly ? null : pointsDifference(points, published)
  };
}
