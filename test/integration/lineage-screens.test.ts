/**
 * What the screens read of a reform (src/lib/server/lineage.ts): a unit's predecessors and successors
 * with the register's notes, the units an ended district's communes went into, the day before which an
 * estimated row's figures hold shares, and the children in force on a day — on a small map built by
 * hand, with the year board of 2025 computed by the real ranking core.
 *
 *   city 92 ── district 921 (to 30/06/2025) ── communes 92101 (a), 92102 (b)
 *           └─ district 922 (to 30/06/2025) ── commune 92201 (c)
 *           ├─ commune 92101 (X, from 01/07/2025: a whole, part of b)   ← keeps a's code
 *           ├─ commune 92203 (Y, from 01/07/2025: part of b, c whole)
 *           └─ department 92-S01 (from 01/07/2025)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard } from '../../src/lib/server/boards.ts';
import { estimateBefore, hasChildrenInForce, readUnitLineage } from '../../src/lib/server/lineage.ts';
import { boardTable } from '../../src/lib/server/exports.ts';
import { recomputeRankings } from '#server/ranking/rankings';
import { seedCatalogue } from '#server/seed/seed';
import { periodOf } from '../../src/lib/domain/periods.ts';
import { freshDatabase } from '../support/db.ts';
import { buildReformMap, testSourceAndMetrics } from '../support/reform-map.ts';

const NOW = new Date('2025-12-31T10:00:00Z');

describe('the screens’ reads of a reform', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const id = new Map<string, number>();

  beforeAll(async () => {
    db = await freshDatabase();
    const sql = db.sql;
    await seedCatalogue(sql);
    const built = await buildReformMap(sql, [
      ['city', '92', 'Thành phố Thử', 'province', 'Thành phố Trung ương', null, null, null],
      ['921', '921', 'Huyện Một', 'district', 'Huyện', 'city', null, '2025-06-30'],
      ['922', '922', 'Huyện Hai', 'district', 'Huyện', 'city', null, '2025-06-30'],
      ['a', '92101', 'Thị trấn A', 'commune', 'Thị trấn', '921', null, '2025-06-30'],
      ['b', '92102', 'Xã B', 'commune', 'Xã', '921', null, '2025-06-30'],
      ['c', '92201', 'Xã C', 'commune', 'Xã', '922', null, '2025-06-30'],
      ['X', '92101', 'Xã X', 'commune', 'Xã', 'city', '2025-07-01', null],
      ['Y', '92203', 'Phường Y', 'commune', 'Phường', 'city', '2025-07-01', null],
      ['S', '92-S01', 'Sở Thử', 'department', 'Sở', 'city', '2025-07-01', null]
    ], [
      { oldCode: 'a', newCode: 'X', note: 'Nhập toàn bộ' },
      { oldCode: 'b', newCode: 'X', note: 'Nhập một phần' },
      { oldCode: 'b', newCode: 'Y', note: 'Nhập một phần' },
      { oldCode: 'c', newCode: 'Y', note: 'Nhập toàn bộ' }
    ]);
    for (const [k, v] of built) id.set(k, v);

    // Dossiers every day of June from the old communes, of July–December from the new units.
    const { sourceId, metrics } = await testSourceAndMetrics(sql);
    const rows: { unit: number; metric: number; day: string; value: number }[] = [];
    for (let t = Date.UTC(2025, 5, 1); t <= Date.UTC(2025, 11, 31); t += 86_400_000) {
      const d = new Date(t).toISOString().slice(0, 10);
      for (const u of d < '2025-07-01' ? ['a', 'b', 'c'] : ['X', 'Y', 'S']) {
        rows.push({ unit: id.get(u)!, metric: metrics.get('dossier.received')!, day: d, value: 10 });
        rows.push({ unit: id.get(u)!, metric: metrics.get('dossier.resolved_on_time')!, day: d, value: 8 });
      }
    }
    await sql`
      insert into samples (unit_id, metric_id, day, source_id, value, observed_at, ingested_at)
      select u, m, d, ${sourceId}, v, now(), now()
      from unnest(${sql.array(rows.map((r) => r.unit))}::int[], ${sql.array(rows.map((r) => r.metric))}::int[],
                  ${sql.array(rows.map((r) => r.day))}::date[], ${sql.array(rows.map((r) => r.value))}::float8[]) as t(u, m, d, v)`;
    await recomputeRankings(sql, [periodOf('year', '2025-06-15'), periodOf('month', '2025-12-15')]);
  }, 60_000);
  afterAll(async () => {
    await db.drop();
  });

  it('names what went into a new commune, whole or in part, with the register’s words and its share', async () => {
    const x = await readUnitLineage(db.sql, id.get('X')!);
    expect(x.successors).toEqual([]);
    expect(x.childSuccessors).toEqual([]);
    expect(x.predecessors.map((p) => [p.code, p.name, p.kind, p.note, p.share, p.estimated, p.validTo, p.parent?.name])).toEqual([
      ['92101', 'Thị trấn A', 'whole', 'Nhập toàn bộ', 1, false, '2025-06-30', 'Huyện Một'],
      ['92102', 'Xã B', 'part', 'Nhập một phần', 0.5, true, '2025-06-30', 'Huyện Một']
    ]);
  });

  it('names where an old commune went (a code kept by its successor is still two units)', async () => {
    const a = await readUnitLineage(db.sql, id.get('a')!);
    expect(a.successors.map((s) => [s.code, s.name, s.kind, s.validFrom, s.validTo])).toEqual([['92101', 'Xã X', 'whole', '2025-07-01', null]]);
    const b = await readUnitLineage(db.sql, id.get('b')!);
    expect(b.successors.map((s) => [s.name, s.kind, s.share])).toEqual([['Phường Y', 'part', 0.5], ['Xã X', 'part', 0.5]]);
  });

  it('names the units an ended district’s communes went into, with how many went in whole', async () => {
    const district = await readUnitLineage(db.sql, id.get('921')!);
    expect(district.successors).toEqual([]);
    expect(district.childSuccessors.map((s) => [s.name, s.children, s.whole])).toEqual([['Phường Y', 1, 0], ['Xã X', 2, 1]]);
    expect(await readUnitLineage(db.sql, id.get('S')!)).toEqual({ predecessors: [], successors: [], childSuccessors: [] });
  });

  it('dates the estimate: the rows of the 2025 year board that took part of a commune, before their first day', async () => {
    const year = await readBoard(db.sql, { scope: '92', period: 'year', date: '2025-06-15' }, NOW);
    expect(year.rows.map((r) => [r.unitCode, r.estimated])).toEqual(expect.arrayContaining([['92101', true], ['92203', true], ['92-S01', false]]));
    expect(await estimateBefore(db.sql, year)).toBe('2025-07-01');
    // The export says so in its own column.
    const table = boardTable(year);
    const x = table.find((r) => r[2] === '92101')!;
    expect(x.slice(-3)).toEqual(['Xã', 'phường, xã', 'ước tính']); // one of each type: the register's order of a tie
    // A board inside the new units' days has nothing estimated.
    const december = await readBoard(db.sql, { scope: '92', period: 'month', date: '2025-12-15' }, NOW);
    expect(december.rows.every((r) => !r.estimated)).toBe(true);
    expect(await estimateBefore(db.sql, december)).toBeNull();
  });

  it('knows whether a unit has children in force on a day', async () => {
    expect(await hasChildrenInForce(db.sql, id.get('921')!, '2025-06-30')).toBe(true);
    expect(await hasChildrenInForce(db.sql, id.get('921')!, '2025-07-01')).toBe(false);
    expect(await hasChildrenInForce(db.sql, id.get('city')!, '2025-07-01')).toBe(true);
    expect(await hasChildrenInForce(db.sql, id.get('X')!, '2025-07-01')).toBe(false);
  });
});
