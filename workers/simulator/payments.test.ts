import { describe, expect, it } from 'vitest';
import { paymentMonth } from './payments.ts';

const later = new Date('2026-12-20T12:00:00Z');
const codes = ['00001', '00004', '00007', '00118', '00277', '09619', '10030', '10036', '10219', '10348'];
const months = ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];

describe('the simulated welfare payments', () => {
  it('is deterministic for a seed, commune and month', () => {
    expect(paymentMonth('s', '00001', '2026-10', later)).toEqual(paymentMonth('s', '00001', '2026-10', later));
    expect(paymentMonth('s', '00001', '2026-10', later)).not.toEqual(paymentMonth('other', '00001', '2026-10', later));
  });
  it('keeps every month consistent and within real magnitudes', () => {
    for (const code of codes) {
      for (const month of months) {
        const m = paymentMonth('s', code, month, later)!;
        for (const v of Object.values(m)) expect(Number.isInteger(v) && v >= 0).toBe(true);
        expect(m.recipients).toBeGreaterThanOrEqual(150);
        expect(m.recipients).toBeLessThanOrEqual(600);
        expect(m.cashless).toBeLessThanOrEqual(m.recipients);
        expect(m.cashless / m.recipients).toBeGreaterThanOrEqual(0.6);
        expect(m.cashless / m.recipients).toBeLessThanOrEqual(0.997);
        expect(m.amountCashless).toBeLessThanOrEqual(m.amount);
        expect(m.amount % 1000).toBe(0);
        expect(m.amountCashless % 1000).toBe(0);
        expect(m.amount / m.recipients).toBeGreaterThanOrEqual(1.2e6 - 1000);
        expect(m.amount / m.recipients).toBeLessThanOrEqual(3.5e6 + 1000);
        // The money follows the people: cashless amount share within a few points of the head-count share.
        expect(Math.abs(m.amountCashless / m.amount - m.cashless / m.recipients)).toBeLessThan(0.04);
      }
    }
  });
  it('pays more people cashless over time', () => {
    const share = (month: string) => {
      let r = 0;
      let c = 0;
      for (const code of codes) {
        const m = paymentMonth('s', code, month, later)!;
        r += m.recipients;
        c += m.cashless;
      }
      return c / r;
    };
    expect(share('2026-11')).toBeGreaterThan(share('2024-06'));
    expect(share('2026-11')).toBeGreaterThan(0.9);
  });
  it('changes the number of recipients slowly', () => {
    for (const code of codes) {
      const a = paymentMonth('s', code, '2026-10', later)!.recipients;
      const b = paymentMonth('s', code, '2026-11', later)!.recipients;
      expect(Math.abs(a - b) / a).toBeLessThan(0.1);
    }
  });
  it('has nothing for a month that has not begun, and pays the current month out from the 5th to the 10th', () => {
    const at = (iso: string) => paymentMonth('s', '00007', '2026-11', new Date(iso));
    expect(paymentMonth('s', '00007', '2026-12', new Date('2026-11-30T16:59:00Z'))).toBeNull(); // 23:59 ICT
    expect(paymentMonth('s', '00007', '2026-12', new Date('2026-11-30T17:00:00Z'))).not.toBeNull(); // 00:00 ICT on 1 Dec
    const full = at('2026-12-20T00:00:00Z')!;
    const first = at('2026-11-02T05:00:00Z')!;
    const mid = at('2026-11-07T17:00:00Z')!; // 00:00 ICT on the 8th: half of the six paying days gone
    const after = at('2026-11-11T00:00:00Z')!;
    expect(first.recipients).toBe(full.recipients);
    expect(first.cashless).toBe(full.cashless);
    expect(first.amount).toBe(0);
    expect(first.amountCashless).toBe(0);
    expect(mid.amount).toBeGreaterThan(0.45 * full.amount);
    expect(mid.amount).toBeLessThan(0.55 * full.amount);
    expect(mid.amountCashless).toBeLessThanOrEqual(mid.amount);
    expect(after).toEqual(full);
  });
});
