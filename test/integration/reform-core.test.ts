/**
 * The ranking core across a reform, on a small map built by hand (the demo's Hà Nội is checked in
 * reform-demo.test.ts): units in force on days, the lineage's shares, the stock rule at the period's
 * end, groups by level, and the estimated flag.
 *
 *   city 91 ── district 911 (to 30/06/2025) ── communes 91101 (a), 91102 (b)
 *           └─ district 912 (to 30/06/2025) ── communes 91201 (c), 91202 (d)
 *           ├─ commune 91101 (X, from 01/07/2025: a whole, half of b)   ← keeps a's code
 *           ├─ commune 91203 (Y, from 01/07/2025: half of b, c whole)
 *           ├─ commune 91202 (Z, from 01/07/2025: d whole)             ← keeps d's code
 *           └─ department 91-S01 (from 01/07/2025)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard, readSeries } from '../../src/lib/server/boards.ts';
import { recomputeRankings } from '#server/ranking/rankings';
import { seedCatalogue } from '#server/seed/seed';
import { loadLookups } from '#server/pipeline/ingest';
import { periodOf } from '../../src/lib/domain/periods.ts';
import { freshDatabase } from '../support/db.ts';
import { buildReformMap, testSourceAndMetrics } from '../support/reform-map.ts';

const NOW = new Date('2025-12-31T10:00:00Z');

describe('boards across a reform', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const id = new Map<string, number>(); // "code@from" → id
  const received = new Map<string, number>(); // "unit id|day" → dossier.received

  beforeAll(async () => {
    db = await freshDatabase();
    const sql = db.sql;
    await seedCatalogue(sql);
    const built = await buildReformMap(sql, [
      ['city', '91', 'Thành phố Thử', 'province', 'Thành phố Trung ương', null, null, null],
      ['911', '911', 'Huyện Một', 'district', 'Huyện', 'city', null, '2025-06-30'],
      ['912', '912', 'Huyện Hai', 'district', 'Huyện', 'city', null, '2025-06-30'],
      ['a', '91101', 'Xã A', 'commune', 'Xã', '911', null, '2025-06-30'],
      ['b', '91102', 'Xã B', 'commune', 'Xã', '911', null, '2025-06-30'],
      ['c', '91201', 'Xã C', 'commune', 'Xã', '912', null, '2025-06-30'],
      ['d', '91202', 'Xã D', 'commune', 'Xã', '912', null, '2025-06-30'],
      ['X', '91101', 'Xã X', 'commune', 'Xã', 'city', '2025-07-01', null],
      ['Y', '91203', 'Phường Y', 'commune', 'Phường', 'city', '2025-07-01', null],
      ['Z', '91202', 'Xã Z', 'commune', 'Xã', 'city', '2025-07-01', null],
      ['S', '91-S01', 'Sở Thử', 'department', 'Sở', 'city', '2025-07-01', null]
    ], [
      { oldCode: 'a', newCode: 'X', note: 'Nhập toàn bộ' },
      { oldCode: 'b', newCode: 'X', note: 'Nhập một phần' },
      { oldCode: 'b', newCode: 'Y', note: 'Nhập một phần' },
      { oldCode: 'c', newCode: 'Y', note: 'Nhập toàn bộ' },
      { oldCode: 'd', newCode: 'Z', note: 'Giữ nguyên' }
    ]);
    for (const [k, v] of built) id.set(k, v);

    // A source, and samples: every day of June from the old communes, of July–December from the new units.
    const { sourceId, metrics } = await testSourceAndMetrics(sql);
    const rows: { unit: number; metric: number; day: string; value: number }[] = [];
    const day = (d: Date) => d.toISOString().slice(0, 10);
    for (let t = Date.UTC(2025, 5, 1); t <= Date.UTC(2025, 11, 31); t += 86_400_000) {
      const d = day(new Date(t));
      const units = d < '2025-07-01' ? ['a', 'b', 'c', 'd'] : ['X', 'Y', 'Z', 'S'];
      units.forEach((u, i) => {
        const n = 10 + i * 3 + (t / 86_400_000) % 5;
        received.set(`${id.get(u)}|${d}`, n);
        rows.push({ unit: id.get(u)!, metric: metrics.get('dossier.received')!, day: d, value: n });
        rows.push({ unit: id.get(u)!, metric: metrics.get('dossier.resolved_on_time')!, day: d, value: n - 2 });
        const put = (key: string, value: number) => rows.push({ unit: id.get(u)!, metric: metrics.get(key)!, day: d, value });
        put('dossier.pending_on_time', 1);
        put('dossier.received_online', Math.floor(n / 2));
        put('dossier.digitized', Math.floor(n / 3));
        put('dossier.with_fee', 4);
        put('dossier.paid_online', 3);
        put('task.completed_on_time', 2);
        put('task.completed_late', i);
        put('task.open_in_time', 3);
        put('task.open_overdue', 1);
        if (u !== 'S') {
          // Stocks (e-ID, welfare): levels, lower before the reform than after.
          put('eid.collected_level2', d < '2025-07-01' ? 1000 : 5000);
          put('eid.activated', d < '2025-07-01' ? 900 : 4000);
          put('payment.welfare_recipients', 200);
          put('payment.welfare_cashless', 150 + i);
        }
      });
    }
    // An old commune's figure after the reform (kept from an installation upgraded in place): it must not count.
    rows.push({ unit: id.get('a')!, metric: metrics.get('dossier.received')!, day: '2025-08-01', value: 100_000 });
    await sql`
      insert into samples (unit_id, metric_id, day, source_id, value, observed_at, ingested_at)
      select u, m, d, ${sourceId}, v, now(), now()
      from unnest(${sql.array(rows.map((r) => r.unit))}::int[], ${sql.array(rows.map((r) => r.metric))}::int[],
                  ${sql.array(rows.map((r) => r.day))}::date[], ${sql.array(rows.map((r) => r.value))}::float8[]) as t(u, m, d, v)`;
    await recomputeRankings(sql, [
      periodOf('month', '2025-06-15'), periodOf('month', '2025-07-15'), periodOf('year', '2025-06-15'), periodOf('report_year', '2025-06-15'),
      periodOf('week', '2025-07-01')
    ]);
  }, 60_000);
  afterAll(async () => {
    await db.drop();
  });

  const sumReceived = (units: string[], from: string, to: string, share = 1) =>
    [...received].filter(([k]) => {
      const [u, d] = k.split('|');
      return units.some((x) => String(id.get(x)) === u) && d! >= from && d! <= to;
    }).reduce((s, [, v]) => s + v * share, 0);

  it('ranks the children in force on the period’s last day: the districts in 06/2025, the new communes and the departments from 07/2025', async () => {
    const june = await readBoard(db.sql, { scope: '91', period: 'month', date: '2025-06-15' }, NOW);
    expect(june.rows.map((r) => r.unitCode)).toEqual(expect.arrayContaining(['911', '912']));
    expect(june.rows).toHaveLength(2);
    expect(june.groups).toEqual([{ level: 'district', types: ['Huyện'], count: 2 }]);
    const july = await readBoard(db.sql, { scope: '91', period: 'month', date: '2025-07-15' }, NOW);
    expect(july.rows.map((r) => r.unitCode).sort()).toEqual(['91-S01', '91101', '91202', '91203']);
    expect(july.groups).toEqual([{ level: 'commune', types: ['Xã', 'Phường'], count: 3 }, { level: 'department', types: ['Sở'], count: 1 }]);
    // Ranks within a group: the department is first among the departments, whatever the communes do.
    expect(july.rows.find((r) => r.unitCode === '91-S01')!.rank).toBe(1);
    expect(july.rows.filter((r) => r.unitLevel === 'commune').map((r) => r.rank).sort()).toEqual([1, 2, 3]);
    // The department issues no e-ID: that indicator does not apply to its group, and it is ranked.
    expect(july.rows.find((r) => r.unitCode === '91-S01')!.indicators['eid.activation']!.ratio).toBeNull();
    expect(july.rows.find((r) => r.unitCode === '91-S01')!.notRanked).toBeNull();
  });

  it('ranks the new units for a year that crosses the reform, each with the history of what went into it, never twice', async () => {
    const year = await readBoard(db.sql, { scope: '91', period: 'year', date: '2025-06-15' }, NOW);
    expect(year.rows.map((r) => r.unitCode).sort()).toEqual(['91-S01', '91101', '91202', '91203']);
    const row = (code: string) => year.rows.find((r) => r.unitCode === code)!;
    // X: a whole and half of b before the reform, its own after; a's figure after the reform does not count.
    const x = sumReceived(['a'], '2025-01-01', '2025-06-30') + sumReceived(['b'], '2025-01-01', '2025-06-30', 0.5) + sumReceived(['X'], '2025-07-01', '2025-12-31');
    expect(row('91101').indicators['dossier.on_time']!.denominator).toBeCloseTo(x, 6);
    // Z: d merged whole counts once, and is not an estimate.
    expect(row('91202').indicators['dossier.on_time']!.denominator).toBe(sumReceived(['d'], '2025-01-01', '2025-06-30') + sumReceived(['Z'], '2025-07-01', '2025-12-31'));
    expect(row('91202').estimated).toBe(false);
    // X and Y share b, which went into them only in part: flagged "ước tính".
    expect(row('91101').estimated).toBe(true);
    expect(row('91203').estimated).toBe(true);
    // The city's year = the sum of its parts, computed from the samples independently (a's stray figure excluded).
    const all = sumReceived(['a', 'b', 'c', 'd'], '2025-01-01', '2025-06-30') + sumReceived(['X', 'Y', 'Z', 'S'], '2025-07-01', '2025-12-31');
    const boardSum = year.rows.reduce((s, r) => s + (r.indicators['dossier.on_time']!.denominator ?? 0), 0);
    expect(boardSum).toBeCloseTo(all, 6);
    // A stock is the level at the period's end: the new unit's own, not its predecessors' added to it.
    expect(row('91101').indicators['eid.activation']).toMatchObject({ numerator: 4000, denominator: 5000 });
  });

  it('does the same for the reporting year 15/12/2024–14/12/2025 and the week across 01/07/2025', async () => {
    const ry = await readBoard(db.sql, { scope: '91', period: 'report_year', date: '2025-06-15' }, NOW);
    expect(ry.period).toMatchObject({ start: '2024-12-15', end: '2025-12-14' });
    expect(ry.rows).toHaveLength(4);
    const week = await readBoard(db.sql, { scope: '91', period: 'week', date: '2025-07-01' }, NOW);
    expect(week.period).toMatchObject({ start: '2025-06-30', end: '2025-07-06' });
    const y = week.rows.find((r) => r.unitCode === '91203')!;
    expect(y.indicators['dossier.on_time']!.denominator).toBeCloseTo(
      sumReceived(['b'], '2025-06-30', '2025-06-30', 0.5) + sumReceived(['c'], '2025-06-30', '2025-06-30') + sumReceived(['Y'], '2025-07-01', '2025-07-06'), 6);
  });

  it('reads a code as the unit that held it on the day: 91101 is Xã A in June, Xã X in July', async () => {
    const lookups = await loadLookups(db.sql, 'gso', '2025-12-31');
    expect(lookups.unitIdOn!('91101', '2025-06-30')).toBe(id.get('a'));
    expect(lookups.unitIdOn!('91101', '2025-07-01')).toBe(id.get('X'));
    expect(lookups.unitIdOn!('91203', '2025-06-30')).toBeUndefined();
    expect(lookups.unitIdByCode.get('91101')).toBe(id.get('X'));
    // The series of a new unit reaches back through its predecessors (with their shares).
    const series = await readSeries(db.sql, '91203', 'dossier.on_time', '2025-06-29', '2025-07-02');
    expect(series.points.map((p) => p.denominator)).toEqual([
      received.get(`${id.get('b')}|2025-06-29`)! * 0.5 + received.get(`${id.get('c')}|2025-06-29`)!,
      received.get(`${id.get('b')}|2025-06-30`)! * 0.5 + received.get(`${id.get('c')}|2025-06-30`)!,
      received.get(`${id.get('Y')}|2025-07-01`)!,
      received.get(`${id.get('Y')}|2025-07-02`)!
    ]);
  });

  it('says in words that an ended unit has no board after its end', async () => {
    await expect(readBoard(db.sql, { scope: '911', period: 'month', date: '2025-07-15' }, NOW)).rejects.toThrow(/ngừng hiệu lực từ 01\/07\/2025/);
    const june = await readBoard(db.sql, { scope: '911', period: 'month', date: '2025-06-15' }, NOW);
    expect(june.rows.map((r) => r.unitCode).sort()).toEqual(['91101', '91102']);
  });
});
