/**
 * Targets (docs/targets.md) on the real PostgreSQL: stored through the admin module, resolved by
 * precedence on the board every screen reads, and imported from a spreadsheet whose bad line is
 * refused while the good ones are kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { orm } from '#db/client';
import { auditLog, targets } from '#db/schema/index';
import { readBoard } from '#server/boards';
import { deleteTarget, importTargets, listTargets, saveTarget, TARGET_COLUMNS } from '#server/admin/targets';
import { toXlsx } from '#server/exports';
import { isBelowTarget } from '#domain/targets';
import { BELOW_TARGET_ROWS, belowTargetByIndicator, readBriefing } from '#server/briefings/read';
import { freshDatabase } from '../support/db.ts';
import { demoWorld } from '../support/fixtures.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const ADMIN = { kind: 'system', name: 'test-admin' } as const;
const DAY = { scope: '01', period: 'day', date: '2026-11-19' } as const;

describe('targets', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let jobs: TestJobs;
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql, { now: () => NOW });
    jobs = await testJobs(db, 'pgboss_targets');
    await world.pollAll(NOW, { jobs: jobs.boss });
  });
  afterAll(async () => {
    await jobs?.stop();
    await world?.simulator.close();
    await db?.drop();
  });

  it('a board without targets carries none', async () => {
    const board = await readBoard(db.sql, DAY, NOW);
    expect(board.targets).toBeUndefined();
    expect((await readBriefing(db.sql, DAY, NOW)).belowTarget).toBeNull();
    expect((await readBriefing(db.sql, DAY, NOW)).belowTargetByIndicator).toBeNull();
    expect(board.rows[0]!.indicators['dossier.on_time']).not.toHaveProperty('target');
  });

  it('puts the target that applies on every row, and flags exactly those below it', async () => {
    const city = await saveTarget(db.sql, { indicatorKey: 'dossier.on_time', scopeCode: '', percent: '95' }, ADMIN);
    expect(city.ok).toBe(true);
    // Thanh Oai's own (any period) beats the city's; the city's for this very day beats the city's for every period.
    expect((await saveTarget(db.sql, { indicatorKey: 'dossier.on_time', scopeCode: '278', percent: '50' }, ADMIN)).ok).toBe(true);
    expect((await saveTarget(db.sql, { indicatorKey: 'dossier.on_time', scopeCode: '01', periodKind: 'day', periodDate: '19/11/2026', percent: '80,5' }, ADMIN)).ok).toBe(true);

    const board = await readBoard(db.sql, DAY, NOW);
    expect(board.rows).toHaveLength(30);
    let below = 0;
    for (const row of board.rows) {
      const v = row.indicators['dossier.on_time']!;
      expect(v.target, row.unitName).toBe(row.unitCode === '278' ? 0.5 : 0.805);
      expect(v.belowTarget, row.unitName).toBe(isBelowTarget(v.ratio, v.target));
      if (v.belowTarget) below += 1;
      // Other indicators have no target.
      expect(row.indicators['eid.activation']).not.toHaveProperty('target');
    }
    // Ratios of 67–94 % against 80,5 %: some below, some not — the flags are not all alike.
    expect(below).toBeGreaterThan(0);
    expect(below).toBeLessThan(30);
    expect(board.targets).toEqual({ scope: { 'dossier.on_time': 0.805 }, below: { 'dossier.on_time': below }, unitsBelow: below });

    // The briefing's "units below target": the same units, with actual and target.
    const briefing = await readBriefing(db.sql, DAY, NOW);
    const expected = board.rows.filter((r) => r.indicators['dossier.on_time']!.belowTarget);
    // The furthest below first.
    const gap = (r: (typeof expected)[number]) => r.indicators['dossier.on_time']!.target! - r.indicators['dossier.on_time']!.ratio!;
    const worstFirst = [...expected].sort((a, b) => gap(b) - gap(a) || a.unitCode.localeCompare(b.unitCode));
    expect(briefing.belowTarget!.map((u) => u.unitCode)).toEqual(worstFirst.map((r) => r.unitCode));
    expect(briefing.belowTarget![0]!.indicators).toEqual([{ key: 'dossier.on_time', ratio: worstFirst[0]!.indicators['dossier.on_time']!.ratio, target: worstFirst[0]!.indicators['dossier.on_time']!.target }]);
    // The print page's summary: per indicator the target, how many of the board's units are below (the board's own
    // count), then the furthest below, at most BELOW_TARGET_ROWS, and how many more.
    expect(briefing.belowTargetByIndicator).toEqual([{
      key: 'dossier.on_time', target: 0.805, ownTargets: 1, withTarget: 30, below, more: Math.max(0, below - BELOW_TARGET_ROWS),
      units: worstFirst.slice(0, BELOW_TARGET_ROWS).map((r) => ({ unitCode: r.unitCode, unitName: r.unitName, ratio: r.indicators['dossier.on_time']!.ratio, target: r.indicators['dossier.on_time']!.target }))
    }]);
    expect(briefing.belowTargetByIndicator![0]!.below).toBe(board.targets!.below['dossier.on_time']);
    // Fewer rows asked: the others counted, not listed.
    const three = belowTargetByIndicator(board, 3)![0]!;
    expect(three.units.map((u) => u.unitCode)).toEqual(worstFirst.slice(0, 3).map((r) => r.unitCode));
    expect(three.units.length + three.more).toBe(below);

    // The next day the city's for every period (95 %) applies again.
    const next = await readBoard(db.sql, { ...DAY, date: '2026-11-18' }, NOW);
    expect(next.rows.find((r) => r.unitCode !== '278')!.indicators['dossier.on_time']!.target).toBe(0.95);

    const audited = await orm(db.sql).select().from(auditLog).where(and(eq(auditLog.entity, 'target'), eq(auditLog.action, 'create')));
    expect(audited).toHaveLength(3);
    expect(audited[0]!.actorName).toBe('test-admin');
  });

  it('names each bad field in words', async () => {
    const r = await saveTarget(db.sql, { indicatorKey: 'nope', scopeCode: '99999', periodKind: 'month', periodDate: '31/02/2026', percent: '120' }, ADMIN);
    expect(r).toEqual({
      ok: false,
      errors: {
        indicatorKey: 'Chỉ số: hãy chọn một chỉ số của bộ chỉ số đang dùng (không có “nope”).',
        scopeCode: 'Đơn vị: không có đơn vị đang hiệu lực mã “99999”.',
        periodDate: 'Ngày trong kỳ: “31/02/2026” không phải một ngày dạng dd/mm/yyyy.',
        percent: 'Chỉ tiêu: “120” không phải một tỷ lệ phần trăm lớn hơn 0 và tối đa 100 (ví dụ 95 hoặc 95,5).'
      }
    });
  });

  it('imports a spreadsheet: the bad line refused with its line and reason, the good ones kept', async () => {
    const csv = [
      'Chỉ số (mã hoặc tên) [indicator],Mã đơn vị (trống: toàn thành phố) [unit_code],Loại kỳ (trống: mọi kỳ) [period_kind],Ngày trong kỳ (dd/mm/yyyy) [period_date],Chỉ tiêu (%) [percent]',
      'Kích hoạt định danh điện tử,,,,"70,5"',
      'Hoàn thành nhiệm vụ,99999,,,90',
      'Hồ sơ đúng hạn,278,,,60',
      'eid.activation,250,Tháng,03/11/2026,75'
    ].join('\n');
    const result = await importTargets(db.sql, new TextEncoder().encode(csv), ADMIN);
    expect(result).toEqual({ saved: 3, problems: [{ line: 3, reason: 'không có đơn vị đang hiệu lực mã “99999”' }] });
    const list = await listTargets(db.sql);
    const find = (key: string, unit: string | null) => list.filter((t) => t.indicatorKey === key && t.unitCode === unit);
    expect(find('eid.activation', null).map((t) => t.minRatio)).toEqual([0.705]);
    // The same place (Thanh Oai, every period) took the new value rather than a second row.
    expect(find('dossier.on_time', '278').map((t) => t.minRatio)).toEqual([0.6]);
    expect(find('eid.activation', '250')).toMatchObject([{ periodKind: 'month', periodStart: '2026-11-01', minRatio: 0.75 }]);
    expect(find('task.completed', null)).toEqual([]);
  });

  it('imports an .xlsx the same way: Excel’s own percentage cell read as such, the bad line refused', async () => {
    const book = await toXlsx([TARGET_COLUMNS.map((c) => c.heading), ['task.on_time', '', '', '', 0.9], ['task.on_time', '', 'năm', 'không phải ngày', 90]], 'Chỉ tiêu');
    const result = await importTargets(db.sql, book, ADMIN);
    expect(result).toEqual({ saved: 1, problems: [{ line: 3, reason: 'ngày trong kỳ “không phải ngày” không phải một ngày dạng dd/mm/yyyy' }] });
    expect((await listTargets(db.sql)).filter((t) => t.indicatorKey === 'task.on_time').map((t) => t.minRatio)).toEqual([0.9]);
  });

  it('deletes a target, audited, and the board forgets it', async () => {
    const [own] = (await listTargets(db.sql)).filter((t) => t.unitCode === '278');
    expect((await deleteTarget(db.sql, own!.id, ADMIN)).ok).toBe(true);
    expect(await orm(db.sql).select().from(targets).where(eq(targets.id, own!.id))).toEqual([]);
    const board = await readBoard(db.sql, DAY, NOW);
    expect(board.rows.find((r) => r.unitCode === '278')!.indicators['dossier.on_time']!.target).toBe(0.805);
    expect(await orm(db.sql).select().from(auditLog).where(and(eq(auditLog.entity, 'target'), eq(auditLog.action, 'delete')))).toHaveLength(1);
  });
});
