/**
 * The police's e-ID statistics (VNeID, Đề án 06): per commune and calendar day, the cumulative
 * stocks of citizens eligible, level-2 applications collected, and accounts activated.
 * Magnitudes: collection rises from ~77–93 % (late 2024) towards 92–99.5 % per commune, ~93 %
 * city-wide by late 2026; domain.md's Thanh Oai, 97.7 % identified in 2024, was a leading district,
 * which the best communes here reach a year later. Activation rises from ~60–70 % to ~80–90 %
 * (~83 % city-wide in late 2026): higher and faster in well-run districts (~93 %), lower and slower
 * in badly run ones (~65 %); collection follows the district's management level only a little.
 * Stocks are reported every day, Sundays too, never go down, and today's grow through the working day.
 */
import { dayNumber } from './calendar.ts';
import { workdayProgress } from './dossiers.ts';
import { managementLevel, shifted } from './management.ts';
import { between, normal, uniform } from '#server/seed/random';

export interface EidDay {
  eligible: number;
  level2Collected: number;
  activated: number;
}

interface EidProfile {
  population: number;
  eligibleShare: number;
  collectedStart: number;
  collectedTarget: number;
  collectedDays: number;
  activatedStart: number;
  activatedTarget: number;
  activatedDays: number;
}

/** The day the curves start from: mid-2024, when most communes had collected ~75–90 %. */
const START_DAY = dayNumber('2024-06-01');
const YEAR_2026 = dayNumber('2026-01-01');

/**
 * The commune's synthetic population: the very formula the seed stores as `population`
 * (keyed without the simulator's seed), so that eligible citizens stay below the population on screen.
 */
export function syntheticPopulation(unitCode: string): number {
  return Math.round(6_000 + 24_000 * uniform('population', unitCode));
}

const clamp = (lo: number, hi: number, x: number) => Math.min(hi, Math.max(lo, x));

const profiles = new Map<string, EidProfile>();
function profile(seed: string, unitCode: string): EidProfile {
  const key = `${seed}|${unitCode}`;
  let p = profiles.get(key);
  if (!p) {
    const level = managementLevel(seed, unitCode);
    const own = (name: string) => 0.3 * normal(seed, unitCode, name);
    const collectedTarget = clamp(0.92, 0.995, shifted(0.968, level, 0.3, own('eid-l2-target')));
    const activatedTarget = clamp(0.82, 0.97, shifted(0.935, level, 0.4, own('eid-act-target')));
    p = {
      population: syntheticPopulation(unitCode),
      eligibleShare: between(0.8, 0.88, seed, unitCode, 'eid-eligible'),
      // A start below the target keeps every curve rising, hence cumulative.
      collectedStart: Math.min(collectedTarget - 0.02, clamp(0.7, 0.92, shifted(0.82, level, 0.2, own('eid-l2-start')))),
      collectedTarget,
      collectedDays: between(300, 700, seed, unitCode, 'eid-l2-days'),
      activatedStart: Math.min(activatedTarget - 0.05, clamp(0.45, 0.8, shifted(0.63, level, 0.35, own('eid-act-start')))),
      activatedTarget,
      // Slow: activation keeps moving every day (a few accounts a commune), while collection nears saturation;
      // a well-run district's communes get there sooner.
      activatedDays: between(700, 1100, seed, unitCode, 'eid-act-days') * Math.exp(-0.25 * level)
    };
    profiles.set(key, p);
  }
  return p;
}

/** A share rising from `start` (at START_DAY) towards `target`, never below `floor`. Non-decreasing in `day`. */
function approach(start: number, target: number, days: number, day: number, floor: number): number {
  return Math.max(floor, target - (target - start) * Math.exp(-(day - START_DAY) / days));
}

/**
 * The stocks at a (fractional) day number: every factor is non-decreasing in `day`, and each
 * count is the floor of a product of non-decreasing factors, so the stocks never go down and
 * activated ≤ collected ≤ eligible at every instant.
 */
function stocksAt(p: EidProfile, day: number): EidDay {
  const eligible = Math.floor(p.population * p.eligibleShare * (1 + 0.005 * ((day - YEAR_2026) / 365.25)));
  const level2Collected = Math.floor(eligible * approach(p.collectedStart, p.collectedTarget, p.collectedDays, day, 0.5));
  const activated = Math.floor(level2Collected * approach(p.activatedStart, p.activatedTarget, p.activatedDays, day, 0.6));
  return { eligible, level2Collected, activated };
}

/**
 * The stocks of one commune at the end of `date`, as observed at `now`: today's are between
 * yesterday's closing and today's, by the share of working hours gone (a date after now reads
 * as the previous day's closing; the API never serves it).
 */
export function eidDay(seed: string, unitCode: string, date: string, now: Date): EidDay {
  return stocksAt(profile(seed, unitCode), dayNumber(date) - 1 + workdayProgress(date, now));
}

/**
 * A commune formed at a reform: its predecessors' stocks, each times its share, rounded. Rounding is
 * monotone, so activated ≤ collected ≤ eligible still holds and the stocks still never go down.
 */
export function composeEid(parts: readonly { day: EidDay; share: number }[]): EidDay {
  const mix = (f: (d: EidDay) => number) => Math.round(parts.reduce((sum, p) => sum + p.share * f(p.day), 0));
  const eligible = mix((d) => d.eligible);
  const level2Collected = Math.min(eligible, mix((d) => d.level2Collected));
  return { eligible, level2Collected, activated: Math.min(level2Collected, mix((d) => d.activated)) };
}
