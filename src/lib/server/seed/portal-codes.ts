/**
 * The national public-service portal's codes of the demo's units (db/seed/data/hanoi-portal.csv,
 * generated once by db/seed/portal-2025.ts): `gso_code,portal_code,portal_id`, one row for the city
 * (01 → H26), one per department (hanoi-departments.csv's order → H26.01 … two digits), one per
 * commune in force since 01/07/2025 (GSO code ascending → H26.100 … three digits). portal_id is the
 * UUID the portal knows a unit by (its `departmentId`; the city's is the `rootDepartmentId` of every
 * request): derived from the code, so the file can always be made again the same.
 *
 * The seed writes them into units.external_codes as { portal, portal_id } (writePortalCodes, called
 * by reform.ts' applyDemoReform); the simulator's portal (workers/simulator/portal*.ts) answers with them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Queryable } from '#db/client';
import { csvRecords } from './units-csv.ts';

export const HANOI_PORTAL_CSV = fileURLToPath(new URL('../../../../db/seed/data/hanoi-portal.csv', import.meta.url));

/** The city's code on the portal. */
export const PORTAL_ROOT_CODE = 'H26';

export interface PortalCodeRow {
  gsoCode: string;
  /** H26, H26.01 … (agencies), H26.100 … (communes). */
  portalCode: string;
  /** The portal's UUID of the unit (departmentId). */
  portalId: string;
}

export const PORTAL_COLUMNS = ['gso_code', 'portal_code', 'portal_id'] as const;

const PORTAL_CODE = /^H\d{2}(\.\d{2,3})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The portal_id of a portal code: sha1("portal:" + code) as 8-4-4-4-12 hex, with the version nibble
 * 4 and the RFC 4122 variant bits (10xx), so that it reads as a UUID v4 to any validator.
 */
export function portalIdOf(portalCode: string): string {
  const h = createHash('sha1').update(`portal:${portalCode}`).digest('hex').slice(0, 32).split('');
  h[12] = '4';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** Parses the codes file; a bad row throws, naming the file, its line and what is wrong. */
export function parsePortalCodes(text: string, file = 'portal codes CSV'): PortalCodeRow[] {
  const [header, ...records] = csvRecords(text, file);
  const got = header?.cells.map((h) => h.trim());
  if (!got || got.length !== PORTAL_COLUMNS.length || PORTAL_COLUMNS.some((h, i) => got[i] !== h)) {
    throw new Error(`${file}: the header must be ${PORTAL_COLUMNS.join(',')}, got ${got?.join(',') ?? 'nothing'}`);
  }
  const rows: PortalCodeRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of records) {
    const bad = (why: string) => new Error(`${file} line ${line}: ${why} in "${cells.join(',')}"`);
    if (cells.length !== PORTAL_COLUMNS.length) throw bad(`expected ${PORTAL_COLUMNS.length} fields, got ${cells.length}`);
    const [gsoCode, portalCode, portalId] = cells.map((c) => c.trim()) as [string, string, string];
    if (!gsoCode) throw bad('gso_code is empty');
    if (!PORTAL_CODE.test(portalCode)) throw bad(`portal_code "${portalCode}" is not H<2 digits>[.<2 or 3 digits>]`);
    if (!UUID.test(portalId)) throw bad(`portal_id "${portalId}" is not a lower-case UUID`);
    for (const [what, key] of [['gso_code', `g:${gsoCode}`], ['portal_code', `p:${portalCode}`], ['portal_id', `i:${portalId}`]] as const) {
      const first = seen.get(key);
      if (first !== undefined) throw bad(`${what} already on line ${first}`);
      seen.set(key, line);
    }
    rows.push({ gsoCode, portalCode, portalId });
  }
  return rows;
}

const memo = new Map<string, PortalCodeRow[]>();

/** The rows of the file (read once per process). */
export function loadPortalCodes(file = HANOI_PORTAL_CSV): PortalCodeRow[] {
  let rows = memo.get(file);
  if (!rows) {
    rows = parsePortalCodes(readFileSync(file, 'utf8'), file);
    memo.set(file, rows);
  }
  return rows;
}

/**
 * Writes { portal, portal_id } into units.external_codes (other code systems kept) of the units the
 * file names that are in force now and have no end: the city and the units of 01/07/2025 (`since`),
 * never an old unit that ended at the reform, though a new commune may have kept its code.
 * In the caller's transaction; a second run changes nothing.
 */
export async function writePortalCodes(tx: Queryable, since: string, rows: PortalCodeRow[] = loadPortalCodes()): Promise<number> {
  const changed = await tx`
    update units u set external_codes = u.external_codes || jsonb_build_object('portal', t.portal, 'portal_id', t.id)
    from unnest(${rows.map((r) => r.gsoCode)}::text[], ${rows.map((r) => r.portalCode)}::text[], ${rows.map((r) => r.portalId)}::text[]) as t(code, portal, id)
    where u.gso_code = t.code and u.valid_to is null and (u.valid_from is null or u.valid_from = ${since}::date)
      and (u.external_codes ->> 'portal' is distinct from t.portal or u.external_codes ->> 'portal_id' is distinct from t.id)
    returning u.id`;
  return changed.length;
}
