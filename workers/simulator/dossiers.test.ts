import { describe, expect, it } from 'vitest';
import { datesBetween } from '#domain/periods';
import { dossierDay, workdayProgress } from './dossiers.ts';

const evening = new Date('2026-11-30T12:00:00Z'); // 19:00 ICT, after closing

describe('the simulated one-stop-shop system', () => {
  it('is deterministic for a seed and date', () => {
    expect(dossierDay('s', '00001', '2026-11-20', evening)).toEqual(dossierDay('s', '00001', '2026-11-20', evening));
    expect(dossierDay('s', '00001', '2026-11-20', evening)).not.toEqual(dossierDay('other', '00001', '2026-11-20', evening));
  });
  it('does nothing on Sundays', () => {
    expect(dossierDay('s', '00001', '2026-11-22', evening).received).toBe(0); // a Sunday
  });
  it('grows through the working day, and not at night', () => {
    const at = (iso: string) => dossierDay('s', '00004', '2026-11-20', new Date(iso)).received;
    expect(at('2026-11-19T23:00:00Z')).toBe(0); // 06:00 ICT
    const morning = at('2026-11-20T02:00:00Z'); // 09:00 ICT
    const afternoon = at('2026-11-20T08:00:00Z'); // 15:00 ICT
    const night = at('2026-11-20T15:00:00Z'); // 22:00 ICT
    expect(morning).toBeGreaterThan(0);
    expect(afternoon).toBeGreaterThanOrEqual(morning);
    expect(night).toBeGreaterThanOrEqual(afternoon);
    expect(workdayProgress('2026-11-20', new Date('2026-11-20T05:00:00Z'))).toBeCloseTo(4 / 7.5, 5); // 12:00, lunch
  });
  it('keeps every row consistent and within real magnitudes', () => {
    let month = 0;
    for (const date of datesBetween('2026-10-01', '2026-10-31')) {
      const d = dossierDay('s', '00007', date, evening);
      expect(d.receivedOnline).toBeLessThanOrEqual(d.received);
      expect(d.resolvedOnTime).toBeLessThanOrEqual(d.resolved);
      expect(d.resolved + d.pendingOnTime + d.pendingOverdue).toBe(d.received);
      month += d.received;
    }
    expect(month).toBeGreaterThan(250);
    expect(month).toBeLessThan(3500);
  });
  it('digitizes, charges fees and takes online payments in real proportions', () => {
    let received = 0;
    let digitized = 0;
    let withFee = 0;
    let paidOnline = 0;
    for (const code of ['00001', '00004', '00007', '00118', '00277']) {
      for (const date of datesBetween('2026-10-01', '2026-10-31')) {
        const d = dossierDay('s', code, date, evening);
        expect(d.digitized).toBeLessThanOrEqual(d.received);
        expect(d.withFee).toBeLessThanOrEqual(d.received);
        expect(d.paidOnline).toBeLessThanOrEqual(d.withFee);
        for (const v of [d.digitized, d.withFee, d.paidOnline]) expect(Number.isInteger(v) && v >= 0).toBe(true);
        received += d.received;
        digitized += d.digitized;
        withFee += d.withFee;
        paidOnline += d.paidOnline;
      }
    }
    expect(digitized / received).toBeGreaterThan(0.4);
    expect(digitized / received).toBeLessThan(0.9);
    expect(withFee / received).toBeGreaterThan(0.25);
    expect(withFee / received).toBeLessThan(0.45);
    expect(paidOnline / withFee).toBeGreaterThan(0.3);
    expect(paidOnline / withFee).toBeLessThan(0.8);
  });
  it('digitizes more each year', () => {
    const share = (year: number) => {
      let r = 0;
      let d = 0;
      for (const date of datesBetween(`${year}-03-01`, `${year}-03-31`)) {
        for (const code of ['00001', '00004', '00006', '00007', '00008']) {
          const x = dossierDay('s', code, date, evening);
          r += x.received;
          d += x.digitized;
        }
      }
      return d / r;
    };
    expect(share(2026) - share(2025)).toBeGreaterThan(0.02);
  });
  it('averages about 54 % paid online across the city', () => {
    let withFee = 0;
    let paid = 0;
    for (let i = 0; i < 200; i++) {
      const d = dossierDay('s', String(10000 + i * 7).padStart(5, '0'), '2026-09-15', evening);
      withFee += d.withFee;
      paid += d.paidOnline;
    }
    expect(paid / withFee).toBeGreaterThan(0.48);
    expect(paid / withFee).toBeLessThan(0.6);
  });
});
