import { describe, expect, it } from 'vitest';
import { newTokenSchema, scenesSchema, unitTree } from './tokens.ts';

describe('the playlist schema keeps the order given', () => {
  it('keeps the submitted order, from an array or a comma list', () => {
    expect(scenesSchema.parse(['movers', 'board', 'kpis'])).toEqual(['movers', 'board', 'kpis']);
    expect(scenesSchema.parse('sources, map ,kpis')).toEqual(['sources', 'map', 'kpis']);
    expect(scenesSchema.parse(['sources', 'movers', 'map', 'board', 'kpis'])).toEqual(['sources', 'movers', 'map', 'board', 'kpis']);
  });

  it('refuses unknown scenes, duplicates and an empty list, in words', () => {
    const unknown = scenesSchema.safeParse(['board', 'weather']);
    expect(unknown.success).toBe(false);
    expect(unknown.error!.issues[0]!.message).toBe('Không có cảnh: weather. Chọn trong: kpis, board, map, movers, 766, sources.');
    const twice = scenesSchema.safeParse(['board', 'map', 'board']);
    expect(twice.success).toBe(false);
    expect(twice.error!.issues[0]!.message).toBe('Mỗi cảnh chỉ chọn một lần: Bảng xếp hạng có nhiều lần.');
    const empty = scenesSchema.safeParse([]);
    expect(empty.error!.issues[0]!.message).toBe('Chọn ít nhất một cảnh.');
    expect(scenesSchema.safeParse(' , ').error!.issues[0]!.message).toBe('Chọn ít nhất một cảnh.');
  });

  it('is the order the whole form keeps', () => {
    const parsed = newTokenSchema.parse({ name: 'Sảnh', scopeCode: '278', scenes: ['map', 'kpis'], dwellSeconds: '20' });
    expect(parsed.scenes).toEqual(['map', 'kpis']);
  });
});

describe('the scope picker lists the unit tree', () => {
  it('walks city → districts → communes depth first, children in code order', () => {
    const rows = [
      { code: '00277', name: 'Xã B', level: 'commune', parentCode: '278' },
      { code: '278', name: 'Thanh Oai', level: 'district', parentCode: '01' },
      { code: '001', name: 'Ba Đình', level: 'district', parentCode: '01' },
      { code: '01', name: 'Hà Nội', level: 'province', parentCode: null },
      { code: '00001', name: 'Phúc Xá', level: 'commune', parentCode: '001' },
      { code: '00004', name: 'Trúc Bạch', level: 'commune', parentCode: '001' }
    ];
    expect(unitTree(rows).map((u) => `${'  '.repeat(u.depth)}${u.code}`)).toEqual(['01', '  001', '    00001', '    00004', '  278', '    00277']);
  });

  it('lists a unit whose parent is not current at the top, and survives a loop', () => {
    const rows = [
      { code: '01', name: 'Hà Nội', level: 'province', parentCode: null },
      { code: '002', name: 'Mồ côi', level: 'district', parentCode: '999' },
      { code: '003', name: 'A', level: 'district', parentCode: '004' },
      { code: '004', name: 'B', level: 'district', parentCode: '003' }
    ];
    expect(unitTree(rows).map((u) => [u.code, u.depth])).toEqual([['01', 0], ['002', 0], ['003', 0], ['004', 1]]);
  });
});
