/**
 * "Cùng kỳ" under a driven clock: on the 2nd of December the KPI tiles compare the 1st–2nd of December
 * with the 1st–2nd of November (summed from the samples on the real PostgreSQL), not with the whole of
 * November; a whole period is compared with the whole previous one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { kpisOf } from '../../src/lib/domain/kpis.ts';
import { readBoard, readLastYearStanding } from '#server/boards';
import { readKpiComparisons, readKpiHistory } from '#server/kpis';
import { pollSource } from '#server/pipeline/poll';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

const NOW = new Date('2026-12-02T05:00:00Z'); // noon in Hà Nội, the 2nd of the month
const QUERY = { scope: '01', period: 'month' as const, date: '2026-12-02' };

describe('KPI tiles early in a month', () => {
  let db: TestDb;
  let world: TestWorld;
  useDemoWorld((h) => ({ db, world } = h), { now: () => NOW });
  // Every daily system's 1st–2nd of November and of December (the boards rank every family); the dossiers
  // up to the 12th of November as well (more of the month than the same days).
  beforeAll(async () => {
    for (const source of Object.values(world.sources).filter((x) => x.kind !== 'upload' && !x.key.startsWith('portal-766'))) {
      const windows = [{ from: '2026-11-01', to: source.key === world.source.key ? '2026-11-12' : '2026-11-02' }, { from: '2026-12-01', to: '2026-12-02' }];
      // A year back, the dossiers only: the tiles' second comparison where history exists.
      if (source.key === world.source.key) windows.push({ from: '2025-12-01', to: '2025-12-02' });
      // Partial: a system's planted bad rows are refused, the rest kept.
      for (const window of windows) expect(['success', 'partial']).toContain((await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: NOW, window })).outcome);
    }
  });

  /** Σ of the dossier metrics of every unit under the city over these days, straight from the samples. */
  async function dossiers(from: string, to: string) {
    const [r] = await db.sql<{ onTime: number; received: number }[]>`
      select coalesce(sum(s.value) filter (where m.key in ('dossier.resolved_on_time', 'dossier.pending_on_time')), 0)::float8 as "onTime",
             coalesce(sum(s.value) filter (where m.key = 'dossier.received'), 0)::float8 as received
      from effective_samples s join metrics m on m.id = s.metric_id
      join unit_closure c on c.descendant_id = s.unit_id join units city on city.id = c.ancestor_id and city.gso_code = '01'
      where s.day between ${from}::date and ${to}::date and s.unit_id <> city.id`;
    return r!;
  }

  it('compares the 1st–2nd with the 1st–2nd of the last month, and says which days', async () => {

    const { base, lastYear } = await readKpiComparisons(db.sql, QUERY, '2026-12-02');
    expect(base).toMatchObject({ start: '2026-11-01', end: '2026-11-02' });
    const early = await dossiers('2026-11-01', '2026-11-02');
    expect(early.received).toBeGreaterThan(0);
    expect(base!.totals['dossier.on_time']).toEqual({ numerator: early.onTime, denominator: early.received });
    // The same days last year, where the dossiers were reported then; no other family was.
    const lastDecember = await dossiers('2025-12-01', '2025-12-02');
    expect(lastYear).toMatchObject({ start: '2025-12-01', end: '2025-12-02' });
    expect(lastYear!.totals['dossier.on_time']).toEqual({ numerator: lastDecember.onTime, denominator: lastDecember.received });
    expect(lastYear!.totals['eid.activation']).toEqual({ numerator: null, denominator: null });
    // Not more of November (the whole of it is what the tiles compared with before).
    const more = await dossiers('2026-11-01', '2026-11-12');
    expect(more.received).toBeGreaterThan(early.received * 4);

    // The tile: this month so far against those two days.
    const board = await readBoard(db.sql, QUERY);
    const [dossier, eid] = kpisOf(board, await readKpiHistory(db.sql, QUERY), base, lastYear);
    expect(dossier!.indicator.key).toBe('dossier.on_time');
    expect(dossier!.comparedWith).toEqual({ start: '2026-11-01', end: '2026-11-02' });
    expect(dossier!.previous).toBeCloseTo(early.onTime / early.received, 6);
    expect(dossier!.lastYear).toMatchObject({ start: '2025-12-01', end: '2025-12-02' });
    expect(dossier!.lastYear!.deltaPoints).toBeCloseTo(Math.round((dossier!.value.ratio! - lastDecember.onTime / lastDecember.received) * 1000) / 10, 6);
    expect(eid!.lastYear).toBeNull();

    // A day later the base grows by a day; a whole month (November, read in December) has none.
    expect((await readKpiComparisons(db.sql, QUERY, '2026-12-03')).base).toMatchObject({ start: '2026-11-01', end: '2026-11-03' });
    expect((await readKpiComparisons(db.sql, { ...QUERY, date: '2026-11-10' }, '2026-12-02')).base).toBeNull();
    expect((await readKpiComparisons(db.sql, { ...QUERY, period: 'day' }, '2026-12-02')).base).toBeNull();
  });

  it('ranks a month in progress against the same days of the last one: on the 1st, each previous rank is the 1st of November’s', async () => {
    const dec1 = new Date('2026-12-01T05:00:00Z');
    const board = await readBoard(db.sql, { ...QUERY, date: '2026-12-01' }, dec1);
    expect(board.comparedWith).toEqual({ start: '2026-11-01', end: '2026-11-01' });
    // The oracle: the stored board of the day 1 November (the same days, scored by the workers).
    const day = await readBoard(db.sql, { ...QUERY, period: 'day', date: '2026-11-01' }, dec1);
    expect(day.comparedWith).toBeNull();
    const dayRow = new Map(day.rows.map((r) => [r.unitCode, r]));
    const ranked = board.rows.filter((r) => r.rank !== null && dayRow.get(r.unitCode)?.rank !== null);
    expect(ranked.length).toBeGreaterThan(20);
    for (const r of ranked) {
      const before = dayRow.get(r.unitCode)!;
      expect(r.previousRank, r.unitCode).toBe(before.rank);
      expect(r.change.places, r.unitCode).toBe(before.rank! - r.rank!);
      expect(r.change.totalDelta, r.unitCode).toBeCloseTo(r.total! - before.total!, 2);
    }
    // The whole of November (read after it ended) is compared with the whole of October, as stored.
    const november = await readBoard(db.sql, { ...QUERY, date: '2026-11-20' }, dec1);
    expect(november.comparedWith).toBeNull();
  });

  it("places a unit the same days last year as the workers' own board of those days does", async () => {
    // Every daily system's 1st–2nd of November 2025: the month of November 2025, stored by the workers, holds those days alone.
    for (const source of Object.values(world.sources).filter((x) => x.kind !== 'upload' && !x.key.startsWith('portal-766'))) {
      expect(['success', 'partial']).toContain((await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: NOW, window: { from: '2025-11-01', to: '2025-11-02' } })).outcome);
    }
    const nov2 = new Date('2026-11-02T05:00:00Z');
    const oracle = await readBoard(db.sql, { ...QUERY, date: '2025-11-15' }, nov2);
    const ranked = oracle.rows.filter((r) => r.rank !== null);
    expect(ranked.length).toBeGreaterThan(20);
    for (const r of [ranked[0]!, ranked[Math.floor(ranked.length / 2)]!, ranked.at(-1)!]) {
      expect(await readLastYearStanding(db.sql, { ...QUERY, date: '2026-11-02' }, r.unitCode, nov2), r.unitCode)
        .toEqual({ rank: r.rank, total: expect.closeTo(r.total!, 6), start: '2025-11-01', end: '2025-11-02' });
    }
    // No history a year before December's 1st–2nd but the dossiers: nobody ranked, nothing said.
    expect(await readLastYearStanding(db.sql, QUERY, ranked[0]!.unitCode, NOW)).toBeNull();
  });
});
