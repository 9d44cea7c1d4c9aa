import { describe, expect, it } from 'vitest';
import type { Board, BoardRow, IndicatorMeta, IndicatorValue, ScopeScore } from '#domain/board';
import { row } from '#domain/board-view.fixtures';
import { bestAndWeakest, groupValue, hasPublished, headline766, months766, shortfall, weakestIndicators } from './wall766.ts';
import { playingScenes, SCENES } from './scenes.ts';

const meta = (key: string, group: string, maxPoints: number, saturation = 1, published = false): IndicatorMeta => ({
  key, family: 'dossier', nameVi: key, nameEn: key, maxPoints, saturation, numeratorNounVi: 'hồ sơ', group, published, zeroDenominator: 'none'
});
const val = (numerator: number | null, denominator: number | null, points: number | null): IndicatorValue => ({
  numerator, denominator, ratio: numerator !== null && denominator ? numerator / denominator : null, points, rank: null
});
const GROUPS = [
  { key: 'transparency', nameVi: 'Công khai, minh bạch', nameEn: 'Transparency', maxPoints: 18, publishedOnly: false },
  { key: 'progress', nameVi: 'Tiến độ giải quyết', nameEn: 'Progress', maxPoints: 20, publishedOnly: false },
  { key: 'online', nameVi: 'Dịch vụ công trực tuyến', nameEn: 'Online', maxPoints: 12, publishedOnly: true },
  { key: 'payment', nameVi: 'Thanh toán trực tuyến', nameEn: 'Payment', maxPoints: 10, publishedOnly: false },
  { key: 'satisfaction', nameVi: 'Mức độ hài lòng', nameEn: 'Satisfaction', maxPoints: 18, publishedOnly: false },
  { key: 'digitization', nameVi: 'Số hóa hồ sơ', nameEn: 'Digitisation', maxPoints: 22, publishedOnly: false }
];
const INDICATORS = [
  meta('p766.progress', 'progress', 20),
  meta('p766.online', 'online', 12, 1, true),
  meta('p766.so_hoa', 'digitization', 4),
  meta('p766.reused', 'digitization', 2, 0.8),
  meta('p766.satisfied', 'satisfaction', 6, 0.9),
  meta('p766.sync', 'transparency', 6)
];
const g = (points: number | null, published: number | null) => ({ points, published, rank: null });

function scope(over: Partial<ScopeScore> = {}): ScopeScore {
  return {
    total: 63.87, totalRecomputed: 63.86, totalPublished: 63.87,
    groups: { transparency: g(7.6, 7.6), progress: g(18.79, 18.79), online: g(6, 6), payment: g(6.65, 6.66), satisfaction: g(16.67, 16.67), digitization: g(8.16, 8.16) },
    indicators: {
      'p766.progress': val(2379, 2532, 18.79), // lost 1.21
      'p766.online': val(6, null, 6), // published: never "weakest"
      'p766.so_hoa': val(80, 800, 0.4), // lost 3.6
      'p766.reused': val(20, 800, 0.06), // lost 1.94
      'p766.satisfied': val(700, 1000, 4.67), // lost 1.33
      'p766.sync': val(0, 0, null) // does not apply
    },
    ...over
  };
}

function board766(rows: BoardRow[], over: Partial<Board> = {}): Board {
  return {
    scheme: { key: 'national_766', nameVi: 'Chỉ số 766' }, scope: { code: '01', name: 'Thành phố Hà Nội', level: 'province' },
    period: { kind: 'month', start: '2026-11-01', end: '2026-11-30', provisional: false },
    indicators: INDICATORS, schemeGroups: GROUPS, basis: 'published', scopeScore: scope(),
    bands: [{ name: 'Xuất sắc', min: 90 }, { name: 'Tốt', min: 80 }, { name: 'Khá', min: 65 }, { name: 'Trung bình', min: 50 }, { name: 'Yếu', min: 0 }],
    groups: [{ level: 'commune', types: ['Phường', 'Xã'], count: 0 }], rows, computedAt: null, asOf: null, ...over
  } as Board;
}

const commune = (i: number, rank: number | null, over: Partial<BoardRow> = {}) =>
  row({ unitCode: `1${String(i).padStart(4, '0')}`, unitName: `Xã ${i}`, unitLevel: 'commune', rank, total: rank === null ? null : 90 - rank, groups: {}, totalRecomputed: null, totalPublished: rank === null ? null : 90 - rank, ...over });

describe('the 766 headline', () => {
  it('gives the total of 100 with its band, and each group in points of its maximum against the previous month', () => {
    const previous = scope({ total: 62.5, groups: { ...scope().groups, progress: g(17, 17.5), online: g(6.5, 6.5), payment: g(6.6, null) } });
    const h = headline766(board766([]), previous);
    expect([h.total, h.maxPoints, h.band, h.bandTone, h.previousTotal, h.change]).toEqual([63.87, 100, 'Trung bình', 3, 62.5, 1.37]);
    expect(h.groups.map((x) => [x.key, x.value, x.maxPoints, x.publishedOnly, x.change])).toEqual([
      ['transparency', 7.6, 18, false, 0],
      ['progress', 18.79, 20, false, 1.29], // against the published 17,50 of the month before
      ['online', 6, 12, true, -0.5],
      ['payment', 6.66, 10, false, 0.06], // the portal published none the month before: ours (6,60)
      ['satisfaction', 16.67, 18, false, 0],
      ['digitization', 8.16, 22, false, 0]
    ]);
    expect(h.groups[2]!.share).toBe(0.5);
  });

  it('has no change without a previous month, and no band without a total', () => {
    const h = headline766(board766([], { scopeScore: null }), null);
    expect([h.total, h.band, h.bandTone, h.change]).toEqual([null, null, null, null]);
    expect(h.groups.every((x) => x.value === null && x.share === null && x.change === null)).toBe(true);
  });

  it('shows ours on the recomputed basis, and the portal’s (or ours when it published none) on the published one', () => {
    expect(groupValue(g(6.65, 6.66), 'published')).toBe(6.66);
    expect(groupValue(g(6.65, null), 'published')).toBe(6.65);
    expect(groupValue(g(6.65, 6.66), 'recomputed')).toBe(6.65);
    expect(groupValue(undefined, 'published')).toBeNull();
  });

  it('knows a month the portal has not published', () => {
    const unpublished = board766([commune(1, null, { totalPublished: null })], { scopeScore: scope({ totalPublished: null }) });
    expect(hasPublished(unpublished)).toBe(false);
    expect(hasPublished({ ...unpublished, rows: [commune(1, 1)] })).toBe(true);
    expect(hasPublished({ ...unpublished, scopeScore: scope() })).toBe(true);
  });
});

describe('the best and the weakest', () => {
  const rows = [...Array.from({ length: 12 }, (_, i) => commune(i + 1, i + 1)), commune(13, null), row({ unitCode: 'S01', unitName: 'Sở Y tế', unitLevel: 'department', rank: 1, total: 70 })];

  it('takes 5 from the top and 5 from the bottom of one level, the weakest first, the unranked left out', () => {
    const c = bestAndWeakest(board766(rows), 'commune', 5);
    expect(c.best.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(c.weakest.map((r) => r.rank)).toEqual([12, 11, 10, 9, 8]);
    expect([c.ranked, c.count]).toEqual([12, 13]);
  });

  it('never shows a unit twice when the level is small', () => {
    const seven = bestAndWeakest(board766(rows.slice(0, 7)), 'commune', 5);
    expect(seven.best.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(seven.weakest.map((r) => r.rank)).toEqual([7, 6, 5]);
    const one = bestAndWeakest(board766(rows), 'department', 2);
    expect([one.best.map((r) => r.unitCode), one.weakest]).toEqual([['S01'], []]);
  });
});

describe('the weakest sub-indicators', () => {
  it('counts the shortfall to full points at the saturation ratio, rounded up', () => {
    expect(shortfall(meta('x', 'g', 4), val(80, 800, 0.4))).toBe(720);
    expect(shortfall(meta('x', 'g', 2, 0.8), val(20, 800, 0.06))).toBe(620);
    expect(shortfall(meta('x', 'g', 6, 0.9), val(899, 1000, 5.99))).toBe(1);
    expect(shortfall(meta('x', 'g', 6, 0.9), val(950, 1000, 6))).toBe(0);
    expect(shortfall(meta('x', 'g', 6, 1 / 3), val(1, 3, 6))).toBe(0); // floating point: 1/3 × 3 − 1 is not above 0
    expect(shortfall(meta('x', 'g', 6), val(0, 0, null))).toBeNull();
    expect(shortfall(meta('x', 'g', 6), val(null, null, null))).toBeNull();
    expect(shortfall(meta('x', 'g', 12, 1, true), val(6, null, 6))).toBeNull();
  });

  it('picks where the province loses most points, and the units with the largest shortfall in counts', () => {
    const rows = [
      commune(1, 1, { indicators: { 'p766.so_hoa': val(10, 500, 0.08), 'p766.reused': val(0, 100, 0) } }),
      commune(2, 2, { indicators: { 'p766.so_hoa': val(300, 300, 4), 'p766.reused': val(5, 600, 0.02) } }),
      commune(3, 3, { indicators: { 'p766.so_hoa': val(0, 0, null), 'p766.reused': val(1, 50, 0.05) } }),
      row({ unitCode: 'S01', unitName: 'Sở Y tế', unitLevel: 'department', rank: 1, total: 70, indicators: { 'p766.so_hoa': val(50, 700, 0.29) } })
    ];
    const weak = weakestIndicators(board766(rows), 2, 3);
    expect(weak.map((w) => [w.meta.key, w.points, w.lost, w.shortfall])).toEqual([
      ['p766.so_hoa', 0.4, 3.6, 720],
      ['p766.reused', 0.06, 1.94, 620]
    ]);
    expect(weak[0]!.units.map((u) => [u.code, u.shortfall])).toEqual([['S01', 650], ['10001', 490]]);
    expect(weak[1]!.units.map((u) => [u.code, u.shortfall])).toEqual([['10002', 475], ['10001', 80], ['10003', 39]]);
  });

  it('breaks a tie in points lost by the lower share of the maximum, and has nothing without the province’s row', () => {
    const tied = scope({ indicators: { 'p766.so_hoa': val(2, 4, 2), 'p766.reused': val(0, 10, 0), 'p766.progress': val(10, 10, 20) } });
    expect(weakestIndicators(board766([], { scopeScore: tied }), 2).map((w) => w.meta.key)).toEqual(['p766.reused', 'p766.so_hoa']);
    expect(weakestIndicators(board766([], { scopeScore: null }))).toEqual([]);
  });
});

describe('the months', () => {
  it('names the month shown, the one before, and those the portal has not published yet', () => {
    expect(months766('2026-11-01', '2026-12-02')).toEqual({ shown: '2026-11-01', previous: '2026-10-01', pending: ['2026-12-01'] });
    expect(months766('2026-10-01', '2026-12-02')).toEqual({ shown: '2026-10-01', previous: '2026-09-01', pending: ['2026-11-01', '2026-12-01'] });
    expect(months766('2026-12-01', '2026-12-20')).toEqual({ shown: '2026-12-01', previous: '2026-11-01', pending: [] });
    expect(months766('2026-01-01', '2026-01-03').previous).toBe('2025-12-01');
    expect(months766(null, '2026-12-02')).toEqual({ shown: null, previous: null, pending: ['2026-12-01'] });
  });
});

describe('the playlist and the 766 scene', () => {
  it('plays the 766 scene in the default playlist and in a chosen one only when a published month exists', () => {
    expect(SCENES).toContain('766');
    expect(playingScenes([], true)).toEqual(['kpis', 'board', 'map', 'movers', '766', 'sources']);
    expect(playingScenes([], false)).toEqual(['kpis', 'board', 'map', 'movers', 'sources']);
    expect(playingScenes(['766', 'board'], true)).toEqual(['766', 'board']);
    expect(playingScenes(['766', 'board'], false)).toEqual(['board']);
  });

  it('keeps a playlist of the 766 scene alone, and drops unknown scenes', () => {
    expect(playingScenes(['766'], false)).toEqual(['766']);
    expect(playingScenes(['weather', 'map'], false)).toEqual(['map']);
  });
});
