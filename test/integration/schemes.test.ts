/**
 * Two schemes, two sets of boards: after a poll the national 766 progress group has its own boards
 * next to the operations scheme's, its totals are 20 × (Σ resolved on time + Σ pending on time) /
 * Σ received taken straight from the samples, pushes reach each scheme's room only, and an edit of
 * one scheme versions that scheme alone and queues the recompute of its boards, which the real
 * workers run (never the request).
 */
import { boardFeed } from '../../src/lib/state/board-feed.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../../src/lib/contract/dto.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/contract/events.ts';
import { round } from '../../src/lib/domain/ratio.ts';
import { periodOf } from '../../src/lib/domain/periods.ts';
import { NotFoundError, readActiveSchemes, readBoard } from '../../src/lib/server/boards.ts';
import { readKpiHistory } from '../../src/lib/server/kpis.ts';
import { attachRealtime } from '../../src/lib/server/realtime/index.ts';
import { readActiveScheme, readActiveSchemes as readAdminSchemes, saveSchemeVersion, schemeHistory } from '../../src/lib/server/admin/schemes.ts';
import type { Actor } from '../../src/lib/server/admin/users.ts';
import { pollSource } from '#server/pipeline/poll';
import { schemesUsing } from '#server/ranking/rankings';
import { RECOMPUTE_QUEUE } from '#server/jobs/queues';
import { readRecomputeStatus } from '#server/jobs/status';
import { freshDatabase } from '../support/db.ts';
import { demoWorld, sessionCookie, setOverride } from '../support/fixtures.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const V766 = 'national_766_progress';

describe('the national 766 progress scheme next to the operations scheme', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql, { now: () => NOW });
    await world.pollAll(NOW);
  });
  afterAll(async () => {
    await world.simulator.close();
    await db.drop();
  });

  /** Σ of the three dossier metrics per child of `scope` over a period, straight from the samples (not from the ranking code). */
  async function portalSums(scope: string, from: string, to: string) {
    const rows = await db.sql<{ code: string; received: number; resolved_on_time: number; pending_on_time: number }[]>`
      select child.gso_code as code,
             coalesce(sum(s.value) filter (where m.key = 'dossier.received'), 0)::float8 as received,
             coalesce(sum(s.value) filter (where m.key = 'dossier.resolved_on_time'), 0)::float8 as resolved_on_time,
             coalesce(sum(s.value) filter (where m.key = 'dossier.pending_on_time'), 0)::float8 as pending_on_time
      from units parent
      join units child on child.parent_id = parent.id and child.valid_to is null
      join unit_closure c on c.ancestor_id = child.id -- the child and every unit below it, at any depth
      join samples s on s.unit_id = c.descendant_id and s.day between ${from}::date and ${to}::date
      join metrics m on m.id = s.metric_id and m.key in ('dossier.received', 'dossier.resolved_on_time', 'dossier.pending_on_time')
      where parent.gso_code = ${scope}
      group by child.gso_code`;
    return new Map(rows.map((r) => [r.code, r]));
  }

  it('stores a 766 board for the city and for a district, 20 × (resolved + pending on time) / received from the samples', async () => {
    for (const [scope, kind] of [['01', 'month'], ['278', 'month'], ['01', 'day'], ['278', 'week']] as const) {
      const board = await readBoard(db.sql, { scope, period: kind, date: '2026-11-19', scheme: V766 }, NOW);
      const period = periodOf(kind, '2026-11-19');
      expect(board.scheme).toEqual({ key: V766, nameVi: 'Chỉ số 766 — tiến độ giải quyết (số liệu của thành phố)' });
      expect(board.indicators.map((i) => [i.key, i.maxPoints, i.saturation])).toEqual([['dossier.on_time', 20, 1]]);
      expect(board.bands).toEqual([
        { name: 'Xuất sắc', min: 18 }, { name: 'Tốt', min: 16 }, { name: 'Khá', min: 13 }, { name: 'Trung bình', min: 10 }, { name: 'Yếu', min: 0 }
      ]);
      const sums = await portalSums(scope, period.start, period.end);
      expect(board.rows.length).toBeGreaterThan(0);
      expect(sums.size).toBe(board.rows.length);
      for (const row of board.rows) {
        const s = sums.get(row.unitCode)!;
        expect(s.received, `${scope} ${kind} ${row.unitCode} received`).toBeGreaterThan(0);
        const expected = round((20 * (s.resolved_on_time + s.pending_on_time)) / s.received, 2);
        expect(row.total, `${scope} ${kind} ${row.unitCode}`).toBe(expected);
        expect(row.indicators['dossier.on_time']).toMatchObject({
          numerator: s.resolved_on_time + s.pending_on_time, denominator: s.received, points: expected
        });
        expect(row.total!).toBeLessThanOrEqual(20);
        expect(row.rank).toBe(board.rows.filter((r) => r.total! > row.total!).length + 1);
      }
      // The 766 total is the operations scheme's on-time points: the same ratio, the same 20 points.
      const ops = await readBoard(db.sql, { scope, period: kind, date: '2026-11-19' }, NOW);
      for (const row of board.rows) {
        expect(row.total).toBe(ops.rows.find((r) => r.unitCode === row.unitCode)!.indicators['dossier.on_time']!.points);
      }
    }
  });

  it('keeps the operations boards as they were: eight indicators, 100 points, one row per unit and board', async () => {
    const board = await readBoard(db.sql, { scope: '01', period: 'month', date: '2026-11-19' }, NOW);
    expect(board.scheme).toEqual({ key: 'operations', nameVi: 'Bộ chỉ số điều hành' });
    expect(board.indicators).toHaveLength(8);
    expect(board.indicators.reduce((s, i) => s + i.maxPoints, 0)).toBe(100);
    expect(board.bands.map((b) => b.min)).toEqual([90, 80, 65, 50, 0]);
    expect(board.rows).toHaveLength(30);
    expect(board.rows.filter((r) => r.rank !== null)).toHaveLength(30);
    // Stored: one row per (scheme, scope, period, unit), each scheme with its own version.
    const stored = await db.sql<{ scheme_key: string; rows: number; versions: number; indicator_keys: number }[]>`
      select r.scheme_key, count(*)::int as rows, count(distinct r.scheme_id)::int as versions,
             max((select count(*) from jsonb_object_keys(r.indicators)))::int as indicator_keys
      from rankings r join units s on s.id = r.scope_unit_id
      where s.gso_code = '01' and r.period_kind = 'month' and r.period_start = '2026-11-01'
      group by r.scheme_key order by r.scheme_key`;
    expect(stored).toEqual([
      { scheme_key: V766, rows: 30, versions: 1, indicator_keys: 1 },
      { scheme_key: 'operations', rows: 30, versions: 1, indicator_keys: 8 }
    ]);
    // The previous rank compares within the scheme.
    const day18 = await readBoard(db.sql, { scope: '01', period: 'day', date: '2026-11-18', scheme: V766 }, NOW);
    const day19 = await readBoard(db.sql, { scope: '01', period: 'day', date: '2026-11-19', scheme: V766 }, NOW);
    const rank18 = new Map(day18.rows.map((r) => [r.unitCode, r.rank]));
    for (const row of day19.rows) expect(row.previousRank).toBe(rank18.get(row.unitCode));
  });

  it('says which scheme is unknown, and lists both schemes as active', async () => {
    await expect(readBoard(db.sql, { scope: '01', period: 'month', date: '2026-11-19', scheme: 'no_such' }, NOW)).rejects.toThrow(NotFoundError);
    await expect(readBoard(db.sql, { scope: '01', period: 'month', date: '2026-11-19', scheme: 'no_such' }, NOW)).rejects.toThrow(
      /^scheme: no active indicator scheme "no_such" \(known: operations, national_766, national_766_progress\)/
    );
    expect((await readActiveSchemes(db.sql)).map((s) => s.key)).toEqual(['operations', 'national_766', V766]);
  });

  it('reads the KPI history from the operations boards only', async () => {
    const history = await readKpiHistory(db.sql, { scope: '01', period: 'day', date: '2026-11-20', scheme: V766 }, 2);
    expect(history.map((h) => h.start)).toEqual(['2026-11-18', '2026-11-19']);
    const day19 = history[1]!.totals;
    expect(Object.keys(day19)).toHaveLength(8);
    const ops = await readBoard(db.sql, { scope: '01', period: 'day', date: '2026-11-19' }, NOW);
    const denominator = ops.rows.reduce((s, r) => s + r.indicators['dossier.on_time']!.denominator!, 0);
    expect(day19['dossier.on_time']!.denominator).toBe(denominator); // not twice: the 766 rows are not added in
  });

  describe('live pushes per scheme', () => {
    let http: Server;
    let realtime: Awaited<ReturnType<typeof attachRealtime>>;
    let client: Socket<ServerToClientEvents, ClientToServerEvents>;
    beforeAll(async () => {
      http = createServer();
      realtime = await attachRealtime(http, db.sql);
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const cookie = await sessionCookie(db.sql, { username: 'leader', role: 'leader' });
      client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], extraHeaders: { cookie } });
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    });
    afterAll(async () => {
      client.disconnect();
      await realtime.close();
      http.close();
    });

    it('answers a 766 subscription with the 766 board and pushes it after a poll, in its own room', async () => {
      const feed = boardFeed(client);
      const ack = await feed.subscribe({ scope: '01', period: 'month', date: '2026-11-20', scheme: V766 });
      if (!('data' in ack)) throw new Error(ack.error);
      expect(ack.data.scheme.key).toBe(V766);
      const before = ack.data.rows.find((r) => r.unitCode === '001')!;
      const bad = await feed.subscribe({ scope: '01', period: 'month', date: '2026-11-20', scheme: 'Nope!' });
      expect(bad).toEqual({ error: expect.stringMatching(/invalid subscription: scheme must be a scheme key/) });

      await setOverride(world.simulatorUrl, { unitCode: '00001', date: '2026-11-20', receivedDelta: 3000, onTimeRate: 0 });
      const pushed: Board[] = [];
      let off = () => {};
      const first = new Promise<void>((resolve) => (off = feed.on((b) => { pushed.push(b); resolve(); })));
      const outcome = await pollSource(db.sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW });
      expect(outcome.changed).toBeGreaterThan(0);
      await first;
      await new Promise((r) => setTimeout(r, 500)); // anything else of the same burst
      off();
      // Only the subscribed scheme's board: this client never joined the operations room.
      expect(pushed.map((b) => [b.scheme.key, b.period.kind, b.scope.code])).toEqual([[V766, 'month', '01']]);
      const after = pushed[0]!.rows.find((r) => r.unitCode === '001')!;
      expect(after.indicators['dossier.on_time']!.denominator).toBe(before.indicators['dossier.on_time']!.denominator! + 3000);
      expect(after.total!).toBeLessThan(before.total!);
    });
  });

  describe('administration of two schemes', () => {
    let admin: Actor;
    let jobs: TestJobs;
    beforeAll(async () => {
      jobs = await testJobs(db, 'pgboss_schemes');
      const [row] = await db.sql<{ id: number }[]>`
        insert into users (username, display_name, password_hash, role) values ('root-admin', 'Quản trị gốc', 'not-a-hash', 'admin') returning id`;
      admin = {
        kind: 'user', sessionId: 'test-session',
        user: { id: row!.id, username: 'root-admin', displayName: 'Quản trị gốc', role: 'admin', unitCode: null, unitName: null }
      };
    });

    afterAll(async () => {
      await jobs?.stop();
    });

    it('lists both schemes, and an edit of the 766 scheme makes its version 2 alone and queues the recompute of its boards alone, which a worker runs', async () => {
      expect((await readAdminSchemes(db.sql)).map((s) => [s.key, s.version, s.indicators.length])).toEqual([['operations', 1, 8], ['national_766', 1, 19], [V766, 1, 1]]);
      const ops = (await readActiveScheme(db.sql))!;
      const v1 = (await readActiveScheme(db.sql, V766))!;
      const schemeIds = async () =>
        Object.fromEntries((await db.sql<{ scheme_key: string; ids: number[] }[]>`
          select scheme_key, array_agg(distinct scheme_id order by scheme_id) as ids from rankings
          where period_kind = 'month' and period_start = '2026-11-01' group by scheme_key`).map((r) => [r.scheme_key, r.ids]));
      expect(await schemeIds()).toEqual({ operations: [ops.id], [V766]: [v1.id] });
      const opsComputedAt = await db.sql`select computed_at from rankings where scheme_key = 'operations' order by 1 desc limit 1`;

      // A band above the scheme's 20 points could never be reached: refused, naming the row.
      const high = await saveSchemeVersion(db.sql, {
        scheme: V766, baseSchemeId: v1.id, indicators: {}, bands: [{ name: 'Xuất sắc', min: 90 }, { name: 'Yếu', min: 0 }], note: 'x'
      }, admin, { now: NOW, jobs: jobs.boss });
      expect(high.ok === false && high.errors).toEqual({ 'bands.0.min': expect.stringMatching(/cao hơn tổng điểm tối đa .*\(20\)/) });
      // The operations form's version is not a base for the 766 scheme.
      const crossed = await saveSchemeVersion(db.sql, { scheme: V766, baseSchemeId: ops.id, indicators: {}, bands: v1.bands, note: 'x' }, admin, { now: NOW, jobs: jobs.boss });
      expect(crossed.ok === false && crossed.errors.form).toMatch(/Tải lại/);
      const unknown = await saveSchemeVersion(db.sql, { scheme: 'no_such', indicators: {}, bands: v1.bands, note: 'x' }, admin, { now: NOW, jobs: jobs.boss });
      expect(unknown.ok === false && Object.keys(unknown.errors)).toEqual(['scheme']);

      const bands = [{ name: 'Đạt', min: 15 }, { name: 'Chưa đạt', min: 0 }];
      // Nothing refused queued anything.
      expect(await jobs.boss.findJobs(RECOMPUTE_QUEUE)).toHaveLength(0);

      const saved = await saveSchemeVersion(db.sql, { scheme: V766, baseSchemeId: v1.id, indicators: {}, bands, note: 'Hai mức theo hướng dẫn của tỉnh' }, admin, { now: NOW, jobs: jobs.boss });
      expect(saved.ok, JSON.stringify(saved)).toBe(true);
      if (!saved.ok) return;
      expect(saved.scheme).toMatchObject({ key: V766, version: 2 });
      expect((await schemeHistory(db.sql, V766)).map((s) => [s.version, s.active])).toEqual([[2, true], [1, false]]);
      expect((await schemeHistory(db.sql, 'operations')).map((s) => [s.version, s.active])).toEqual([[1, true]]);
      // The request only queued the recompute: one job per current period, for the 766 scheme alone,
      // and its boards are still those of version 1 until a worker runs them.
      const queued = await jobs.boss.findJobs<{ period: { kind: string; start: string }; schemes: string[]; cause: string; batch: string }>(RECOMPUTE_QUEUE);
      expect(queued.map((j) => `${j.data.period.kind}:${j.data.period.start}`).sort()).toEqual(saved.recompute.periods.map((p) => `${p.kind}:${p.start}`).sort());
      expect(queued).toHaveLength(8);
      for (const job of queued) expect(job.data).toMatchObject({ schemes: [V766], cause: 'scheme', batch: saved.recompute.batch });
      expect(await readRecomputeStatus(jobs.boss, saved.recompute.batch)).toMatchObject({ kind: 'recompute', state: 'queued', done: 0, total: 8, error: null });
      expect(await schemeIds()).toEqual({ operations: [ops.id], [V766]: [v1.id] });

      await jobs.work({ secretKeyHex: world.secretKeyHex });
      expect(await jobs.batch(saved.recompute.batch)).toBe(8);
      expect(await readRecomputeStatus(jobs.boss, saved.recompute.batch)).toMatchObject({ state: 'done', done: 8, total: 8, error: null, finishedAt: expect.any(String) });
      expect(await schemeIds()).toEqual({ operations: [ops.id], [V766]: [saved.scheme.id] });
      // The operations boards were not recomputed.
      expect(await db.sql`select computed_at from rankings where scheme_key = 'operations' order by 1 desc limit 1`).toEqual(opsComputedAt);
      const board = await readBoard(db.sql, { scope: '01', period: 'month', date: '2026-11-20', scheme: V766 }, NOW);
      expect(board.bands).toEqual(bands);
      expect(board.rows.every((r) => r.band === (r.total! >= 15 ? 'Đạt' : 'Chưa đạt'))).toBe(true);
    });
  });

  it('a poll recomputes only the schemes that score a metric it changed', async () => {
    const ids = async (...keys: string[]) => (await db.sql<{ id: number }[]>`select id from metrics where key = any(${db.sql.array(keys)}::text[])`).map((r) => r.id);
    expect(await schemesUsing(db.sql, await ids('dossier.received'))).toEqual([V766, 'operations']);
    expect(await schemesUsing(db.sql, await ids('eid.activated'))).toEqual(['operations']);
    expect(await schemesUsing(db.sql, [])).toEqual([]);
  });
});
