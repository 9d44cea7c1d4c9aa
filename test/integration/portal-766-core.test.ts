/**
 * The national 766 index on the real PostgreSQL, from period values as a periodic source stores
 * them (period_samples): boards of a month, a quarter and a year ranked on the portal's published
 * total with the six groups beside ours; a quarter the portal did not publish derived from its months
 * (counts summed, published scores never); a published quarter winning over the sum of its months;
 * the recomputed basis; a published score that differs from ours kept as a difference; the province's
 * own row as the board's headline; GET /api/v1/schemes' listing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard, readSchemeListing } from '#server/boards';
import { recomputeRankings } from '#server/ranking/rankings';
import { seedCatalogue, syntheticPopulation } from '#server/seed/seed';
import { seedDemoUnits } from '#server/seed/reform';
import { hanoiRegister } from '#server/seed/hanoi-2025';
import { periodOf } from '#domain/periods';
import { freshDatabase } from '../support/db.ts';
import { periodSource, portalFields, writePeriodValues, type PeriodValue } from '../support/period-values.ts';

const NOW = new Date('2026-12-05T03:00:00Z');
const SCHEME = 'national_766';

describe('the national 766 index from period values', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const reg = hanoiRegister();
  const [a, b, c] = reg.communes.map((u) => u.gsoCode);
  const dept = reg.departments[0]!.gsoCode;
  let source: number;

  beforeAll(async () => {
    db = await freshDatabase();
    await db.sql.begin((tx) => seedDemoUnits(tx, syntheticPopulation));
    await seedCatalogue(db.sql);
    source = await periodSource(db.sql);
    const month = (start: string, unitCode: string, knobs: Parameters<typeof portalFields>[0]): PeriodValue => ({ unitCode, kind: 'month', start, values: portalFields(knobs) });
    await writePeriodValues(db.sql, source, [
      month('2026-10-01', a!, { received: 1000, onTime: 850 }),
      month('2026-10-01', b!, { received: 32, onTime: 29, published: { 'p766.score.payment': 6.66 } }), // the portal 0.01 above the formula
      month('2026-10-01', c!, { received: 0, onTime: 0, online: 9 }),
      month('2026-10-01', dept, { received: 1500, onTime: 1500, petitions: 4 }),
      month('2026-10-01', '01', { received: 2532, onTime: 2379 }),
      month('2026-11-01', a!, { received: 500, onTime: 500 }),
      month('2026-11-01', b!, { received: 40, onTime: 20 })
    ]);
    await recomputeRankings(db.sql, [periodOf('month', '2026-10-01'), periodOf('quarter', '2026-10-01'), periodOf('year', '2026-10-01')]);
  });
  afterAll(() => db.drop());

  it('ranks the month on the published total, each level on its own, with the six groups of ours and the portal’s', async () => {
    const board = await readBoard(db.sql, { scope: '01', period: 'month', date: '2026-10-15', scheme: SCHEME }, NOW);
    expect(board.basis).toBe('published');
    expect(board.schemeGroups.map((g) => [g.key, g.maxPoints, g.publishedOnly])).toEqual([
      ['transparency', 18, false], ['progress', 20, false], ['online', 12, true], ['payment', 10, false], ['satisfaction', 18, false], ['digitization', 22, false]
    ]);
    const row = (code: string) => board.rows.find((r) => r.unitCode === code)!;
    // a: 7.6 + 17 + 6 + 6.65 + 16.67 + 8.16 = 62.08; b: progress 29/32 → 18.13, payment published 6.66: 63.22 (ours 63.21)
    expect([row(a!).total, row(a!).totalRecomputed]).toEqual([62.08, 62.08]);
    expect([row(b!).total, row(b!).totalRecomputed, row(b!).totalPublished]).toEqual([63.22, 63.21, 63.22]);
    expect(row(b!).groups.payment).toEqual({ points: 6.65, published: 6.66, rank: 1 });
    expect(row(b!).groups.progress).toMatchObject({ points: 18.13, published: 18.13 });
    // c: 0 received → progress 0 and ranked; transparency's sync 0/0 not counted; online 9 as published
    expect(row(c!).groups.progress!.points).toBe(0);
    expect(row(c!).groups.transparency!.points).toBe(1.6);
    expect(row(c!).rank).toBe(3);
    expect([row(b!).rank, row(a!).rank]).toEqual([1, 2]);
    // the department is ranked among the departments (petitions 0 of 4 on time: 0 points there)
    expect(row(dept)).toMatchObject({ unitLevel: 'department', rank: 1 });
    expect(row(dept).indicators['p766.petition_processing_on_time']).toMatchObject({ numerator: 0, denominator: 4, points: 0 });
    // a commune the portal has not published is not ranked, and says which groups have no score
    const unpublished = board.rows.find((r) => r.unitLevel === 'commune' && r.rank === null)!;
    expect(unpublished.notRanked?.code).toBe('no_data');
    // the province's own row is the headline
    expect(board.scopeScore).toMatchObject({ totalPublished: 63.87, totalRecomputed: 63.87 });
    expect(board.scopeScore!.groups.progress).toMatchObject({ points: 18.79, published: 18.79 });
  });

  it('ranks on our re-computation on request', async () => {
    const board = await readBoard(db.sql, { scope: '01', period: 'month', date: '2026-10-15', scheme: SCHEME, basis: 'recomputed' }, NOW);
    expect(board.basis).toBe('recomputed');
    const row = (code: string) => board.rows.find((r) => r.unitCode === code)!;
    expect(row(b!)).toMatchObject({ total: 63.21, rank: 1 });
    expect(row(b!).groups.payment!.rank).toBe(1); // 6.65 everywhere: shared
    expect(board.scopeScore!.total).toBe(63.87);
  });

  it('derives a quarter the portal did not publish from its months: counts summed, published scores never', async () => {
    const board = await readBoard(db.sql, { scope: '01', period: 'quarter', date: '2026-10-15', scheme: SCHEME }, NOW);
    const row = board.rows.find((r) => r.unitCode === a)!;
    expect(row.indicators['p766.progress']).toMatchObject({ numerator: 1350, denominator: 1500, points: 18 });
    expect(row.groups.progress).toMatchObject({ points: 18, published: null });
    expect(row.rank).toBeNull(); // nothing published for the quarter: not ranked on the published total
  });

  it('takes a published quarter over the sum of its months', async () => {
    await writePeriodValues(db.sql, source, [{ unitCode: a!, kind: 'quarter', start: '2026-10-01', values: portalFields({ received: 1600, onTime: 1400 }) }]);
    await recomputeRankings(db.sql, [periodOf('quarter', '2026-10-01'), periodOf('year', '2026-10-01')]);
    const quarter = await readBoard(db.sql, { scope: '01', period: 'quarter', date: '2026-10-15', scheme: SCHEME }, NOW);
    const row = quarter.rows.find((r) => r.unitCode === a)!;
    expect(row.indicators['p766.progress']).toMatchObject({ numerator: 1400, denominator: 1600, points: 17.5 });
    expect(row.groups.progress!.published).toBe(17.5);
    expect(row.rank).toBe(1);
    // the year: no year published, so its quarters (published or derived) summed
    const year = await readBoard(db.sql, { scope: '01', period: 'year', date: '2026-10-15', scheme: SCHEME }, NOW);
    expect(year.rows.find((r) => r.unitCode === a)!.indicators['p766.progress']).toMatchObject({ numerator: 1400, denominator: 1600 });
  });

  it('has no 766 board for a day or a reporting month (the portal publishes months, quarters and years)', async () => {
    await recomputeRankings(db.sql, [periodOf('day', '2026-10-15'), periodOf('report_month', '2026-10-15')]);
    const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from rankings where scheme_key = ${SCHEME} and period_kind in ('day', 'report_month')`;
    expect(count!.n).toBe(0);
  });

  it('lists every scheme with its groups and indicators', async () => {
    const list = await readSchemeListing(db.sql);
    expect(list.map((s) => [s.key, s.maxPoints, s.groups.length, s.indicators.length])).toEqual([
      ['operations', 100, 0, 8], ['national_766', 100, 6, 19], ['national_766_progress', 20, 0, 1]
    ]);
    const full = list.find((s) => s.key === SCHEME)!;
    expect(full.periodKinds).toEqual(['month', 'quarter', 'year']);
    expect(full.groups.find((g) => g.key === 'payment')!.indicators).toEqual(['p766.payment_dossiers', 'p766.payment_formalities', 'p766.payment_fee_dossiers']);
  });
});
