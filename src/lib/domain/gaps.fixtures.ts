/**
 * Boards for the tests of the gaps (src/lib/domain/gaps.test.ts) and of their words
 * (src/lib/i18n/gaps.test.ts): rows built from raw counts, scored as the workers score them.
 */
import type { Board, BoardRow, IndicatorMeta } from './board.ts';
import { DEFAULT_BANDS, type Band } from './bands.ts';
import { DEFAULT_SCHEME } from './catalogue.ts';
import { points } from './ratio.ts';

/** Indicators by key from the real catalogue, with the weights of each test's scheme. */
export const meta = (key: string, maxPoints: number, saturation?: number): IndicatorMeta => {
  const def = DEFAULT_SCHEME.indicators.find((i) => i.key === key)!;
  return {
    key, family: def.family, nameVi: def.nameVi, nameEn: def.nameEn, maxPoints,
    saturation: saturation ?? def.saturation, numeratorNounVi: def.numeratorNounVi, group: null, published: false, zeroDenominator: 'none'
  };
};

/** A scheme of 100 points, so most totals can be checked by hand without scaling. */
export const SCHEME = [meta('dossier.on_time', 50), meta('eid.activation', 30), meta('task.on_time', 20)];

export type Counts = Record<string, [number, number]>;

/** A ranked row from raw counts: points and total as the workers compute them (scaled over what applies). */
export function row(code: string, rank: number | null, counts: Counts, scheme = SCHEME, total?: number): BoardRow {
  const indicators: BoardRow['indicators'] = {};
  let earned = 0;
  let applicable = 0;
  for (const m of scheme) {
    const [n, d] = counts[m.key]!;
    const ratio = d > 0 ? n / d : null;
    const p = points(ratio, m.maxPoints, m.saturation);
    if (p !== null) {
      earned += p;
      applicable += m.maxPoints;
    }
    indicators[m.key] = { numerator: n, denominator: d, ratio, points: p, rank: null };
  }
  const schemeMax = scheme.reduce((s, m) => s + m.maxPoints, 0);
  const t = total ?? Math.round(((earned * schemeMax) / applicable) * 100) / 100;
  return {
    unitCode: code, unitName: `Huyện ${code}`, unitType: 'Huyện', rank, previousRank: null, total: t,
    band: DEFAULT_BANDS.find((b) => t >= b.min)!.name, notRanked: null, indicators,
    change: { places: null, totalDelta: null, parts: [] }, tile: null, unitLevel: 'district', estimated: false,
    groups: {}, totalRecomputed: t, totalPublished: null
  };
}

export const FULL: Counts = { 'dossier.on_time': [10, 10], 'eid.activation': [10, 10], 'task.on_time': [10, 10] };

/** A row of another unit that only matters for its rank and total. */
export const other = (code: string, rank: number, total: number): BoardRow => ({ ...row(code, rank, FULL), total, band: DEFAULT_BANDS.find((b) => total >= b.min)!.name });

export function board(rows: BoardRow[], scheme = SCHEME, bands: readonly Band[] = DEFAULT_BANDS): Board {
  return {
    scheme: { key: 'test', nameVi: 'Bộ chỉ số thử' },
    scope: { code: '01', name: 'Thành phố Hà Nội', level: 'province' },
    period: { kind: 'month', start: '2026-11-01', end: '2026-11-30', provisional: true },
    indicators: scheme, schemeGroups: [], basis: null, scopeScore: null, bands: [...bands], groups: [{ level: 'district', types: ['Huyện'], count: rows.length }], rows, computedAt: null, asOf: null
  };
}

// X: 150/200 on time → 37,50; 800/1000 activated → 24,00; 8/10 tasks on time → 16,00; total 77,50 (Khá).
export const X: Counts = { 'dossier.on_time': [150, 200], 'eid.activation': [800, 1000], 'task.on_time': [8, 10] };

/** X, not ranked: no data for e-ID activation. */
export const UNRANKED: BoardRow = { ...row('X', null, X), rank: null, total: null, band: null, notRanked: { code: 'no_data', indicators: ['eid.activation'] } };
