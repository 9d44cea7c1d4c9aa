import { describe, expect, it } from 'vitest';
import type { BoardRow, IndicatorMeta } from './board.ts';
import { biggestMovers, kpisOf, scopeTotals, shortName, type PeriodTotals } from './kpis.ts';

const ind = (key: string, family: string): IndicatorMeta => ({ key, family, nameVi: key, nameEn: key, maxPoints: 10, saturation: 1, numeratorNounVi: 'x', group: null, published: false, zeroDenominator: 'none' });
const INDICATORS = [ind('dossier.on_time', 'dossier'), ind('dossier.online', 'dossier'), ind('eid.activation', 'eid')];

function row(code: string, values: Record<string, [number | null, number | null]>, places: number | null = null, totalDelta: number | null = null): BoardRow {
  const indicators: BoardRow['indicators'] = {};
  for (const [k, [n, d]] of Object.entries(values)) indicators[k] = { numerator: n, denominator: d, ratio: n !== null && d ? n / d : null, points: null, rank: null };
  return {
    unitCode: code, unitName: `Huyện ${code}`, unitType: 'Huyện', rank: 1, previousRank: null, total: 80, band: 'Tốt', notRanked: null,
    indicators, change: { places, totalDelta, parts: [] }, tile: null, unitLevel: 'district', estimated: false,
    groups: {}, totalRecomputed: 80, totalPublished: null
  };
}

describe('scope totals', () => {
  it('are ratios of sums over the children, not averages of their ratios', () => {
    // 9/10 and 1/90: the average of ratios would be 45.6 %, the ratio of sums is 10 %.
    const rows = [row('a', { 'dossier.on_time': [9, 10] }), row('b', { 'dossier.on_time': [1, 90] })];
    expect(scopeTotals({ indicators: INDICATORS, rows })['dossier.on_time']).toEqual({ numerator: 10, denominator: 100, ratio: 0.1 });
  });

  it('is no data when no child reported, and a denominator of 0 is no data too', () => {
    const rows = [row('a', { 'dossier.on_time': [0, 0] }), row('b', {})];
    const t = scopeTotals({ indicators: INDICATORS, rows });
    expect(t['dossier.on_time']).toEqual({ numerator: 0, denominator: 0, ratio: null });
    expect(t['eid.activation']).toEqual({ numerator: null, denominator: null, ratio: null });
  });
});

describe('KPI tiles', () => {
  it('one per family with its headline first, the change in percentage points and the trend ending now', () => {
    const rows = [row('a', { 'dossier.on_time': [90, 100], 'dossier.online': [50, 100], 'eid.activation': [977, 1000] })];
    const history: PeriodTotals[] = [
      { start: '2026-09-01', totals: { 'dossier.on_time': { numerator: 80, denominator: 100 } } },
      { start: '2026-10-01', totals: { 'dossier.on_time': { numerator: 85, denominator: 100 }, 'eid.activation': { numerator: null, denominator: null } } }
    ];
    const [dossier, eid] = kpisOf({ indicators: INDICATORS, rows }, history);
    expect(dossier!.indicator.key).toBe('dossier.on_time');
    expect(dossier!.value.ratio).toBe(0.9);
    expect(dossier!.previous).toBe(0.85);
    expect(dossier!.deltaPoints).toBe(5);
    expect(dossier!.trend).toEqual([0.8, 0.85, 0.9]);
    expect(dossier!.others.map((o) => [o.indicator.key, o.value.ratio])).toEqual([['dossier.online', 0.5]]);
    expect(eid!.previous).toBeNull();
    expect(eid!.deltaPoints).toBeNull();
    expect(eid!.trend).toEqual([null, null, 0.977]);
    expect(dossier!.comparedWith).toBeNull();
  });

  it('compare a period in progress with the same days of the previous one, not the whole of it', () => {
    // The 2nd of December: 36,9 % of tasks so far against 91,8 % for the whole of November, but 35 % on 1–2 November.
    const rows = [row('a', { 'dossier.on_time': [369, 1000] })];
    const history: PeriodTotals[] = [{ start: '2026-11-01', totals: { 'dossier.on_time': { numerator: 918, denominator: 1000 } } }];
    const base = { start: '2026-11-01', end: '2026-11-02', totals: { 'dossier.on_time': { numerator: 35, denominator: 100 } } };
    const [fair] = kpisOf({ indicators: INDICATORS, rows }, history, base);
    expect(fair).toMatchObject({ previous: 0.35, deltaPoints: 1.9, comparedWith: { start: '2026-11-01', end: '2026-11-02' } });
    // The trend still shows the whole periods before it.
    expect(fair!.trend).toEqual([0.918, 0.369]);
    const [whole] = kpisOf({ indicators: INDICATORS, rows }, history);
    expect(whole).toMatchObject({ previous: 0.918, deltaPoints: -54.9, comparedWith: null });
  });
});

describe('biggest movers', () => {
  it('sorts by places, then by the change in points, and leaves out units that kept their place', () => {
    const rows = [row('a', {}, 2, 1), row('b', {}, 5, 0.5), row('c', {}, 2, 3), row('d', {}, 0, 4), row('e', {}, -1, -2), row('f', {}, -3, -1), row('g', {}, null)];
    const m = biggestMovers(rows, 2);
    expect(m.up.map((r) => r.unitCode)).toEqual(['b', 'c']);
    expect(m.down.map((r) => r.unitCode)).toEqual(['f', 'e']);
  });
});

it('short names drop the unit type', () => {
  expect(shortName('Huyện Thanh Oai', 'Huyện')).toBe('Thanh Oai');
  expect(shortName('Thị xã Sơn Tây', 'Thị xã')).toBe('Sơn Tây');
  expect(shortName('Phường Văn Miếu - Quốc Tử Giám', 'Phường')).toBe('Văn Miếu - Quốc Tử Giám');
  expect(shortName('Đặc khu Phú Quốc', 'Đặc khu')).toBe('Phú Quốc');
  // The row's own type only: a name that does not start with it stays whole.
  expect(shortName('Sở Y tế', 'Ban')).toBe('Sở Y tế');
  expect(shortName('Xã', 'Xã')).toBe('Xã');
});
