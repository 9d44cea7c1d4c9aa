import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard } from '../../src/lib/server/boards.ts';
import { recomputeRankings } from '#server/ranking/rankings';
import { pollSource, recomputeLiveBoards } from '#server/pipeline/poll';
import { BIG_BOARDS_DELAY_SECONDS, LONG_BOARDS_DELAY_SECONDS } from '#server/ranking/slow-boards';
import { RECOMPUTE_QUEUE } from '#server/jobs/queues';
import { queueLongBoards } from '#server/jobs/send';
import { periodOf } from '../../src/lib/domain/periods.ts';
import { dossierDay } from '../../workers/simulator/dossiers.ts';
import { freshDatabase } from '../support/db.ts';
import { demoWorld, setOverride, SIM_SEED } from '../support/fixtures.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';

const NOW = new Date('2026-11-20T12:00:00Z');

describe('the ranking query', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let jobs: TestJobs;
  let polledAt: number;
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql, { now: () => NOW });
    jobs = await testJobs(db, 'pgboss_rankings');
    polledAt = Date.now();
    await world.pollAll(NOW, { jobs: jobs.boss });
  });
  afterAll(async () => {
    await jobs.stop();
    await world.simulator.close();
    await db.drop();
  });

  it('ranks the 30 districts of the city with competition ranks, ratio of sums from the source', async () => {
    const board = await readBoard(db.sql, { scope: '01', period: 'day', date: '2026-11-19' }, NOW);
    expect(board.rows).toHaveLength(30);
    expect(board.period).toEqual({ kind: 'day', start: '2026-11-19', end: '2026-11-19', provisional: false });
    const totals = board.rows.map((r) => r.total!);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    board.rows.forEach((row, i) => {
      const better = board.rows.filter((r) => r.total! > row.total!).length;
      expect(row.rank, `rank of ${row.unitName} (${i})`).toBe(better + 1);
    });
    // Thanh Oai (278): numerator and denominator are the sums over its communes, as reported.
    const thanhOai = board.rows.find((r) => r.unitCode === '278')!;
    const communes = world.units.filter((u) => u.parentGsoCode === '278').map((u) => u.gsoCode);
    const days = communes.map((c) => dossierDay(SIM_SEED, c, '2026-11-19', NOW));
    const onTime = days.reduce((s, d) => s + d.resolvedOnTime + d.pendingOnTime, 0);
    const received = days.reduce((s, d) => s + d.received, 0);
    expect(thanhOai.indicators['dossier.on_time']).toMatchObject({ numerator: onTime, denominator: received });
    expect(thanhOai.indicators['dossier.on_time']!.ratio).toBeCloseTo(onTime / received, 12);
    // The total is the points earned, scaled to 100 over the indicators that apply (denominator > 0).
    const applicable = board.indicators.filter((i) => thanhOai.indicators[i.key]!.points !== null);
    const earned = applicable.reduce((s, i) => s + thanhOai.indicators[i.key]!.points!, 0);
    const max = applicable.reduce((s, i) => s + i.maxPoints, 0);
    expect(board.indicators.reduce((s, i) => s + i.maxPoints, 0)).toBe(100);
    expect(thanhOai.total).toBeCloseTo((earned * 100) / max, 2);
  });

  it('compares with the previous period of the same kind', async () => {
    const day18 = await readBoard(db.sql, { scope: '01', period: 'day', date: '2026-11-18' }, NOW);
    const day19 = await readBoard(db.sql, { scope: '01', period: 'day', date: '2026-11-19' }, NOW);
    const rank18 = new Map(day18.rows.map((r) => [r.unitCode, r.rank]));
    for (const row of day19.rows) expect(row.previousRank).toBe(rank18.get(row.unitCode));
    // Relative moves: each unit a row says it passed was ahead of it on the 18th and is behind it on the 19th.
    const byCode = new Map(day19.rows.map((r) => [r.unitCode, r]));
    const passed = day19.rows.flatMap((row) => (row.change.passed ?? []).map((p) => [row, byCode.get(p.unitCode)!] as const));
    expect(passed.length).toBeGreaterThan(0);
    for (const [row, other] of passed) {
      expect(other.previousRank!).toBeLessThan(row.previousRank!);
      expect(other.rank!).toBeGreaterThan(row.rank!);
      expect(byCode.get(other.unitCode)!.change.passedBy!.map((p) => p.unitCode).slice(0, 3).length).toBeGreaterThan(0);
    }
  });

  it('keeps the next period previous rank current when a late correction changes an earlier day', async () => {
    // Sóc Sơn (016): a late correction says none of its dossiers of the 18th was on time, online,
    // digitised or paid online, and no e-ID account was activated.
    await db.sql`
      update samples s set value = 0 from metrics m, unit_closure c, units d
      where m.id = s.metric_id and m.key in ('dossier.resolved_on_time', 'dossier.pending_on_time', 'dossier.received_online',
                                             'dossier.digitized', 'dossier.paid_online', 'eid.activated')
        and c.descendant_id = s.unit_id and c.ancestor_id = d.id and d.gso_code = '016' and s.day = '2026-11-18'`;
    await recomputeRankings(db.sql, [periodOf('day', '2026-11-18')]);
    const day18 = await readBoard(db.sql, { scope: '01', period: 'day', date: '2026-11-18' }, NOW);
    const day19 = await readBoard(db.sql, { scope: '01', period: 'day', date: '2026-11-19' }, NOW);
    expect(day18.rows.find((r) => r.unitCode === '016')!.rank).toBe(30);
    const socSon = day19.rows.find((r) => r.unitCode === '016')!;
    expect(socSon.previousRank).toBe(30);
    // Why it moved, in words: the indicators the correction emptied on the 18th are its gains on the 19th.
    expect(socSon.change.places).toBe(30 - socSon.rank!);
    expect(socSon.change.parts[0]!.delta).toBeGreaterThan(0);
    expect(socSon.change.parts.map((p) => p.key)).toEqual(expect.arrayContaining(['dossier.on_time', 'eid.activation']));
    expect(socSon.change.sentence).toMatch(/^tăng \d+ bậc \(tổng \+[\d,]+\): .*Hồ sơ đúng hạn \+[\d,]+ điểm/);
  });

  it('ranks the communes of a district, and a provisional month', async () => {
    const board = await readBoard(db.sql, { scope: '278', period: 'month', date: '2026-11-20' }, NOW);
    expect(board.rows.length).toBe(world.units.filter((u) => u.parentGsoCode === '278').length);
    expect(board.period.provisional).toBe(true);
    expect(board.rows.every((r) => r.rank !== null)).toBe(true);
  });

  it('shows units without data as not ranked, with the reason, never as zero', async () => {
    const board = await readBoard(db.sql, { scope: '01', period: 'day', date: '2026-11-10' }, NOW);
    expect(board.rows).toHaveLength(30);
    for (const row of board.rows) {
      expect(row.rank).toBeNull();
      expect(row.total).toBeNull();
      expect(row.notRankedReason).toBeTruthy();
    }
  });

  it('keeps boards for weeks and the reporting month at once, and the long ones after their recompute job', async () => {
    const week = await readBoard(db.sql, { scope: '01', period: 'week', date: '2026-11-19' }, NOW);
    expect(week.period).toMatchObject({ kind: 'week', start: '2026-11-16', end: '2026-11-22' });
    expect(week.rows.filter((r) => r.rank !== null)).toHaveLength(30);
    const report = await readBoard(db.sql, { scope: '01', period: 'report_month', date: '2026-11-19' }, NOW);
    expect(report.period).toMatchObject({ start: '2026-11-15', end: '2026-12-14', provisional: true });
    expect(report.rows.filter((r) => r.rank !== null)).toHaveLength(30);

    // The four polls changed data: exactly one long-board job waits per period they touched (the
    // later polls were absorbed into it), due a few minutes on; app_meta holds no queue.
    const pending = await jobs.boss.findJobs<{ period: { kind: string; start: string }; cause: string }>(RECOMPUTE_QUEUE, { queued: true });
    expect(pending.map((j) => `${j.data.period.kind}:${j.data.period.start}`).sort()).toEqual([
      'quarter:2026-10-01', 'report_quarter:2026-09-15', 'report_year:2025-12-15', 'year:2026-01-01'
    ]);
    for (const job of pending) {
      expect(job).toMatchObject({ state: 'created', singletonKey: `long:${job.data.period.kind}:${job.data.period.start}`, data: { cause: 'long_boards' } });
      expect(job.startAfter.getTime()).toBeGreaterThanOrEqual(polledAt + (LONG_BOARDS_DELAY_SECONDS - 5) * 1000);
    }
    expect(await db.sql`select key from app_meta where key in ('slow_boards_pending', 'history_pending')`).toHaveLength(0);
    // Another change within those minutes adds no job.
    await setOverride(world.simulatorUrl, { unitCode: '00001', date: '2026-11-20', receivedDelta: 7, onTimeRate: 0.5 });
    expect((await pollSource(db.sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW, jobs: jobs.boss })).changed).toBeGreaterThan(0);
    expect((await jobs.boss.findJobs(RECOMPUTE_QUEUE, { queued: true })).map((j) => j.id).sort()).toEqual(pending.map((j) => j.id).sort());
    // A change that rolls back leaves no job (the job is written in the change's own transaction).
    await expect(
      db.sql.begin(async (tx) => {
        await queueLongBoards(jobs.boss, tx, [periodOf('quarter', '2026-07-01')]);
        throw new Error('rolled back');
      })
    ).rejects.toThrow('rolled back');
    expect(await jobs.boss.findJobs(RECOMPUTE_QUEUE, { key: 'long:quarter:2026-07-01' })).toHaveLength(0);

    // The quarter's board waits for its job.
    const before = await readBoard(db.sql, { scope: '01', period: 'quarter', date: '2026-11-19' }, NOW);
    expect(before.rows.every((r) => r.rank === null)).toBe(true);
    // Brought forward (rather than waiting five minutes), the real workers run the jobs.
    for (const job of pending) await jobs.boss.update(RECOMPUTE_QUEUE, undefined, { id: job.id, startAfter: new Date() });
    await jobs.work({ secretKeyHex: world.secretKeyHex });
    for (const job of pending) expect(await jobs.settled(RECOMPUTE_QUEUE, job.id)).toEqual({ scopes: expect.any(Number) });
    const quarter = await readBoard(db.sql, { scope: '01', period: 'quarter', date: '2026-11-19' }, NOW);
    expect(quarter.rows.filter((r) => r.rank !== null)).toHaveLength(30);
    const year = await readBoard(db.sql, { scope: '01', period: 'year', date: '2026-11-19' }, NOW);
    expect(year.rows.filter((r) => r.rank !== null)).toHaveLength(30);
    // Ratio of sums over the whole quarter: the quarter's denominator holds the month's.
    const month = await readBoard(db.sql, { scope: '01', period: 'month', date: '2026-11-19' }, NOW);
    const q278 = quarter.rows.find((r) => r.unitCode === '278')!.indicators['dossier.on_time']!;
    const m278 = month.rows.find((r) => r.unitCode === '278')!.indicators['dossier.on_time']!;
    expect(q278.denominator).toBe(m278.denominator); // only November was polled
    expect(await jobs.boss.findJobs(RECOMPUTE_QUEUE, { queued: true })).toHaveLength(0); // nothing left pending
  });

  /** Every stored row of the month's boards of these scopes, but the time they were written. */
  const storedRows = (scopes: string[]) => db.sql<{ r: object }[]>`
    select to_jsonb(r) - 'computed_at' - 'id' as r from rankings r join units s on s.id = r.scope_unit_id
    where s.gso_code = any(${scopes}) and r.period_kind = 'month' and r.period_start = '2026-11-01'
    order by r.scheme_key, r.scope_unit_id, r.unit_id`;

  it('a poll recomputes only the boards its commune reaches, from their own samples, the same rows as every board recomputed', async () => {
    const [commune] = await db.sql<{ id: number }[]>`select id from units where gso_code = '00001'`;
    await db.sql`update samples set value = value + 40 where unit_id = ${commune!.id} and day = '2026-11-19'
                 and metric_id = (select id from metrics where key = 'dossier.received')`;
    const month = periodOf('month', '2026-11-19');
    const written = await recomputeRankings(db.sql, [month], { units: [commune!.id] });
    const codes = (await db.sql<{ code: string }[]>`select gso_code as code from units where id = any(${written})`).map((r) => r.code).sort();
    expect(codes).toEqual(['001', '01']); // Ba Đình's board and the city's: not the 29 other districts'
    const scoped = await storedRows(['01', '001']);
    await recomputeRankings(db.sql, [month]);
    expect(await storedRows(['01', '001'])).toEqual(scoped);
    expect(scoped.length).toBeGreaterThan(30);
  });

  it('leaves a big board (more units than BIG_BOARD_UNITS: the country\'s) to one job for every poll of its seconds', async () => {
    const [commune] = await db.sql<{ id: number }[]>`select id from units where gso_code = '00001'`;
    const [city] = await db.sql<{ id: number }[]>`select id from units where gso_code = '01'`;
    await db.sql`update samples set value = value + 40 where unit_id = ${commune!.id} and day = '2026-11-19'
                 and metric_id = (select id from metrics where key = 'dossier.received')`;
    const month = periodOf('month', '2026-11-19');
    const cityBefore = await storedRows(['01']);
    // The city (556 units under it) is big for a threshold of 100: its board waits; Ba Đình's does not.
    const queuedAt = Date.now();
    const written = await db.sql.begin((tx) => recomputeLiveBoards(tx, [month], ['operations'], [commune!.id], jobs.boss, 100));
    expect(written).not.toContain(city!.id);
    expect(written).toHaveLength(1);
    expect(await storedRows(['01'])).toEqual(cityBefore);
    const key = `big:month:2026-11-01:${city!.id}`;
    const [job] = await jobs.boss.findJobs<{ scopes: number[]; cause: string }>(RECOMPUTE_QUEUE, { key, queued: true });
    expect(job).toMatchObject({ data: { cause: 'big_boards', scopes: [city!.id], schemes: ['operations'] } });
    expect(job!.startAfter.getTime()).toBeGreaterThanOrEqual(queuedAt + (BIG_BOARDS_DELAY_SECONDS - 5) * 1000);
    // A second poll within those seconds adds no job.
    await db.sql.begin((tx) => recomputeLiveBoards(tx, [month], ['operations'], [commune!.id], jobs.boss, 100));
    expect(await jobs.boss.findJobs(RECOMPUTE_QUEUE, { key, queued: true })).toHaveLength(1);
    // Its job (brought forward) writes the city's board: Ba Đình's row now counts the 40 dossiers.
    await jobs.boss.update(RECOMPUTE_QUEUE, undefined, { id: job!.id, startAfter: new Date() });
    expect(await jobs.settled(RECOMPUTE_QUEUE, job!.id)).toEqual({ scopes: 1 });
    const board = await readBoard(db.sql, { scope: '01', period: 'month', date: '2026-11-19' }, NOW);
    const baDinh = board.rows.find((r) => r.unitCode === '001')!.indicators['dossier.on_time']!;
    const district = await readBoard(db.sql, { scope: '001', period: 'month', date: '2026-11-19' }, NOW);
    const communeSum = district.rows.reduce((n, r) => n + (r.indicators['dossier.on_time']!.denominator ?? 0), 0);
    expect(baDinh.denominator).toBe(communeSum);
  });
});
