import { describe, expect, it } from 'vitest';
import { isBelowTarget, parsePercent, resolveTarget, scopeTargetLines, shortfalls, type TargetRule } from './targets.ts';

const month = { kind: 'month' as const, start: '2026-11-01' };
const rule = (r: Partial<TargetRule> & { minRatio: number }): TargetRule => ({ indicatorKey: 'dossier.on_time', unitId: null, periodKind: null, periodStart: null, ...r });

describe('resolveTarget: the most specific target applies', () => {
  const city = rule({ minRatio: 0.95 });
  const cityNov = rule({ minRatio: 0.97, periodKind: 'month', periodStart: '2026-11-01' });
  const unit7 = rule({ minRatio: 0.9, unitId: 7 });
  const unit7Nov = rule({ minRatio: 0.92, unitId: 7, periodKind: 'month', periodStart: '2026-11-01' });
  const other = rule({ minRatio: 0.5, indicatorKey: 'eid.activation' });

  it('takes the city’s for a unit with none of its own', () => {
    expect(resolveTarget([city, other], 3, 'dossier.on_time', month)).toBe(city);
  });
  it('takes the city’s for this period over the city’s for every period', () => {
    expect(resolveTarget([city, cityNov], 3, 'dossier.on_time', month)).toBe(cityNov);
    expect(resolveTarget([city, cityNov], 3, 'dossier.on_time', { kind: 'month', start: '2026-10-01' })).toBe(city);
    expect(resolveTarget([city, cityNov], 3, 'dossier.on_time', { kind: 'quarter', start: '2026-10-01' })).toBe(city);
  });
  it('takes the unit’s own over the city’s, even the city’s for this period', () => {
    expect(resolveTarget([cityNov, unit7, city], 7, 'dossier.on_time', month)).toBe(unit7);
  });
  it('takes the unit’s own for this period over everything', () => {
    expect(resolveTarget([unit7Nov, cityNov, unit7, city], 7, 'dossier.on_time', month)).toBe(unit7Nov);
    expect(resolveTarget([unit7Nov, cityNov, unit7, city], 8, 'dossier.on_time', month)).toBe(cityNov);
  });
  it('answers null where nothing applies', () => {
    expect(resolveTarget([unit7, other], 3, 'dossier.on_time', month)).toBeNull();
    expect(resolveTarget([], 3, 'dossier.on_time', month)).toBeNull();
  });
});

describe('isBelowTarget', () => {
  it('is below only strictly under, on the shown precision', () => {
    expect(isBelowTarget(0.917, 0.95)).toBe(true);
    expect(isBelowTarget(0.95, 0.95)).toBe(false);
    expect(isBelowTarget(0.94996, 0.95)).toBe(false);
    expect(isBelowTarget(0.9489, 0.95)).toBe(true);
    expect(isBelowTarget(null, 0.95)).toBe(false);
    expect(isBelowTarget(0.5, null)).toBe(false);
  });
});

describe('parsePercent', () => {
  it('reads a percentage as typed in Vietnam or elsewhere', () => {
    expect(parsePercent('95')).toBe(0.95);
    expect(parsePercent('95,5')).toBe(0.955);
    expect(parsePercent(' 95.25 % ')).toBe(0.9525);
    expect(parsePercent('100')).toBe(1);
  });
  it('refuses what is not one', () => {
    for (const bad of ['', 'abc', '0', '101', '95,555', '-5', '9 5,5x']) expect(parsePercent(bad)).toBeNull();
  });
});

describe('scopeTargetLines', () => {
  it('weighs the city’s ratio by the rows’ counts and counts who is below', () => {
    const lines = scopeTargetLines({
      indicators: [{ key: 'a', nameVi: 'A' }, { key: 'b', nameVi: 'B' }],
      rows: [{ indicators: { a: { numerator: 90, denominator: 100 }, b: { numerator: 1, denominator: 1 } } }, { indicators: { a: { numerator: 300, denominator: 300 }, b: { numerator: null, denominator: null } } }],
      targets: { scope: { a: 0.95 }, below: { a: 1 } }
    });
    expect(lines).toEqual([{ key: 'a', nameVi: 'A', ratio: 0.975, target: 0.95, below: false, unitsBelow: 1 }]);
    expect(scopeTargetLines({ indicators: [], rows: [] })).toEqual([]);
  });
});

describe('shortfalls: who is below the target that applies to them (the alerts’ “below its target”)', () => {
  const city = rule({ minRatio: 0.95 });
  const unit7 = rule({ minRatio: 0.9, unitId: 7 });
  const eid = rule({ minRatio: 0.8, indicatorKey: 'eid.activation' });
  const rows = [
    { unitId: 3, indicators: { 'dossier.on_time': { ratio: 0.901 }, 'eid.activation': { ratio: 0.85 } } },
    // 0.92 is below the city's 95 % but not below its own 90 %: its own applies.
    { unitId: 7, indicators: { 'dossier.on_time': { ratio: 0.92 }, 'eid.activation': { ratio: 0.7 } } },
    // 95,0 % at the shown precision is not below 95 %; no ratio is never below.
    { unitId: 8, indicators: { 'dossier.on_time': { ratio: 0.94996 }, 'eid.activation': { ratio: null } } },
    { unitId: 9, indicators: null }
  ];
  it('uses the precedence and the strict comparison, one entry per unit and indicator', () => {
    const found = shortfalls(rows, [city, unit7, eid], null, month);
    expect(found.map((f) => [f.unitId, f.indicatorKey, f.ratio, f.rule.minRatio])).toEqual([
      [3, 'dossier.on_time', 0.901, 0.95],
      [7, 'eid.activation', 0.7, 0.8]
    ]);
    expect(found[0]!.rule).toBe(city);
  });
  it('looks at the one indicator asked, and at nothing without targets', () => {
    expect(shortfalls(rows, [city, unit7, eid], ['eid.activation'], month).map((f) => f.unitId)).toEqual([7]);
    expect(shortfalls(rows, [], null, month)).toEqual([]);
    // A target for another period does not apply.
    expect(shortfalls(rows, [rule({ minRatio: 0.99, periodKind: 'month', periodStart: '2026-10-01' })], null, month)).toEqual([]);
  });
});
