import { describe, expect, it } from 'vitest';
import { datesBetween } from '#domain/periods';
import { dossierDay } from './dossiers.ts';
import { eidDay } from './eid.ts';
import { districtOf, managementLevel, managementLevelOn } from './management.ts';
import { paymentMonth } from './payments.ts';
import { hanoiUnits } from './test-kit.ts';

const units = hanoiUnits();
const districts = units.filter((u) => u.level === 'district').map((u) => u.code);
const communes = units.filter((u) => u.level === 'commune');
const evening = new Date('2026-11-30T12:00:00Z'); // 19:00 ICT

/** Σ numerator / Σ denominator per commune, and the share of the communes' variance that lies between districts. */
function spread(ratio: (code: string) => [number, number]) {
  const byCommune = new Map(communes.map((u) => [u.code, ratio(u.code)]));
  const byDistrict = new Map<string, [number, number]>();
  for (const u of communes) {
    const [n, d] = byCommune.get(u.code)!;
    const sum = byDistrict.get(u.parentCode!) ?? [0, 0];
    byDistrict.set(u.parentCode!, [sum[0] + n, sum[1] + d]);
  }
  const districtRatio = new Map([...byDistrict].map(([code, [n, d]]) => [code, n / d]));
  const values = communes.map((u) => byCommune.get(u.code)!).map(([n, d]) => n / d);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const total = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  const communeMeans = new Map<string, number[]>();
  communes.forEach((u, i) => communeMeans.set(u.parentCode!, [...(communeMeans.get(u.parentCode!) ?? []), values[i]!]));
  let within = 0;
  for (const xs of communeMeans.values()) {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    within += xs.reduce((a, v) => a + (v - m) ** 2, 0);
  }
  const city = [...byDistrict.values()].reduce((a, [n, d]) => [a[0] + n, a[1] + d], [0, 0]);
  const ratios = [...districtRatio.values()];
  return { range: Math.max(...ratios) - Math.min(...ratios), betweenShare: 1 - within / total, city: city[0] / city[1] };
}

describe('district management', () => {
  it("knows each commune's district from the register; a district or an unknown code is its own", () => {
    expect(districtOf('00001')).toBe('001');
    expect(districtOf('10114')).toBe('278');
    expect(districtOf('278')).toBe('278');
    expect(districtOf('99990')).toBe('99990');
    for (const u of communes) expect(districtOf(u.code)).toBe(u.parentCode);
  });

  it('draws one persistent level per district from the seed, with a small slow drift', () => {
    for (const u of units) expect(managementLevel('s', u.code)).toBe(managementLevel('s', districtOf(u.code)));
    const levels = districts.map((d) => managementLevel('s', d));
    expect(new Set(levels).size).toBe(districts.length);
    for (const l of levels) expect(Math.abs(l)).toBeLessThanOrEqual(2.3);
    expect(Math.max(...levels) - Math.min(...levels)).toBeGreaterThan(2);
    expect(districts.map((d) => managementLevel('other', d))).not.toEqual(levels);
    for (const d of districts) {
      for (const day of [20_000, 20_200, 20_400]) expect(Math.abs(managementLevelOn('s', d, day) - managementLevel('s', d))).toBeLessThanOrEqual(0.25);
    }
  });

  it("sets districts far apart while a district's communes resemble each other, in every system", () => {
    const days = datesBetween('2026-11-02', '2026-11-14');
    const onTime = spread((code) => {
      let n = 0;
      let d = 0;
      for (const date of days) {
        const x = dossierDay('s', code, date, evening);
        n += x.resolvedOnTime + x.pendingOnTime;
        d += x.received;
      }
      return [n, d];
    });
    expect(onTime.range).toBeGreaterThan(0.2);
    expect(onTime.betweenShare).toBeGreaterThan(0.6);
    const activation = spread((code) => {
      const e = eidDay('s', code, '2026-11-14', evening);
      return [e.activated, e.level2Collected];
    });
    expect(activation.range).toBeGreaterThan(0.12);
    expect(activation.betweenShare).toBeGreaterThan(0.5);
    const cashless = spread((code) => {
      const p = paymentMonth('s', code, '2026-11', evening)!;
      return [p.cashless, p.recipients];
    });
    expect(cashless.range).toBeGreaterThan(0.04);
    expect(cashless.betweenShare).toBeGreaterThan(0.4);
  });

  // The city's average now depends on how its thirty districts drew (± a few points from seed to seed).
  it('keeps the city-wide magnitudes: ~74 % on time, ~83 % online, ~54 % paid online, e-ID activation 80–90 %', () => {
    let received = 0;
    let onTime = 0;
    let online = 0;
    let withFee = 0;
    let paid = 0;
    for (const u of communes) {
      for (const date of datesBetween('2026-09-07', '2026-09-12')) {
        const x = dossierDay('s', u.code, date, evening);
        received += x.received;
        onTime += x.resolvedOnTime + x.pendingOnTime;
        online += x.receivedOnline;
        withFee += x.withFee;
        paid += x.paidOnline;
      }
    }
    expect(onTime / received).toBeGreaterThan(0.66);
    expect(onTime / received).toBeLessThan(0.82);
    expect(online / received).toBeGreaterThan(0.78);
    expect(online / received).toBeLessThan(0.88);
    expect(paid / withFee).toBeGreaterThan(0.46);
    expect(paid / withFee).toBeLessThan(0.62);
    const activation = spread((code) => {
      const e = eidDay('s', code, '2026-11-14', evening);
      return [e.activated, e.level2Collected];
    });
    expect(activation.city).toBeGreaterThan(0.78);
    expect(activation.city).toBeLessThan(0.9);
  });
});
