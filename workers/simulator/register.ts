/**
 * The units the simulated systems know, by day: a system answers for the units in force on each day
 * of a query (the districts and old communes before 01/07/2025, the new communes and the city's
 * departments since), in the register's order. The demo city's register comes from the seed's
 * files (src/lib/server/seed/hanoi-2025.ts), so the systems and the database agree.
 */
import { hanoiRegister, LAST_OLD_DAY, REFORM_DAY } from '#server/seed/hanoi-2025';
import type { UnitRow } from '#server/seed/units-csv';
import type { Predecessor, SimUnit } from './http.ts';

export type SimLevel = SimUnit['level'];

export function inForce(u: SimUnit, date: string): boolean {
  return (!u.validFrom || u.validFrom <= date) && (!u.validTo || date <= u.validTo);
}

/** In force on at least one day of [from, to]. */
export function overlaps(u: SimUnit, from: string, to: string): boolean {
  return (!u.validFrom || u.validFrom <= to) && (!u.validTo || from <= u.validTo);
}

export interface Successor {
  unit: SimUnit;
  share: number;
}

export class Register {
  readonly units: readonly SimUnit[];
  private readonly byDay = new Map<string, readonly SimUnit[]>();
  private readonly successorsOf = new Map<string, Successor[]>();

  constructor(units: readonly SimUnit[]) {
    this.units = units;
    for (const u of units) {
      for (const p of u.predecessors ?? []) {
        const list = this.successorsOf.get(p.code) ?? [];
        list.push({ unit: u, share: p.share });
        this.successorsOf.set(p.code, list);
      }
    }
  }

  /** Every unit in force on `date`, in the register's order. */
  on(date: string): readonly SimUnit[] {
    let list = this.byDay.get(date);
    if (!list) {
      list = this.units.filter((u) => inForce(u, date));
      if (this.byDay.size > 20_000) this.byDay.clear(); // a bound, never reached in practice
      this.byDay.set(date, list);
    }
    return list;
  }

  /** The units of some levels in force on `date`. */
  of(date: string, levels: readonly SimLevel[]): SimUnit[] {
    return this.on(date).filter((u) => levels.includes(u.level));
  }

  /** The units of some levels in force on any day of [from, to], in the register's order. */
  during(from: string, to: string, levels: readonly SimLevel[]): SimUnit[] {
    return this.units.filter((u) => levels.includes(u.level) && overlaps(u, from, to));
  }

  /** The units an old unit went into, with its shares (empty for a unit that never ended into another). */
  successors(code: string): readonly Successor[] {
    return this.successorsOf.get(code) ?? [];
  }
}

const simUnit = (u: UnitRow, days: { validFrom?: string; validTo?: string }): SimUnit => ({
  code: u.gsoCode,
  name: u.name,
  level: u.level as SimLevel,
  parentCode: u.parentGsoCode,
  type: u.type,
  ...days
});

/**
 * The demo city as the systems see it (main.ts): the 30 districts and 526 communes until
 * 30/06/2025; from 01/07/2025 the 126 communes, each with its predecessors and their shares, and
 * the departments. The city itself reports nothing of its own.
 */
export function hanoiSimUnits(): SimUnit[] {
  const reg = hanoiRegister();
  const predecessors = new Map<string, Predecessor[]>();
  for (const l of reg.lineage) {
    const list = predecessors.get(l.newCode) ?? [];
    list.push({ code: l.oldCode, share: l.share });
    predecessors.set(l.newCode, list);
  }
  return [
    ...reg.before.map((u) => simUnit(u, { validTo: LAST_OLD_DAY })),
    ...reg.communes.map((u) => ({
      ...simUnit(u, { validFrom: REFORM_DAY }),
      parentName: reg.city.name,
      predecessors: predecessors.get(u.gsoCode) ?? []
    })),
    ...reg.departments.map((u) => ({ ...simUnit(u, { validFrom: REFORM_DAY }), parentName: reg.city.name }))
  ];
}
