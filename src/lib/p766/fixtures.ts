/**
 * 766 boards for the tests of src/lib/p766: rows built from counts per sub-indicator, scored as the
 * workers score the national 766 index (each sub-indicator rounded, a group the sum of its parts, the
 * total the sum of the groups), the portal's published group scores equal to ours unless given.
 */
import type { Board, BoardRow, IndicatorMeta, SchemeGroupMeta } from '#domain/board';
import { DEFAULT_BANDS } from '#domain/bands';
import { NATIONAL_766_SCHEME, PORTAL_766_GROUPS } from '#domain/catalogue';
import { points, round } from '#domain/ratio';

export const GROUPS: SchemeGroupMeta[] = PORTAL_766_GROUPS.map((g) => ({
  key: g.key, nameVi: g.nameVi, nameEn: g.nameEn, maxPoints: g.maxPoints, publishedOnly: 'publishedOnly' in g && g.publishedOnly
}));

export const INDICATORS: IndicatorMeta[] = NATIONAL_766_SCHEME.indicators.map((i) => ({
  key: i.key, family: i.family, nameVi: i.nameVi, nameEn: i.nameEn, maxPoints: i.maxPoints, saturation: i.saturation, numeratorNounVi: i.numeratorNounVi,
  group: i.group ?? null, published: 'published' in i && !!i.published, zeroDenominator: ('zeroDenominator' in i ? i.zeroDenominator : undefined) ?? 'none'
}));

/** [numerator, denominator] per sub-indicator key, or a number: a published sub-indicator's score. */
export type Counts = Record<string, [number, number] | number>;

/** An ordinary unit: every sub-indicator counted (petitions none: full marks), online 6 as published, copies 2. */
export const BASE: Counts = {
  'p766.publish_on_time': [0, 0], 'p766.public_update_on_time': [0, 0], 'p766.public_content_full': [40, 50], 'p766.dossier_sync': [900, 900],
  'p766.progress': [850, 1000], 'p766.online': 6,
  'p766.payment_dossiers': [90, 100], 'p766.payment_formalities': [3, 10], 'p766.payment_fee_dossiers': [2, 10],
  'p766.dossier_receiving_satisfaction': [700, 1000], 'p766.petition_processing_on_time': [0, 0], 'p766.petition_handling_satisfaction': [0, 0],
  'p766.original_result_available': [600, 800], 'p766.so_hoa_giay_to_giai_quyet': [80, 800], 'p766.reused_digitized_data': [20, 800],
  'p766.synced_with_dvcqg_personal_storage': [0, 800], 'p766.citizen_data_connected_dossier': [400, 800], 'p766.citizen_data_connected_formality': [30, 300],
  'p766.electronic_certified_copy': 2
};

const sum = (values: number[]) => round(values.reduce((a, b) => a + b, 0), 2);

/** Indicators, groups and totals of one unit from its counts; `published`: the portal's group scores where they differ from ours. */
export function scored(counts: Counts, published: Record<string, number | null> = {}): Pick<BoardRow, 'indicators' | 'groups' | 'totalRecomputed' | 'totalPublished'> {
  const indicators: BoardRow['indicators'] = {};
  for (const m of INDICATORS) {
    const c = counts[m.key]!;
    if (typeof c === 'number') {
      indicators[m.key] = { numerator: c, denominator: null, ratio: null, points: c, rank: null };
      continue;
    }
    const [n, d] = c;
    const ratio = d > 0 ? n / d : null;
    const p = ratio !== null ? points(ratio, m.maxPoints, m.saturation) : m.zeroDenominator === 'zero' ? 0 : m.zeroDenominator === 'full' ? m.maxPoints : null;
    indicators[m.key] = { numerator: n, denominator: d, ratio, points: p, rank: null };
  }
  const groups: BoardRow['groups'] = {};
  for (const g of GROUPS) {
    const pts = sum(INDICATORS.filter((i) => i.group === g.key).map((i) => indicators[i.key]!.points ?? 0));
    groups[g.key] = { points: pts, published: g.key in published ? published[g.key]! : pts, rank: null };
  }
  const totalRecomputed = sum(Object.values(groups).map((g) => g.points!));
  const pubs = Object.values(groups).map((g) => g.published);
  return { indicators, groups, totalRecomputed, totalPublished: pubs.includes(null) ? null : sum(pubs as number[]) };
}

export function row766(code: string, rank: number | null, counts: Counts = BASE, options: { published?: Record<string, number | null>; level?: string; basis?: 'published' | 'recomputed' } = {}): BoardRow {
  const s = scored(counts, options.published);
  const total = options.basis === 'recomputed' ? s.totalRecomputed : s.totalPublished;
  return {
    unitCode: code, unitName: `Xã ${code}`, unitType: 'Xã', unitLevel: options.level ?? 'commune', rank, previousRank: null, total,
    band: total === null ? null : DEFAULT_BANDS.find((b) => total >= b.min)!.name, notRanked: null, change: { places: null, totalDelta: null, parts: [] },
    tile: null, estimated: false, ...s
  };
}

/** Counts of BASE with some replaced. */
export const withCounts = (changes: Counts): Counts => ({ ...BASE, ...changes });

export function board766(rows: BoardRow[], options: { basis?: 'published' | 'recomputed'; scope?: Counts | null } = {}): Board {
  const scope = options.scope === undefined ? BASE : options.scope;
  const s = scope ? scored(scope) : null;
  return {
    scheme: { key: 'national_766', nameVi: NATIONAL_766_SCHEME.nameVi },
    scope: { code: '01', name: 'Thành phố Hà Nội', level: 'province' },
    period: { kind: 'month', start: '2026-11-01', end: '2026-11-30', provisional: false },
    indicators: INDICATORS, schemeGroups: GROUPS, totalRule: 'sum', basis: options.basis ?? 'published',
    scopeScore: s && { total: options.basis === 'recomputed' ? s.totalRecomputed : s.totalPublished, totalRecomputed: s.totalRecomputed, totalPublished: s.totalPublished, groups: s.groups, indicators: s.indicators },
    bands: [...DEFAULT_BANDS].sort((a, b) => b.min - a.min), groups: [{ level: 'commune', types: ['Xã'], count: rows.length }], rows, computedAt: null, asOf: null
  };
}
