import { describe, expect, it } from 'vitest';
import { periodChoices } from './periods.ts';

describe('periodChoices', () => {
  it('lists the periods back from today, the newest first', () => {
    const months = periodChoices('month', '2026-11-15', '2026-12-02', 3);
    expect(months.map((p) => [p.start, p.end])).toEqual([['2026-12-01', '2026-12-31'], ['2026-11-01', '2026-11-30'], ['2026-10-01', '2026-10-31']]);
    expect(periodChoices('quarter', '2026-12-02', '2026-12-02').map((p) => p.start).slice(0, 3)).toEqual(['2026-10-01', '2026-07-01', '2026-04-01']);
    expect(periodChoices('quarter', '2026-12-02', '2026-12-02')).toHaveLength(8);
    expect(periodChoices('year', '2026-12-02', '2026-12-02').map((p) => p.start)).toEqual(['2026-01-01', '2025-01-01', '2024-01-01', '2023-01-01', '2022-01-01']);
  });

  it('keeps the chosen period among them, however old or new', () => {
    expect(periodChoices('month', '2020-02-10', '2026-12-02', 2).map((p) => p.start)).toEqual(['2026-12-01', '2026-11-01', '2020-02-01']);
    expect(periodChoices('month', '2027-03-10', '2026-12-02', 1).map((p) => p.start)).toEqual(['2027-03-01', '2026-12-01']);
  });
});
