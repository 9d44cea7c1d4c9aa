/**
 * Generates db/seed/data/hanoi-portal.csv: the national portal's codes of the demo's units. Run once,
 * by hand, when the register changes (the output is committed; the seed and the simulator only read it):
 *
 *   npx tsx db/seed/portal-2025.ts
 *
 * The city 01 → H26; the departments in hanoi-departments.csv's order → H26.01, H26.02 … (two
 * digits); the communes in force since 01/07/2025 in ascending GSO code → H26.100, H26.101 …
 * (three digits), as the portal numbers a province's agencies and communes. portal_id: portalIdOf().
 */
import { writeFileSync } from 'node:fs';
import { hanoiRegister } from '../../src/lib/server/seed/hanoi-2025.ts';
import { HANOI_PORTAL_CSV, PORTAL_COLUMNS, PORTAL_ROOT_CODE, portalIdOf, type PortalCodeRow } from '../../src/lib/server/seed/portal-codes.ts';

export function portalRows(): PortalCodeRow[] {
  const reg = hanoiRegister();
  const row = (gsoCode: string, portalCode: string): PortalCodeRow => ({ gsoCode, portalCode, portalId: portalIdOf(portalCode) });
  const communes = [...reg.communes].sort((a, b) => (a.gsoCode < b.gsoCode ? -1 : a.gsoCode > b.gsoCode ? 1 : 0));
  return [
    row(reg.city.gsoCode, PORTAL_ROOT_CODE),
    ...reg.departments.map((d, i) => row(d.gsoCode, `${PORTAL_ROOT_CODE}.${String(i + 1).padStart(2, '0')}`)),
    ...communes.map((c, i) => row(c.gsoCode, `${PORTAL_ROOT_CODE}.${100 + i}`))
  ];
}

export function portalCsv(rows: PortalCodeRow[]): string {
  return [PORTAL_COLUMNS.join(','), ...rows.map((r) => `${r.gsoCode},${r.portalCode},${r.portalId}`)].join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(HANOI_PORTAL_CSV, portalCsv(portalRows()));
  console.log(`wrote ${HANOI_PORTAL_CSV}`);
}
