/**
 * Overlap and priority (issue 12, item 6): a second polled source for the units and metrics the
 * one-stop-shop system already reports is refused at the same priority, with the overlap named,
 * and accepted with a priority of its own; then per (unit, metric, day) only the higher-priority
 * source's value counts — on the board, in the drill-down's days and in the series — while the
 * raw-samples drill-down shows both values and which one counts.
 *
 * The second source asks the same simulated system, but its mapping reads three times the
 * dossiers received: added up (as before this change) Thanh Oai's ratios would collapse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard, readSeries } from '../../src/lib/server/boards.ts';
import { readIndicatorDrill, readRawSamples } from '../../src/lib/server/drilldown.ts';
import { readSourceView, saveSource, setEnabled, sourceFormSchema, type SourceForm } from '../../src/lib/server/admin/sources.ts';
import { findOverlap, metricsOfSource } from '../../src/lib/server/admin/overlap.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { loadSource, pollSource } from '#server/pipeline/poll';
import { recomputeRankings } from '#server/ranking/rankings';
import { RECOMPUTE_QUEUE } from '#server/jobs/queues';
import { BOARD_PERIOD_KINDS } from '#contract/dto';
import { createUserIfMissing } from '#server/seed/users';
import { DEMO_KEYS } from '#server/seed/demo-keys';
import { periodsCovering } from '../../src/lib/domain/periods.ts';
import { dossierDay } from '../../workers/simulator/dossiers.ts';
import { freshDatabase } from '../support/db.ts';
import { demoWorld, SIM_SEED } from '../support/fixtures.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = '2026-11-19';
const KEY = 'motcua-thanh-oai';
const MOTCUA_NAME = 'Hệ thống một cửa (iGate) — hồ sơ TTHC';

describe('overlap and priority', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let jobs: TestJobs;
  let admin: Principal;
  const ctx = () => ({ actor: admin, ip: '10.0.0.9' });

  /** Thanh Oai's communes, and the simulator's truth for them on DAY. */
  const truth = () => {
    const communes = world.units.filter((u) => u.parentGsoCode === '278').map((u) => u.gsoCode);
    const days = communes.map((c) => dossierDay(SIM_SEED, c, DAY, NOW));
    return {
      communes,
      onTime: days.reduce((s, d) => s + d.resolvedOnTime + d.pendingOnTime, 0),
      received: days.reduce((s, d) => s + d.received, 0)
    };
  };

  /** The second system's form: the one-stop-shop's own API for Thanh Oai, read with its received ×3. */
  const secondForm = (changes: Record<string, string> = {}): SourceForm => {
    const motcua = world.sources.motcua!;
    const m = motcua.mapping as { expression: string; metrics: string[] };
    return sourceFormSchema.parse({
      key: KEY, name: 'Một cửa Thanh Oai (bản sao)', family: 'dossier', kind: 'json_http', produces: 'samples', granularity: 'day',
      urlTemplate: motcua.urlTemplate, authKind: 'api_key', apiKeyHeader: 'x-api-key', apiKey: DEMO_KEYS.dossier,
      mapping: `${m.expression.replace('"dossier.received": tiepNhan', '"dossier.received": tiepNhan * 3')}\nmetrics: ${m.metrics.join(', ')}`,
      intervalSeconds: '60', timeoutMs: '5000', staleAfterSeconds: '600', trailingDays: '3', dailyDeadline: '', scopeUnitCode: '278',
      priority: '100', enabled: 'on', ...changes
    });
  };

  const thanhOaiOnTime = async () => {
    const board = await readBoard(db.sql, { scope: '01', period: 'day', date: DAY }, NOW);
    return board.rows.find((r) => r.unitCode === '278')!.indicators['dossier.on_time']!;
  };

  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql, { now: () => NOW });
    process.env.CITYOPS_SECRET_KEY = world.secretKeyHex;
    jobs = await testJobs(db, 'pgboss_overlap');
    await createUserIfMissing(db.sql, { username: 'admin-ov', displayName: 'Quản trị', password: 'a long password', role: 'admin' });
    const [u] = await db.sql<{ id: number }[]>`select id from users where username = 'admin-ov'`;
    admin = { kind: 'user', sessionId: 's', user: { id: u!.id, username: 'admin-ov', displayName: 'Quản trị', role: 'admin', unitCode: null, unitName: null } };
    await world.pollAll(NOW, { jobs: jobs.boss });
  });
  afterAll(async () => {
    await jobs.stop();
    await world.simulator.close();
    await db.drop();
  });

  it('the seeded sources overlap none of each other at the same priority', async () => {
    for (const key of Object.keys(world.sources)) {
      const v = (await readSourceView(db.sql, key))!;
      const source = world.sources[key]!;
      const found = await findOverlap(db.sql, {
        id: v.id, family: v.family, scopeUnitId: source.scopeUnitId, priority: v.priority, enabled: true, metrics: metricsOfSource(source)
      });
      expect(found, key).toBeNull();
    }
  });

  it('refuses a second enabled source for the same units and metrics at the same priority, naming the overlap', async () => {
    const refused = await saveSource(db.sql, secondForm(), ctx());
    expect(refused).toEqual({ errors: { priority: expect.any(String) } });
    const message = (refused as { errors: { priority: string } }).errors.priority;
    expect(message).toContain(`"${MOTCUA_NAME}" (motcua)`);
    expect(message).toContain('Huyện Thanh Oai');
    expect(message).toContain('Hồ sơ tiếp nhận');
    expect(message).toContain('mức ưu tiên khác nhau');
    expect(await readSourceView(db.sql, KEY)).toBeNull();

    // Saved disabled it is accepted; enabling it is then refused the same way.
    expect(await saveSource(db.sql, secondForm({ enabled: '' }), ctx())).toEqual({ key: KEY });
    const enabling = await setEnabled(db.sql, KEY, true, { ...ctx(), jobs: jobs.boss });
    expect(enabling).toEqual({ ok: false, status: 409, field: 'priority', message: expect.stringContaining('(motcua)') });
    expect((await readSourceView(db.sql, KEY))!.enabled).toBe(false);

    // A source for another district meets the city-wide one-stop-shop system on that district only.
    const elsewhere = await findOverlap(db.sql, {
      id: null, family: 'dossier', scopeUnitId: (await unitId('271')), priority: 100, enabled: true, metrics: ['dossier.received']
    });
    expect(elsewhere).toEqual({ sourceKey: 'motcua', sourceName: MOTCUA_NAME, units: 'Huyện Ba Vì', metrics: ['Hồ sơ tiếp nhận'] });
    const otherFamily = await findOverlap(db.sql, { id: null, family: 'eid', scopeUnitId: null, priority: 10, enabled: true, metrics: [] });
    expect(otherFamily).toBeNull();
    const wholeCity = await findOverlap(db.sql, { id: null, family: 'eid', scopeUnitId: null, priority: 100, enabled: true, metrics: [] });
    expect(wholeCity).toMatchObject({ sourceKey: 'vneid', units: 'toàn thành phố', metrics: ['Công dân đủ điều kiện', 'Đã thu nhận mức 2', 'Đã kích hoạt'] });
  });

  it('accepts it with a different priority; the board counts only the higher-priority values, unchanged by the lower ones', async () => {
    const before = await thanhOaiOnTime();
    const { onTime, received } = truth();
    expect(before).toMatchObject({ numerator: onTime, denominator: received });

    expect(await saveSource(db.sql, secondForm({ priority: '50' }), { ...ctx(), existingKey: KEY })).toEqual({ key: KEY });
    expect((await readSourceView(db.sql, KEY))!).toMatchObject({ enabled: true, priority: 50 });
    // At its priority, Thanh Oai is taken: another district is not (the two share no unit).
    const baVi = { id: null, family: 'dossier', priority: 50, enabled: true, metrics: [] };
    expect(await findOverlap(db.sql, { ...baVi, scopeUnitId: await unitId('271') })).toBeNull();
    expect(await findOverlap(db.sql, { ...baVi, scopeUnitId: await unitId('01') })).toMatchObject({ sourceKey: KEY, units: 'Huyện Thanh Oai' });
    const row = (await loadSource(db.sql, (await readSourceView(db.sql, KEY))!.id))!;
    const polled = await pollSource(db.sql, row, { secretKeyHex: world.secretKeyHex, now: NOW, jobs: jobs.boss });
    expect(polled.accepted).toBeGreaterThan(0);
    // Both values are stored ...
    const [stored] = await db.sql<{ lower: number; higher: number }[]>`
      select sum(s.value) filter (where d.key = ${KEY})::float8 as lower, sum(s.value) filter (where d.key = 'motcua')::float8 as higher
      from samples s join data_sources d on d.id = s.source_id join metrics m on m.id = s.metric_id
      join units u on u.id = s.unit_id join units p on p.id = u.parent_id
      where m.key = 'dossier.received' and s.day = ${DAY} and p.gso_code = '278'`;
    expect(stored).toEqual({ lower: 3 * received, higher: received });
    // ... and only the higher-priority one counts: on the board (recomputed by the poll) ...
    expect(await thanhOaiOnTime()).toEqual(before);
    // ... in the drill-down's days ...
    const drill = await readIndicatorDrill(db.sql, '278', 'dossier.on_time', { period: 'day', date: DAY }, NOW);
    expect(drill.days).toEqual([expect.objectContaining({ date: DAY, numerator: onTime, denominator: received })]);
    // ... and in the series.
    const series = await readSeries(db.sql, '278', 'dossier.on_time', DAY, DAY);
    expect(series.points[0]).toMatchObject({ numerator: onTime, denominator: received });
  });

  it('the raw-samples drill-down lists both values, their priorities, and which one counts', async () => {
    const { communes } = truth();
    const commune = communes[0]!;
    const expected = dossierDay(SIM_SEED, commune, DAY, NOW);
    const raw = await readRawSamples(db.sql, commune, 'dossier.on_time', DAY);
    const received = raw.samples.filter((s) => s.metricKey === 'dossier.received');
    expect(received.map((s) => ({ source: s.sourceKey, value: s.value, priority: s.priority, counts: s.counts }))).toEqual([
      { source: 'motcua', value: expected.received, priority: 100, counts: true },
      { source: KEY, value: 3 * expected.received, priority: 50, counts: false }
    ]);
    expect(raw.denominator).toBe(expected.received);
    expect(raw.numerator).toBe(expected.resolvedOnTime + expected.pendingOnTime);
  });

  it('the other way round, the second source wins once it is given the higher priority', async () => {
    const { onTime, received } = truth();
    expect(await saveSource(db.sql, secondForm({ priority: '150' }), { ...ctx(), existingKey: KEY, jobs: jobs.boss })).toEqual({ key: KEY });
    // The new priority queued a recompute of the current boards of every kind (DAY's board, in the past, is recomputed here).
    const queued = await jobs.boss.findJobs<{ period: { kind: string }; cause: string }>(RECOMPUTE_QUEUE, { queued: true });
    expect(queued.filter((j) => j.data.cause === 'priority').map((j) => j.data.period.kind).sort()).toEqual([...BOARD_PERIOD_KINDS].sort());
    await recomputeRankings(db.sql, periodsCovering('day', DAY, DAY));
    expect(await thanhOaiOnTime()).toMatchObject({ numerator: onTime, denominator: 3 * received });
    const raw = await readRawSamples(db.sql, truth().communes[0]!, 'dossier.on_time', DAY);
    expect(raw.samples.filter((s) => s.metricKey === 'dossier.received').map((s) => [s.sourceKey, s.counts])).toEqual([[KEY, true], ['motcua', false]]);
  });

  const unitId = async (code: string) => (await db.sql<{ id: number }[]>`select id from units where gso_code = ${code}`)[0]!.id;
});
