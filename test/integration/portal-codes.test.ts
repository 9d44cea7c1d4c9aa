/**
 * The seed gives the demo's units of today their national portal codes (units.external_codes
 * { portal, portal_id }, from db/seed/data/hanoi-portal.csv): the city and the units in force since
 * 01/07/2025, never an old unit, other code systems kept; twice is once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFORM_DAY } from '#server/seed/hanoi-2025';
import { loadPortalCodes, writePortalCodes } from '#server/seed/portal-codes';
import { seedDemoUnits } from '#server/seed/reform';
import { syntheticPopulation } from '#server/seed/seed';
import { freshDatabase } from '../support/db.ts';

type TestDb = Awaited<ReturnType<typeof freshDatabase>>;

describe("the seed's portal codes", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDatabase();
    await db.sql.begin((tx) => seedDemoUnits(tx, syntheticPopulation));
  });
  afterAll(async () => db?.drop());

  const coded = () =>
    db.sql<{ gso_code: string; level: string; valid_from: string | null; external_codes: Record<string, string> }[]>`
      select gso_code, level, valid_from::text, external_codes from units where external_codes ? 'portal' order by external_codes ->> 'portal'`;

  it('writes { portal, portal_id } on the city, the 19 departments and the 126 communes of today', async () => {
    const rows = await coded();
    const file = loadPortalCodes();
    expect(rows).toHaveLength(file.length);
    const byCode = new Map(rows.map((r) => [r.gso_code, r]));
    for (const f of file) {
      const u = byCode.get(f.gsoCode)!;
      expect(u.external_codes).toEqual({ portal: f.portalCode, portal_id: f.portalId });
      expect(u.valid_from).toBe(f.gsoCode === '01' ? null : REFORM_DAY);
    }
    expect(byCode.get('01')!.level).toBe('province');
    // An old commune whose code a new one kept (10114, Thị trấn Kim Bài → Xã Thanh Oai) has none.
    expect(await db.sql`select external_codes from units where gso_code = '10114' and valid_to is not null`).toEqual([{ external_codes: {} }]);
  });

  it('keeps other code systems, and changes nothing the second time', async () => {
    await db.sql`update units set external_codes = external_codes || '{"dvc": "000.00.26.H26"}'::jsonb where gso_code = '01'`;
    await db.sql`update units set external_codes = external_codes - 'portal_id' where gso_code = '00004' and valid_to is null`;
    expect(await db.sql.begin((tx) => writePortalCodes(tx, REFORM_DAY))).toBe(1); // only the one without its id
    const before = await coded();
    expect(before.find((r) => r.gso_code === '01')!.external_codes).toEqual({ dvc: '000.00.26.H26', portal: 'H26', portal_id: loadPortalCodes()[0]!.portalId });
    await db.sql.begin((tx) => seedDemoUnits(tx, syntheticPopulation));
    expect(await db.sql.begin((tx) => writePortalCodes(tx, REFORM_DAY))).toBe(0);
    expect(await coded()).toEqual(before);
  });
});
