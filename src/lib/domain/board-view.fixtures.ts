/**
 * A city board of today's shape for the tests of the screens' pure parts: 126 communes (51 Phường,
 * 75 Xã, ranked 1…126, a few unranked) and 14 departments (Sở, Ban; ranked 1…14), as the lead's
 * readBoard returns it (groups largest first, each group by rank).
 */
import type { Board, BoardGroup, BoardRow } from './board.ts';

export function row(over: Partial<BoardRow> & Pick<BoardRow, 'unitCode' | 'unitName'>): BoardRow {
  return {
    unitType: 'Xã', unitLevel: 'commune', rank: 1, previousRank: 1, total: 80, band: 'Tốt', notRanked: null,
    indicators: {}, change: { places: 0, totalDelta: 0, parts: [] }, tile: null, estimated: false,
    ...over
  } as BoardRow;
}

const COMMUNE_NAMES = ['Ba Đình', 'Ngọc Hà', 'Giảng Võ', 'Hoàn Kiếm', 'Cửa Nam', 'Thanh Oai', 'Đống Đa', 'Kim Liên', 'Văn Miếu - Quốc Tử Giám', 'Láng'];

export function cityBoard(opts: { communes?: number; departments?: number; unranked?: number } = {}): Board {
  const communes = opts.communes ?? 126;
  const departments = opts.departments ?? 14;
  const unranked = opts.unranked ?? 2;
  const rows: BoardRow[] = [];
  for (let i = 0; i < communes; i++) {
    const ranked = i < communes - unranked;
    const type = i % 5 < 2 ? 'Phường' : 'Xã';
    const base = COMMUNE_NAMES[i % COMMUNE_NAMES.length]!;
    rows.push(row({
      unitCode: String(10000 + i * 3).padStart(5, '0'),
      unitName: `${type} ${base}${i >= COMMUNE_NAMES.length ? ` ${Math.floor(i / COMMUNE_NAMES.length) + 1}` : ''}`,
      unitType: type, unitLevel: 'commune',
      rank: ranked ? i + 1 : null, previousRank: ranked ? Math.min(communes, i + 1 + ((i * 7) % 11) - 5) || 1 : null,
      total: ranked ? 95 - i * 0.3 : null, band: ranked ? (i < 40 ? 'Tốt' : 'Khá') : null,
      notRanked: ranked ? null : { code: 'no_data', indicators: [] },
      indicators: ranked ? { 'dossier.on_time': { numerator: 100 - (i % 50), denominator: 100, ratio: (100 - (i % 50)) / 100, points: 20 - (i % 50) / 5, rank: (i % 50) + 1 } } : {},
      change: { places: ranked ? ((i * 7) % 11) - 5 : null, totalDelta: ranked ? 1 : null, parts: [] },
      tile: { col: i % 14, row: Math.floor(i / 14) },
      estimated: i % 9 === 4
    }));
  }
  for (let i = 0; i < departments; i++) {
    const type = i < departments - 2 ? 'Sở' : 'Ban';
    rows.push(row({
      unitCode: `S${String(i + 1).padStart(2, '0')}`, unitName: `${type} ${['Nội vụ', 'Tư pháp', 'Y tế', 'Xây dựng', 'Tài chính', 'Công Thương', 'Giáo dục và Đào tạo'][i % 7]}${i >= 7 ? ' 2' : ''}`,
      unitType: type, unitLevel: 'department', rank: i + 1, previousRank: departments - i, total: 90 - i, tile: null,
      change: { places: departments - i - (i + 1), totalDelta: 0.5, parts: [] }
    }));
  }
  const groups: BoardGroup[] = [
    { level: 'commune', types: ['Xã', 'Phường'], count: communes },
    ...(departments ? [{ level: 'department', types: ['Sở', 'Ban'], count: departments }] : [])
  ];
  return {
    scheme: { key: 'operations', nameVi: 'Vận hành', version: 1 },
    scope: { code: '01', name: 'Thành phố Hà Nội', level: 'province' },
    period: { kind: 'month', start: '2026-11-01', end: '2026-11-30', provisional: true },
    indicators: [{ key: 'dossier.on_time', family: 'dossier', nameVi: 'Hồ sơ đúng hạn', nameEn: 'Dossiers on time', maxPoints: 20, saturation: 1, numeratorNounVi: 'hồ sơ đúng hạn' }],
    bands: [{ name: 'Tốt', min: 80 }, { name: 'Khá', min: 65 }, { name: 'Yếu', min: 0 }],
    groups,
    rows,
    computedAt: '2026-11-20T03:00:00Z',
    asOf: '2026-11-20T03:00:00Z'
  } as unknown as Board;
}
