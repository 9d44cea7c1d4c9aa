import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitAt } from '../pipeline/history.ts';
import { DEMO_HISTORY_FROM, hanoiRegister, LAST_OLD_DAY, REFORM_DAY } from './hanoi-2025.ts';
import { historyStart } from './seed.ts';
import { csvRecords, HANOI_2025_TILES_CSV, loadTilesCsv, MERGE_2025_CSV, parseMergeCsv, VIETNAM_2025_CSV } from './units-csv.ts';
import { layout } from '../../../../db/seed/tiles-2025.ts';

describe("the demo's register", () => {
  const reg = hanoiRegister();

  it('is Hà Nội before and since the reform, from the files as shipped', () => {
    expect(reg.city).toMatchObject({ gsoCode: '01', name: 'Thành phố Hà Nội', level: 'province' });
    expect(reg.before.filter((u) => u.level === 'district')).toHaveLength(30);
    expect(reg.before.filter((u) => u.level === 'commune')).toHaveLength(526);
    expect(reg.communes).toHaveLength(126);
    expect(reg.communes.every((u) => u.parentGsoCode === '01')).toBe(true);
    expect(reg.lineage).toHaveLength(795);
    expect(REFORM_DAY).toBe('2025-07-01');
    expect(LAST_OLD_DAY).toBe('2025-06-30');
    // The whole register ships as it is: 3,356 rows, and 10,571 merge rows.
    expect(csvRecords(readFileSync(VIETNAM_2025_CSV, 'utf8'))).toHaveLength(3357);
    expect(parseMergeCsv(readFileSync(MERGE_2025_CSV, 'utf8'))).toHaveLength(10_571);
  });

  it("has the city's departments as units of their own level, with codes of the installation's own", () => {
    expect(reg.departments.length).toBeGreaterThanOrEqual(15);
    expect(reg.departments.length).toBeLessThanOrEqual(20);
    for (const d of reg.departments) {
      expect(d).toMatchObject({ level: 'department', parentGsoCode: '01' });
      expect(['Sở', 'Ban', 'Ngành']).toContain(d.type);
      expect(d.gsoCode).toMatch(/^01-[SBN]\d{2}$/);
    }
    expect(new Set(reg.departments.map((d) => d.gsoCode)).size).toBe(reg.departments.length);
  });

  it('shares each old commune out whole: whole merges 1, parts estimated', () => {
    const byOld = new Map<string, number>();
    for (const l of reg.lineage) byOld.set(l.oldCode, (byOld.get(l.oldCode) ?? 0) + l.share);
    expect(byOld.size).toBe(526);
    for (const total of byOld.values()) expect(total).toBeCloseTo(1, 12);
    expect(reg.lineage.find((l) => l.oldCode === '10114' && l.newCode === '10114')).toMatchObject({ note: 'Nhập toàn bộ', share: 1, estimated: false });
    expect(reg.lineage.filter((l) => l.estimated).length).toBeGreaterThan(100);
  });

  it('places every new commune on its own tile of a 14 × 12 grid, as the committed script does', () => {
    const tiles = loadTilesCsv(HANOI_2025_TILES_CSV);
    expect(tiles.map((t) => t.gsoCode).sort()).toEqual(reg.communes.map((u) => u.gsoCode).sort());
    expect(new Set(tiles.map((t) => `${t.col},${t.row}`)).size).toBe(126);
    for (const t of tiles) {
      expect(t.col).toBeLessThan(14);
      expect(t.row).toBeLessThan(12);
    }
    expect(layout().map((p) => ({ gsoCode: p.code, col: p.col, row: p.row }))).toEqual(tiles);
    // Roughly where they lie: Sóc Sơn north of Phú Xuyên, Ba Vì west of Gia Lâm.
    const at = (name: string) => tiles.find((t) => t.gsoCode === reg.communes.find((u) => u.name === name)!.gsoCode)!;
    expect(at('Xã Sóc Sơn').row).toBeLessThan(at('Xã Phú Xuyên').row);
    expect(at('Xã Ba Vì').col).toBeLessThan(at('Xã Gia Lâm').col);
  });
});

describe('CSV records', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and names an unclosed quote', () => {
    expect(csvRecords('a,b\n1,"x, y"\r\n2,"say ""hi"""\n\n3,"two\nlines"\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'x, y'] },
      { line: 3, cells: ['2', 'say "hi"'] },
      { line: 5, cells: ['3', 'two\nlines'] }
    ]);
    expect(() => csvRecords('a\n"open\n', 'f.csv')).toThrow('f.csv line 2: a quoted field is never closed');
  });
});

describe("the seed's history", () => {
  it('reaches back across the reform unless BACKFILL_DAYS says otherwise', () => {
    expect(historyStart('2026-12-02')).toBe(DEMO_HISTORY_FROM);
    expect(historyStart('2026-12-02', 40)).toBe('2026-10-24');
    expect(historyStart('2030-01-01')).toBe(DEMO_HISTORY_FROM); // still across the reform
    expect(historyStart('2025-09-01')).toBe('2024-06-29'); // 430 days, when that reaches further
  });
  it('is asked for in pieces that never span a change of the register', () => {
    expect(splitAt({ from: '2025-06-01', to: '2025-07-31' }, ['2025-07-01'])).toEqual([
      { from: '2025-06-01', to: '2025-06-30' },
      { from: '2025-07-01', to: '2025-07-31' }
    ]);
    expect(splitAt({ from: '2025-07-01', to: '2025-07-31' }, ['2025-07-01'])).toEqual([{ from: '2025-07-01', to: '2025-07-31' }]);
    expect(splitAt({ from: '2025-08-01', to: '2025-08-31' }, ['2025-07-01'])).toEqual([{ from: '2025-08-01', to: '2025-08-31' }]);
  });
});
