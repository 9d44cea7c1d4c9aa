/**
 * How well each district is run. In the real city, performance is driven by district-level
 * management (one district's one-stop shop is run well, its neighbour's is not), and a district's
 * communes resemble each other. So every district gets a persistent management level, drawn once
 * from the seed and the district's code, which shifts the profiles of all its communes in all four
 * systems; each commune's own variation comes on top (see `shift`).
 *
 * A level is a standard normal number, clamped to ±2.3: 0 is a typical district, +2 one of the
 * best of thirty, −2 one of the worst. The systems apply it on the logit scale, so that good
 * districts crowd towards the ceiling (100 % on time is hard to beat) while badly run ones trail
 * far behind, as real rankings look.
 */
import { loadUnitsCsv } from '#server/seed/units-csv';
import { between, normal, uniform } from '#server/seed/random';

let parents: Map<string, string> | null = null;

/**
 * The GSO code of the district a unit belongs to: a commune's parent in the units register
 * (db/seed/data/hanoi.csv, the register main.ts serves), a district itself. A code the register
 * does not have (a made-up one) is its own district, with a level of its own.
 */
export function districtOf(unitCode: string): string {
  parents ??= new Map(
    loadUnitsCsv()
      .filter((u) => u.level === 'commune' && u.parentGsoCode !== null)
      .map((u) => [u.gsoCode, u.parentGsoCode!])
  );
  return parents.get(unitCode) ?? unitCode;
}

interface District {
  level: number;
  driftDays: number;
  driftPhase: number;
}

const districts = new Map<string, District>();
function district(seed: string, unitCode: string): District {
  const code = districtOf(unitCode);
  const key = `${seed}|${code}`;
  let d = districts.get(key);
  if (!d) {
    d = {
      level: Math.min(2.3, Math.max(-2.3, normal(seed, 'district', code, 'management'))),
      driftDays: between(300, 720, seed, 'district', code, 'management-drift-days'),
      driftPhase: uniform(seed, 'district', code, 'management-drift-phase')
    };
    districts.set(key, d);
  }
  return d;
}

/** The persistent management level of the unit's district (the unit's own, for a district). */
export function managementLevel(seed: string, unitCode: string): number {
  return district(seed, unitCode).level;
}

/**
 * The level on a day (a day number): the persistent level plus a slow wave of ±0.25 over one to two
 * years (a new head of the one-stop shop, a backlog), so that neighbours in the ranking trade places
 * between periods. Only flows (dossiers, tasks) follow it; stocks, which must never go down, use
 * the persistent level.
 */
export function managementLevelOn(seed: string, unitCode: string, day: number): number {
  const d = district(seed, unitCode);
  return d.level + 0.25 * Math.sin(2 * Math.PI * (day / d.driftDays + d.driftPhase));
}

const logit = (p: number) => Math.log(p / (1 - p));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * A rate shifted on the logit scale: `typical` is a typical district's rate (level 0, no own
 * variation), `shift` how many logit units one level moves it, plus the unit's own deviation
 * (in logit units, usually `sd × normal(…)`). Strictly between 0 and 1.
 */
export function shifted(typical: number, level: number, sensitivity: number, own = 0): number {
  return logistic(logit(typical) + sensitivity * level + own);
}
