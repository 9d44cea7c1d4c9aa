/**
 * A ranked board as the domain sees it: the scope's children, each with its rank, total, band,
 * indicator values and why it moved. The wire DTOs (src/lib/contract/dto.ts) are these shapes.
 */
import type { Band } from './bands.ts';
import type { RankExplanation } from './explain.ts';
import type { PeriodKind } from './periods.ts';

export interface IndicatorMeta {
  key: string;
  /** dossier | eid | payment | task */
  family: string;
  nameVi: string;
  nameEn: string;
  maxPoints: number;
  saturation: number;
  /** What the numerator counts, for sentences such as "12 hồ sơ đúng hạn nữa". */
  numeratorNounVi: string;
  /** The scheme group it belongs to (Board.schemeGroups[].key); null: the scheme has no groups. */
  group: string | null;
  /** Its points are the publisher's score as is (no counts behind them): "theo công bố của Cổng DVCQG". */
  published: boolean;
  /** What it earns when the denominator is 0: none (no points), zero, full. */
  zeroDenominator: 'none' | 'zero' | 'full';
}

/** A group of a scheme's indicators (the 766 index's six groups), as boards and pages show it. */
export interface SchemeGroupMeta {
  key: string;
  nameVi: string;
  nameEn: string;
  maxPoints: number;
  /** The score cannot be re-derived: the publisher's is shown as is ("theo công bố của Cổng DVCQG"). */
  publishedOnly: boolean;
}

/** A unit's result in one scheme group. */
export interface GroupValue {
  /** Ours: the sum of the group's rounded sub-indicator points (the published score when publishedOnly). */
  points: number | null;
  /** The publisher's own score (the portal's); null when none is published. */
  published: number | null;
  /** Rank among the unit's group on the board's basis. */
  rank: number | null;
}

/** A unit's own score on a scheme with groups (the province's 766 headline). */
export interface ScopeScore {
  /** On the board's basis (published by default). */
  total: number | null;
  totalRecomputed: number | null;
  totalPublished: number | null;
  groups: Record<string, GroupValue>;
  indicators: Record<string, IndicatorValue>;
}

export interface IndicatorValue {
  /** Σ numerator over the period and the unit's descendants; null when nothing was reported. */
  numerator: number | null;
  denominator: number | null;
  /** numerator / denominator, 0..1; null when the denominator is 0 (no data). */
  ratio: number | null;
  points: number | null;
  /** Competition rank among the scope's children on this indicator alone. */
  rank: number | null;
  /** The target (least ratio, 0..1) that applies to this unit, period and indicator; absent: none (docs/targets.md). */
  target?: number;
  /** The ratio is under the target (absent when there is no target; false when there is no ratio). */
  belowTarget?: boolean;
}

/** The targets on a board (absent when none applies): the scope's own, and how many rows are below theirs. */
export interface BoardTargets {
  /** The scope unit's own target per indicator key (the city's on the city's board). */
  scope: Record<string, number>;
  /** Per indicator key: how many rows are below their target. */
  below: Record<string, number>;
  /** How many rows are below the target of at least one indicator. */
  unitsBelow: number;
}

/**
 * Why a unit has no rank for a period, as a code the screens, the API and the exports word in their
 * own language (src/lib/i18n/reasons.ts):
 * - no_data: nothing reported for some indicators of the scheme (`indicators`: their keys, in the scheme's order);
 * - nothing_to_score: reported, but no indicator applies (every denominator 0);
 * - not_computed: the workers have not computed this board yet (never stored).
 */
export const NOT_RANKED_CODES = ['no_data', 'nothing_to_score', 'not_computed'] as const;
export type NotRankedCode = (typeof NOT_RANKED_CODES)[number];
/** The codes a stored ranking row may carry (rankings.not_ranked_reason; not_computed means there is no row). */
export const STORED_NOT_RANKED_CODES = ['no_data', 'nothing_to_score'] as const satisfies readonly NotRankedCode[];

export interface NotRanked {
  code: NotRankedCode;
  /** The indicators (keys) with no data (code no_data); empty otherwise. */
  indicators: string[];
}

export interface BoardRow {
  unitCode: string;
  unitName: string;
  /** The register's type: Phường, Xã, Đặc khu, Quận, Huyện, Sở … */
  unitType: string;
  /** The unit's level (commune, district, province, department …): the group it is ranked in (Board.groups). */
  unitLevel: string;
  /**
   * Competition rank on the total (1, 2, 2, 4) among the children of the same level (a city's
   * communes are ranked among themselves, its departments among themselves); null = not ranked (see notRanked).
   */
  rank: number | null;
  /** Rank in the previous period of the same kind. */
  previousRank: number | null;
  total: number | null;
  /** The rating band of the total (the scheme's bands); null when not ranked. */
  band: string | null;
  /** Why it has no rank (null when ranked). */
  notRanked: NotRanked | null;
  indicators: Record<string, IndicatorValue>;
  /** Why it moved since the previous period of the same kind: places, points per indicator. */
  change: RankExplanation;
  /** Where the unit sits on the scope's tile map (column, row from the top left); null: no layout stored. */
  tile: { col: number; row: number } | null;
  /**
   * Part of the figures is an estimate: the period reaches before a reform and a unit that went only
   * in part into this one reported in it (shown as "ước tính" on screen and in exports).
   */
  estimated: boolean;
  /** Per scheme group ({} for a scheme without groups). */
  groups: Record<string, GroupValue>;
  /** Our total (equals total for a scheme that publishes nothing). */
  totalRecomputed: number | null;
  /** The publisher's total (Σ its group scores); null when nothing is published. */
  totalPublished: number | null;
}

/**
 * The children of a scope fall into groups by level, each ranked on its own (ranks 1…n within the
 * group): a city's communes (types Phường, Xã) and its departments (Sở, Ban, Ngành); a 2024 city's
 * districts (Quận, Huyện, Thị xã). Words for headings come from these, never from code.
 */
export interface BoardGroup {
  /** units.level of the group's units */
  level: string;
  /** The register's types of the group's units, most frequent first (Phường, Xã). */
  types: string[];
  /** How many units the group holds. */
  count: number;
}

export interface Board {
  /** The scheme that ranked it (its active version's name). */
  scheme: { key: string; nameVi: string };
  scope: { code: string; name: string; level: string };
  period: { kind: PeriodKind; start: string; end: string; provisional: boolean };
  /**
   * What the moves (previous ranks, changes, movers) compare with when it is not the whole previous
   * period: the same elapsed part of it ("cùng kỳ"), while this period is in progress. Absent or null:
   * the whole previous period.
   */
  comparedWith?: { start: string; end: string } | null;
  /** The scheme's indicators; the total is out of Σ maxPoints (100 operations and 766, 20 for the 766 progress group). */
  indicators: IndicatorMeta[];
  /** The scheme's groups ([] for a scheme without groups). */
  schemeGroups: SchemeGroupMeta[];
  /** How the total is made: scaled over what applies (absent: scaled), or the plain sum (the 766 index). */
  totalRule?: 'scaled' | 'sum';
  /**
   * What the total and ranks are on: published (the publisher's scores, the default where the scheme
   * has them), recomputed (ours, on request), null (the scheme publishes nothing: ours).
   */
  basis: 'published' | 'recomputed' | null;
  /** The scope's own score (a province's own row on the portal); null where the scheme has no groups or none is stored. */
  scopeScore: ScopeScore | null;
  /** The rating bands of the scheme version in force for this board, best first. */
  bands: Band[];
  /** The groups of rows by level, the largest first; every row's unitLevel is one of them. */
  groups: BoardGroup[];
  rows: BoardRow[];
  /** Targets that apply to this board (docs/targets.md); absent when none does. */
  targets?: BoardTargets;
  /** When the workers last computed this board (ISO 8601 UTC). */
  computedAt: string | null;
  /** The newest observation behind it (ISO 8601 UTC). */
  asOf: string | null;
}
