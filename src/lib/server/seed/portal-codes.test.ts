import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { portalCsv, portalRows } from '../../../../db/seed/portal-2025.ts';
import { hanoiRegister } from './hanoi-2025.ts';
import { HANOI_PORTAL_CSV, loadPortalCodes, parsePortalCodes, portalIdOf } from './portal-codes.ts';

describe("the national portal's codes of the demo's units", () => {
  const rows = loadPortalCodes();
  const reg = hanoiRegister();

  it('are the file the generator makes: the city, the departments in file order, the communes by code', () => {
    expect(readFileSync(HANOI_PORTAL_CSV, 'utf8')).toBe(portalCsv(portalRows()));
    expect(rows).toHaveLength(1 + reg.departments.length + 126);
    expect(rows[0]).toEqual({ gsoCode: '01', portalCode: 'H26', portalId: portalIdOf('H26') });
    expect(rows.slice(1, 20).map((r) => r.gsoCode)).toEqual(reg.departments.map((d) => d.gsoCode));
    expect(rows.slice(1, 20).map((r) => r.portalCode)).toEqual(Array.from({ length: 19 }, (_, i) => `H26.${String(i + 1).padStart(2, '0')}`));
    const communes = rows.slice(20);
    expect(communes.map((r) => r.gsoCode)).toEqual(reg.communes.map((c) => c.gsoCode).sort());
    expect(communes[0]).toMatchObject({ portalCode: 'H26.100' });
    expect(communes.at(-1)).toMatchObject({ portalCode: 'H26.225' });
  });

  it('derive each portal_id from the code: sha1, UUID v4 layout', () => {
    for (const r of rows) {
      expect(r.portalId).toBe(portalIdOf(r.portalCode));
      expect(r.portalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(rows.map((r) => r.portalId)).size).toBe(rows.length);
  });

  it('refuse a bad row, naming the line and why', () => {
    const head = 'gso_code,portal_code,portal_id\n';
    const ok = `01,H26,${portalIdOf('H26')}\n`;
    expect(() => parsePortalCodes('gso,portal\n', 'f.csv')).toThrow('f.csv: the header must be gso_code,portal_code,portal_id, got gso,portal');
    expect(() => parsePortalCodes(`${head}${ok}00004,H26.100\n`, 'f.csv')).toThrow(/^f\.csv line 3: expected 3 fields, got 2/);
    expect(() => parsePortalCodes(`${head}${ok}00004,26.100,${portalIdOf('H26.100')}\n`, 'f.csv')).toThrow(/line 3: portal_code "26.100"/);
    expect(() => parsePortalCodes(`${head}${ok}00004,H26.100,not-a-uuid\n`, 'f.csv')).toThrow(/line 3: portal_id "not-a-uuid"/);
    expect(() => parsePortalCodes(`${head}${ok},H26.100,${portalIdOf('H26.100')}\n`, 'f.csv')).toThrow(/line 3: gso_code is empty/);
    expect(() => parsePortalCodes(`${head}${ok}00004,H26,${portalIdOf('H26.100')}\n`, 'f.csv')).toThrow(/line 3: portal_code already on line 2/);
    expect(parsePortalCodes(`\uFEFF${head}${ok}`)).toEqual([{ gsoCode: '01', portalCode: 'H26', portalId: portalIdOf('H26') }]);
  });
});
