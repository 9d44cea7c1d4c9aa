import { describe, expect, it } from 'vitest';
import { FAULT_STRIDE, applyRowFault, isFaultRow, parseFaultBody, parseFaultSpec, type RowCorruptions } from './faults.ts';
import { cutInsideName, paymentCsv, paymentRow } from './payments-api.ts';

const corrupt: RowCorruptions<{ n: number | string }> = {
  wrongTypes: (r) => ({ n: String(r.n) }),
  negative: (r) => ({ n: -r.n }),
  partExceedsWhole: (r) => ({ n: Number(r.n) + 1000 })
};
const rows = Array.from({ length: 100 }, (_, i) => ({ n: i }));

describe('simulator faults', () => {
  it('parses SIM_FAULTS, with ms for latency and the status for http_5xx', () => {
    expect(parseFaultSpec('eid:http_5xx,payment:latency:2000, task:timeout')).toEqual({
      dossier: null,
      eid: { fault: 'http_5xx', status: 503 },
      payment: { fault: 'latency', ms: 2000 },
      task: { fault: 'timeout' },
      portal: null
    });
    expect(parseFaultSpec('dossier:http_5xx:502').dossier).toEqual({ fault: 'http_5xx', status: 502 });
    expect(parseFaultSpec(undefined)).toEqual({ dossier: null, eid: null, payment: null, task: null, portal: null });
    expect(parseFaultSpec('')).toEqual(parseFaultSpec(undefined));
  });
  it('has the portal’s rush switches, for the portal only', () => {
    expect(parseFaultSpec('portal:no_rush').portal).toEqual({ fault: 'no_rush' });
    expect(parseFaultSpec('portal:rush,eid:reset')).toMatchObject({ portal: { fault: 'rush' }, eid: { fault: 'reset' } });
    expect(() => parseFaultSpec('eid:rush')).toThrow(/"eid:rush": fault: rush is the portal's only/);
    expect(parseFaultSpec('portal:latency:1500').portal).toEqual({ fault: 'latency', ms: 1500 });
  });
  it('refuses a bad SIM_FAULTS item, naming it', () => {
    expect(() => parseFaultSpec('eid:slow')).toThrow(/"eid:slow": fault/);
    expect(() => parseFaultSpec('bank:reset')).toThrow(/system/);
    expect(() => parseFaultSpec('payment:latency')).toThrow(/ms: required for latency/);
    expect(() => parseFaultSpec('payment:latency:soon')).toThrow(/not a whole number/);
    expect(() => parseFaultSpec('task:reset:5')).toThrow(/ms: only for latency/);
    expect(() => parseFaultSpec('eid:http_5xx:404')).toThrow(/status/);
  });
  it('checks control bodies field by field', () => {
    expect(parseFaultBody({ system: 'eid', fault: 'drip' })).toEqual({ ok: true, system: 'eid', fault: { fault: 'drip' } });
    const bad = (body: unknown) => {
      const r = parseFaultBody(body);
      return r.ok ? '' : r.error;
    };
    expect(bad({ fault: 'drip' })).toMatch(/^system: /);
    expect(bad({ system: 'eid', fault: 'slow' })).toMatch(/^fault: /);
    expect(bad({ system: 'eid', fault: 'latency', ms: -1 })).toMatch(/^ms: /);
    expect(bad({ system: 'eid', fault: 'http_5xx', status: 200 })).toMatch(/^status: /);
    expect(bad({ system: 'eid', fault: 'reset', extra: 1 })).toMatch(/extra/);
    expect(bad(null)).not.toBe('');
  });
  it('changes exactly every 37th row at the kind’s offset', () => {
    expect(FAULT_STRIDE).toBe(37);
    const wrong = applyRowFault(rows, 'wrong_types', corrupt, () => ({ n: -1 }));
    expect(wrong.map((r, i) => (r.n === i ? null : i)).filter((i) => i !== null)).toEqual([5, 42, 79]);
    expect(wrong[42]).toEqual({ n: '42' });
    const negative = applyRowFault(rows, 'negative', corrupt, () => ({ n: -1 }));
    expect(negative.flatMap((r, i) => (r.n === i ? [] : [i]))).toEqual([7, 44, 81]);
    const part = applyRowFault(rows, 'part_exceeds_whole', corrupt, () => ({ n: -1 }));
    expect(part.flatMap((r, i) => (r.n === i ? [] : [i]))).toEqual([9, 46, 83]);
    expect(rows.flatMap((_, i) => (isFaultRow('duplicates', i) ? [i] : []))).toEqual([11, 48, 85]);
  });
  it('doubles a duplicated row in place and appends unknown units at the end', () => {
    const dup = applyRowFault(rows, 'duplicates', corrupt, () => ({ n: -1 }));
    expect(dup.map((r) => r.n)).toEqual([...rows.flatMap((r, i) => (isFaultRow('duplicates', i) ? [i, i] : [i]))]);
    expect(dup).toHaveLength(103);
    const unknown = applyRowFault(rows, 'unknown_units', corrupt, (code) => ({ n: Number(code) }));
    expect(unknown.slice(0, 100)).toEqual(rows);
    expect(unknown.slice(100).map((r) => r.n)).toEqual([99990, 99991, 99992]);
    expect(applyRowFault(rows, 'timeout', corrupt, () => ({ n: -1 }))).toBe(rows);
  });
  it('cuts a CSV inside a quoted name', () => {
    const m = { recipients: 300, cashless: 290, amount: 600_000_000, amountCashless: 580_000_000 };
    const csv = paymentCsv([paymentRow('00001', 'Phường Phúc Xá', '2026-10', m), paymentRow('00004', 'Phường Trúc Bạch', '2026-10', m), paymentRow('00006', 'P', '2026-10', m)]);
    const cut = cutInsideName(csv);
    expect(csv.startsWith(cut)).toBe(true);
    expect((cut.match(/"/g) ?? []).length % 2).toBe(1);
    expect(cut.length).toBeGreaterThanOrEqual(csv.length / 2);
    const short = cutInsideName(paymentCsv([paymentRow('00006', 'P', '2026-10', m)]));
    expect((short.match(/"/g) ?? []).length % 2).toBe(1);
  });
});
