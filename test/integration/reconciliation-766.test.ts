/**
 * The 766 reconciliation read model on the real PostgreSQL: a whole province's figures for two months
 * (test/support/portal-766-demo.ts) ranked by the workers' recompute, and read back unit by unit and
 * group by group — equal everywhere the portal's published score is the formula's, the two planted
 * differences found with their points and the counts behind them, nothing hidden under a tolerance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeRankings } from '#server/ranking/rankings';
import { readReconciliation, reconciliationFileName, reconciliationTable } from '#server/reconciliation';
import { seedCatalogue, syntheticPopulation } from '#server/seed/seed';
import { seedDemoUnits } from '#server/seed/reform';
import { freshDatabase } from '../support/db.ts';
import { writePortalDemo } from '../support/portal-766-demo.ts';

const NOW = new Date('2026-12-02T09:00:00Z');

describe('the 766 reconciliation report', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let children: { code: string; level: string }[];
  let communes: string[];

  beforeAll(async () => {
    db = await freshDatabase();
    await db.sql.begin((tx) => seedDemoUnits(tx, syntheticPopulation));
    await seedCatalogue(db.sql);
    const units = await db.sql<{ code: string }[]>`
      select c.gso_code as code from units c join units p on p.id = c.parent_id
      where p.gso_code = '01' and c.level = 'commune' and c.valid_to is null order by c.gso_code`;
    communes = units.map((u) => u.code);
    const demo = await writePortalDemo(db.sql, {
      scopeCode: '01', months: ['2026-10-01', '2026-11-01'],
      differences: [
        // the portal 0,01 above the formula (as 2 of 163 payment rows on the recorded month)
        { unitCode: communes[3]!, month: '2026-11-01', group: 'payment', delta: 0.01 },
        { unitCode: communes[7]!, month: '2026-11-01', group: 'transparency', delta: -0.5 }
      ]
    });
    children = demo.units;
    await recomputeRankings(db.sql, demo.periods);
  });
  afterAll(() => db.drop());

  it('counts every unit × group of the month: equal where the portal’s score is the formula’s, the two differences, the online group as published', async () => {
    const report = await readReconciliation(db.sql, { period: 'month', date: '2026-11-15' }, NOW);
    expect(report.scope.code).toBe('01');
    expect(report.schemeGroups.map((g) => g.key)).toEqual(['transparency', 'progress', 'online', 'payment', 'satisfaction', 'digitization']);
    const n = children.length + 1; // the province's own row, and every agency and commune
    expect(children.length).toBeGreaterThan(100);
    expect(report.units[0]).toMatchObject({ code: '01', own: true });
    expect(report.counts).toEqual({ units: n, groups: 6, pairs: n * 6, equal: n * 5 - 2, different: 2, publishedOnly: n, notPublished: 0, notComputed: 0 });
    console.log(`reconciliation 11/2026: ${report.counts.units} đơn vị × 6 nhóm: ${report.counts.equal} khớp, ${report.counts.different} lệch, ${report.counts.publishedOnly} theo công bố`);
  });

  it('gives each difference with ours, the portal’s, the difference and the counts behind it, the largest first', async () => {
    const report = await readReconciliation(db.sql, { period: 'month', date: '2026-11-15' }, NOW);
    expect(report.differences.map((d) => [d.unit.code, d.group.group.key, d.group.difference])).toEqual([
      [communes[7], 'transparency', 0.5],
      [communes[3], 'payment', -0.01]
    ]);
    const [transparency, payment] = report.differences;
    expect(transparency!.group.published).toBe(Math.round((transparency!.group.points! - 0.5) * 100) / 100);
    // the counts behind: the group's four sub-indicators, as stored
    expect(transparency!.group.indicators.map((i) => i.meta.key)).toEqual(['p766.publish_on_time', 'p766.public_update_on_time', 'p766.public_content_full', 'p766.dossier_sync']);
    const [stored] = await db.sql<{ n: number; d: number }[]>`
      select max(ps.value) filter (where m.key = 'p766.progress.n') as n, max(ps.value) filter (where m.key = 'p766.progress.d') as d
      from period_samples ps join metrics m on m.id = ps.metric_id join units u on u.id = ps.unit_id
      where u.gso_code = ${communes[3]!} and u.valid_to is null and ps.period_kind = 'month' and ps.period_start = '2026-11-01'`;
    const unit = report.units.find((u) => u.code === communes[3])!;
    expect(unit.groups.find((g) => g.group.key === 'progress')!.indicators[0]!.value).toMatchObject({ numerator: stored!.n, denominator: stored!.d });
    const sum = payment!.group.indicators.reduce((s, i) => s + i.value.points!, 0);
    expect(Math.round(sum * 100) / 100).toBe(payment!.group.points);
    expect(payment!.group.published).toBe(Math.round((payment!.group.points! + 0.01) * 100) / 100);

    // The CSV: every unit × group, one row each, the state in words and the counts behind
    const table = reconciliationTable(report);
    expect(table).toHaveLength(report.counts.pairs + 1);
    expect(table[0]).toEqual(['Mã đơn vị', 'Đơn vị', 'Nhóm chỉ số', 'Điểm tối đa', 'Đối chiếu', 'Điểm tính lại', 'Điểm Cổng DVCQG công bố', 'Chênh lệch (tính lại − công bố)', 'Số liệu đằng sau']);
    const line = table.find((r) => r[0] === communes[3] && r[2] === 'Thanh toán trực tuyến')!;
    expect(line.slice(3, 8)).toEqual([10, 'lệch', payment!.group.points, payment!.group.published, -0.01]);
    expect(line[8]).toMatch(/^Hồ sơ thanh toán trực tuyến: [\d.]+\/[\d.]+ → \d+,\d\d điểm; TTHC có thanh toán trực tuyến: /);
    expect(table.filter((r) => r[4] === 'khớp')).toHaveLength(report.counts.equal);
    expect(table.find((r) => r[0] === '01' && r[2] === 'Công khai, minh bạch')![8]).toContain('Công bố TTHC đúng hạn: 0/0, không tính điểm');
    expect(reconciliationFileName(report)).toBe('doi-chieu-766-01-month-2026-11-01');
  });

  it('finds none in the month before, and none in the quarter the portal published from the sums', async () => {
    const october = await readReconciliation(db.sql, { period: 'month', date: '2026-10-15' }, NOW);
    expect(october.counts.different).toBe(0);
    expect(october.differences).toEqual([]);
    const quarter = await readReconciliation(db.sql, { period: 'quarter', date: '2026-11-15' }, NOW);
    expect(quarter.counts).toMatchObject({ different: 0, notPublished: 0, equal: (children.length + 1) * 5 });
  });

  it('says which scores the portal has not published, rather than calling them equal', async () => {
    await db.sql`
      delete from period_samples ps using metrics m, units u
      where m.id = ps.metric_id and u.id = ps.unit_id and m.key = 'p766.score.progress' and u.gso_code = ${communes[0]!} and u.valid_to is null
        and ps.period_kind = 'month' and ps.period_start = '2026-10-01'`;
    const { periodOf } = await import('#domain/periods');
    await recomputeRankings(db.sql, [periodOf('month', '2026-10-01')]);
    const october = await readReconciliation(db.sql, { period: 'month', date: '2026-10-15' }, NOW);
    expect(october.counts).toMatchObject({ notPublished: 1, different: 0 });
    const unit = october.units.find((u) => u.code === communes[0])!;
    expect(unit.groups.find((g) => g.group.key === 'progress')).toMatchObject({ status: 'not_published', published: null, difference: null });
    expect(unit.groups.find((g) => g.group.key === 'progress')!.points).not.toBeNull();
  });
});
