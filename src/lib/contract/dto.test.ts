import { describe, expect, it } from 'vitest';
import { isoDateSchema } from './dto.ts';

describe('isoDateSchema', () => {
  it('takes a real day of the supported range', () => {
    for (const d of ['2000-01-01', '2026-11-20', '2099-12-31']) expect(isoDateSchema.safeParse(d).success, d).toBe(true);
  });
  it('refuses a day outside it in words, before any query sees it', () => {
    for (const d of ['0000-01-01', '1999-12-31', '2100-01-01', '9999-12-31']) {
      const r = isoDateSchema.safeParse(d);
      expect(r.error?.issues[0]?.message, d).toBe(`must be between 2000-01-01 and 2099-12-31 (got ${d})`);
    }
    expect(isoDateSchema.safeParse('2026-02-30').error?.issues[0]?.message).toBe('not a date: 2026-02-30');
    expect(isoDateSchema.safeParse('20261120').error?.issues[0]?.message).toBe('must be a date as YYYY-MM-DD');
  });
});
