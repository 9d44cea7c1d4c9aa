import { describe, expect, it } from 'vitest';
import { datesBetween } from '#domain/periods';
import { eidDay, syntheticPopulation } from './eid.ts';

const evening = new Date('2026-11-30T12:00:00Z'); // 19:00 ICT
const codes = ['00001', '00004', '00007', '00118', '00277', '09619', '10030', '10036'];

describe('the simulated e-ID statistics', () => {
  it('is deterministic for a seed, commune and date', () => {
    expect(eidDay('s', '00001', '2026-11-20', evening)).toEqual(eidDay('s', '00001', '2026-11-20', evening));
    expect(eidDay('s', '00001', '2026-11-20', evening)).not.toEqual(eidDay('other', '00001', '2026-11-20', evening));
  });
  it('keeps activated ≤ collected ≤ eligible < population, in real proportions', () => {
    for (const code of codes) {
      for (const date of datesBetween('2026-10-01', '2026-10-31')) {
        const d = eidDay('s', code, date, evening);
        expect(d.activated).toBeLessThanOrEqual(d.level2Collected);
        expect(d.level2Collected).toBeLessThanOrEqual(d.eligible);
        expect(d.eligible / syntheticPopulation(code)).toBeGreaterThan(0.79);
        expect(d.eligible / syntheticPopulation(code)).toBeLessThan(0.89);
        expect(d.level2Collected / d.eligible).toBeGreaterThan(0.85);
        expect(d.level2Collected / d.eligible).toBeLessThanOrEqual(0.995);
        expect(d.activated / d.level2Collected).toBeGreaterThanOrEqual(0.6);
        expect(d.activated / d.level2Collected).toBeLessThanOrEqual(0.97);
      }
    }
  });
  it('never goes down from one day to the next, Sundays included', () => {
    for (const code of codes) {
      let before = eidDay('s', code, '2025-10-31', evening);
      for (const date of datesBetween('2025-11-01', '2026-11-30')) {
        const d = eidDay('s', code, date, evening);
        expect(d.eligible).toBeGreaterThanOrEqual(before.eligible);
        expect(d.level2Collected).toBeGreaterThanOrEqual(before.level2Collected);
        expect(d.activated).toBeGreaterThanOrEqual(before.activated);
        before = d;
      }
    }
  });
  it('collects towards saturation: from about 80 % two years ago to over 90 % now, differently per commune', () => {
    const rate = (date: string) => {
      let eligible = 0;
      let collected = 0;
      for (const code of codes) {
        const d = eidDay('s', code, date, evening);
        eligible += d.eligible;
        collected += d.level2Collected;
      }
      return collected / eligible;
    };
    expect(rate('2024-11-20')).toBeGreaterThan(0.75);
    expect(rate('2024-11-20')).toBeLessThan(0.9);
    expect(rate('2026-11-20')).toBeGreaterThan(0.9);
    const now = codes.map((c) => eidDay('s', c, '2026-11-20', evening)).map((d) => d.level2Collected / d.eligible);
    expect(Math.max(...now) - Math.min(...now)).toBeGreaterThan(0.01);
  });
  it("grows today's stocks through the working day, from yesterday's closing", () => {
    const total = (date: string, now: Date) =>
      codes.map((c) => eidDay('s', c, date, now)).reduce((sum, d) => sum + d.level2Collected + d.activated, 0);
    const at = (iso: string) => total('2026-11-20', new Date(iso));
    const yesterday = total('2026-11-19', new Date('2026-11-20T05:00:00Z'));
    expect(at('2026-11-19T23:00:00Z')).toBe(yesterday); // 06:00 ICT: nothing yet
    const noon = at('2026-11-20T05:00:00Z');
    const closing = at('2026-11-20T15:00:00Z');
    expect(noon).toBeGreaterThan(yesterday);
    expect(closing).toBeGreaterThan(noon);
    expect(closing).toBe(total('2026-11-20', evening));
    expect(eidDay('s', '00004', '2026-11-20', new Date('2026-11-19T23:00:00Z'))).toEqual(eidDay('s', '00004', '2026-11-19', evening));
  });
});
