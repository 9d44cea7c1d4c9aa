/**
 * The demo's register: Hà Nội before and after the two-tier reform of 1 July 2025 (Resolution
 * 202/2025/QH15), from the statistics office's files as shipped (db/seed/data):
 * - the city (01), in force throughout: one unit whose children change on the reform day;
 * - its 30 districts and 526 communes (hanoi.csv), in force until 30/06/2025;
 * - its 126 new communes (the rows of vietnam-2025.csv under 01), in force from 01/07/2025, each a
 *   new unit even where it kept an old commune's code (Xã Thanh Oai, 10114, was Thị trấn Kim Bài's);
 * - the city's departments (hanoi-departments.csv), in force from 01/07/2025 (db/seed/data/README.md
 *   says why);
 * - the lineage: merge-2025.csv's 795 rows of old province 01, with the shares of lineageShares().
 * The seed stores it (reform.ts) and the simulator reports it (workers/simulator/register.ts).
 */
import { lineageShares, type LineageShare } from '#domain/lineage';
import { HANOI_CSV, HANOI_DEPARTMENTS_CSV, loadMergeCsv, loadUnitsCsv, VIETNAM_2025_CSV, type UnitRow } from './units-csv.ts';

/** The city this installation serves (the app_meta fact home_unit). */
export const HOME_CODE = '01';
/** The first day of the two-tier map. */
export const REFORM_DAY = '2025-07-01';
/** The last day of the districts and their communes. */
export const LAST_OLD_DAY = '2025-06-30';
/**
 * The seed's history starts here by default (BACKFILL_DAYS unset): the first day of the reporting
 * year 2025 (15/12/2024 – 14/12/2025, Decree 09/2019), so the year 2025 and its reporting year, both
 * across the reform, are whole on the boards; or 430 days back, when that is earlier.
 */
export const DEMO_HISTORY_FROM = '2024-12-15';

export interface DemoRegister {
  city: UnitRow;
  /** The 30 districts and 526 communes, in the register's order: in force until LAST_OLD_DAY. */
  before: UnitRow[];
  /** The 126 communes since the reform, in the register's order: in force from REFORM_DAY. */
  communes: UnitRow[];
  /** The city's sở, ban and ngành: in force from REFORM_DAY. */
  departments: UnitRow[];
  /** Which old commune went into which new one, with its share (795 links). */
  lineage: LineageShare[];
}

let memo: DemoRegister | null = null;

/** Read once per process; throws, naming the code, when the files do not fit together. */
export function hanoiRegister(): DemoRegister {
  if (memo) return memo;
  const old = loadUnitsCsv(HANOI_CSV);
  const city = old.find((u) => u.gsoCode === HOME_CODE && u.parentGsoCode === null);
  if (!city) throw new Error(`${HANOI_CSV}: no row for the city ${HOME_CODE}`);
  const before = old.filter((u) => u !== city);
  const communes = loadUnitsCsv(VIETNAM_2025_CSV).filter((u) => u.parentGsoCode === HOME_CODE && u.level === 'commune');
  const departments = loadUnitsCsv(HANOI_DEPARTMENTS_CSV);
  for (const d of departments) {
    if (d.level !== 'department' || d.parentGsoCode !== HOME_CODE) throw new Error(`${HANOI_DEPARTMENTS_CSV}: ${d.gsoCode} must be a department under ${HOME_CODE}`);
  }
  const links = loadMergeCsv().filter((m) => m.oldProvinceCode === HOME_CODE);
  const oldCommunes = new Set(before.filter((u) => u.level === 'commune').map((u) => u.gsoCode));
  const newCommunes = new Set(communes.map((u) => u.gsoCode));
  for (const l of links) {
    if (!oldCommunes.has(l.oldCode)) throw new Error(`merge-2025.csv: old commune ${l.oldCode} (${l.oldName}) is not in hanoi.csv`);
    if (!newCommunes.has(l.newCode)) throw new Error(`merge-2025.csv: new commune ${l.newCode} (${l.newName}) is not a commune of ${HOME_CODE} in vietnam-2025.csv`);
  }
  const lineage = lineageShares(links.map((l) => ({ oldCode: l.oldCode, newCode: l.newCode, note: l.note })));
  const withPredecessors = new Set(lineage.map((l) => l.newCode));
  const orphan = communes.find((c) => !withPredecessors.has(c.gsoCode));
  if (orphan) throw new Error(`merge-2025.csv: the new commune ${orphan.gsoCode} (${orphan.name}) has no predecessor`);
  memo = { city, before, communes, departments, lineage };
  return memo;
}
