import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board, SourceHealth } from '../../src/lib/contract/dto.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/contract/events.ts';
import type { BoardPatch } from '../../src/lib/contract/board-patch.ts';
import { attachRealtime } from '../../src/lib/server/realtime/index.ts';
import { readBoard } from '../../src/lib/server/boards.ts';
import { boardFeed } from '../../src/lib/state/board-feed.ts';
import { pollSource } from '#server/pipeline/poll';
import { deleteTarget, saveTarget } from '#server/admin/targets';
import { freshDatabase } from '../support/db.ts';
import { clearFaults, demoWorld, sessionCookie, setFault, setOverride } from '../support/fixtures.ts';

const NOW = new Date('2026-11-20T12:00:00Z');

describe('live boards over Socket.IO (real server, real client, NOTIFY from the poll)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let http: Server;
  let realtime: Awaited<ReturnType<typeof attachRealtime>>;
  let client: Socket<ServerToClientEvents, ClientToServerEvents>;
  let leaderCookie: string;

  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql, { now: () => NOW });
    await world.pollAll(NOW);
    http = createServer();
    realtime = await attachRealtime(http, db.sql);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const cookie = (leaderCookie = await sessionCookie(db.sql, { username: 'leader', role: 'leader' }));
    client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], extraHeaders: { cookie } });
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  });
  afterAll(async () => {
    client.disconnect();
    await realtime.close();
    http.close();
    await world.simulator.close();
    await db.drop();
  });

  it('answers a subscription with the snapshot, then pushes what the poll changed as a patch onto it', async () => {
    const query = { scope: '01', period: 'month' as const, date: '2026-11-20' };
    const feed = boardFeed(client);
    const ack = await feed.subscribe(query);
    if (!('data' in ack)) throw new Error(ack.error);
    const before = ack.data.rows.find((r) => r.unitCode === '001')!;
    expect(ack.data.rows).toHaveLength(30);
    expect(ack.data.rev).toMatch(/^[0-9a-f]{8}\.\d+$/);

    // A correction at the source: 2,000 late dossiers, none on time, in a commune of Ba Đình (001).
    await setOverride(world.simulatorUrl, { unitCode: '00001', date: '2026-11-20', receivedDelta: 2000, onTimeRate: 0 });
    const patched = new Promise<BoardPatch>((resolve) => client.once('rankings:patched', resolve));
    const pushed = new Promise<Board>((resolve) => {
      const off = feed.on((b) => {
        off();
        resolve(b);
      });
    });
    const outcome = await pollSource(db.sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW });
    expect(outcome.changed).toBeGreaterThan(0);
    const [patch, board] = await Promise.all([patched, pushed]);

    // On the wire: the rows that changed, onto the revision the subscriber holds; not the board.
    expect(patch.base).toBe(ack.data.rev);
    expect(patch.rows.map((r) => r.unitCode)).toContain('001');
    expect(patch.rows.length).toBeLessThan(30);
    expect(JSON.stringify(patch).length).toBeLessThan(JSON.stringify(board).length);
    // Put together, the whole board as a fresh read gives it.
    const after = board.rows.find((r) => r.unitCode === '001')!;
    expect(after.indicators['dossier.on_time']!.denominator).toBe(before.indicators['dossier.on_time']!.denominator! + 2000);
    expect(after.indicators['dossier.on_time']!.ratio!).toBeLessThan(before.indicators['dossier.on_time']!.ratio!);
    expect(after.rank!).toBeGreaterThan(before.rank!);
    const { rev, ...fresh } = board;
    expect(rev).toBe(patch.rev);
    expect(fresh).toEqual({ ...(await readBoard(db.sql, query)), computedAt: fresh.computedAt, asOf: fresh.asOf });

    // A second subscriber gets the board kept for the room, at the same revision, read from nowhere.
    const second = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], extraHeaders: { cookie: leaderCookie } });
    try {
      const again = await boardFeed(second).subscribe(query);
      if (!('data' in again)) throw new Error(again.error);
      expect(again.data.rev).toBe(patch.rev);
      expect(again.data.rows).toEqual(board.rows);
    } finally {
      second.disconnect();
    }
  });

  it('refuses a bad subscription in words', async () => {
    const ack = await client.emitWithAck('subscribe', { scope: 'x y', period: 'century', date: 'soon' } as never);
    expect(ack).toEqual({ error: expect.stringMatching(/invalid subscription: scope .*unit code/) });
    const missing = await client.emitWithAck('subscribe', { scope: '99999', period: 'day', date: '2026-11-20' });
    expect(missing).toEqual({ error: 'no unit with code 99999' });
    // A date that matches the pattern but does not exist: an error in words, and the server lives on.
    expect(await client.emitWithAck('unsubscribe', { scope: '01', period: 'day', date: '2026-02-30' })).toEqual({
      error: expect.stringMatching(/not a date.*2026-02-30/)
    });
    expect(await client.emitWithAck('subscribe', { scope: '01', period: 'day', date: '2026-02-30' })).toEqual({
      error: expect.stringMatching(/not a date.*2026-02-30/)
    });
    const ok = await client.emitWithAck('subscribe', { scope: '01', period: 'day', date: '2026-11-19' });
    expect('data' in ok && ok.data.rows.length).toBe(30);
  });

  it('sends the sources\' health on watchSources, then pushes it when a poll changes it', async () => {
    // The test world polls every second, so its sources go stale after 4 s; on a loaded machine this
    // test can take longer than that, and "stale" outranks "failing". Give it an hour.
    await db.sql`update data_sources set stale_after_seconds = 3600 where key = 'vneid'`;
    const ack = await client.emitWithAck('watchSources');
    if (!('data' in ack)) throw new Error(ack.error);
    expect(ack.data.map((s) => s.key)).toEqual(['motcua', 'vneid', 'ansinh', 'qlvb', 'tai-len-hoso']);
    expect(ack.data.find((s) => s.key === 'vneid')!.lastOutcome).toBe('success');
    const pushed = new Promise<SourceHealth[]>((resolve) => client.on('source:health-changed', (list) => {
      if (list.find((s) => s.key === 'vneid')!.lastOutcome === 'failed') resolve(list);
    }));
    await setFault(world.simulatorUrl, { system: 'eid', fault: 'http_5xx' });
    try {
      await pollSource(db.sql, world.sources.vneid!, { secretKeyHex: world.secretKeyHex, now: NOW, retry: { attempts: 1, baseDelayMs: 0 } });
    } finally {
      await clearFaults(world.simulatorUrl);
    }
    const vneid = (await pushed).find((s) => s.key === 'vneid')!;
    expect(vneid).toMatchObject({ status: 'failing', consecutiveFailures: 1, lastError: expect.stringMatching(/^HTTP 503 từ nguồn/) });
  });
  it('pushes a saved, changed or deleted target to the open boards as a patch (no poll needed)', async () => {
    const query = { scope: '01', period: 'month' as const, date: '2026-11-20' };
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], extraHeaders: { cookie: leaderCookie } });
    const admin = { kind: 'system', name: 'test-admin' } as const;
    try {
      const feed = boardFeed(socket);
      const ack = await feed.subscribe(query);
      if (!('data' in ack)) throw new Error(ack.error);
      expect(ack.data.targets).toBeUndefined();
      const next = () =>
        Promise.all([
          new Promise<BoardPatch>((resolve) => socket.once('rankings:patched', resolve)),
          new Promise<Board>((resolve) => {
            const off = feed.on((b) => {
              off();
              resolve(b);
            });
          })
        ]);
      const fresh = async () => readBoard(db.sql, query);
      const same = (b: Board, f: Board) => {
        const { rev: _rev, ...rest } = b;
        expect(rest).toEqual({ ...f, computedAt: rest.computedAt, asOf: rest.asOf });
      };

      // The city's 95 % on time for every period (the screen, the spreadsheet and the API all save through saveTarget).
      let arrived = next();
      const city = await saveTarget(db.sql, { indicatorKey: 'dossier.on_time', scopeCode: '', percent: '95' }, admin);
      if (!city.ok) throw new Error(JSON.stringify(city.errors));
      let [patch, board] = await arrived;
      expect(patch.set.targets).toMatchObject({ scope: { 'dossier.on_time': 0.95 } });
      expect(patch.rows.length).toBeGreaterThan(0);
      expect(board.rows.every((r) => r.indicators['dossier.on_time']!.target === 0.95)).toBe(true);
      same(board, await fresh());

      // Ba Đình's own for this very month (its row on the city's board): pushed to the board where it is a row.
      arrived = next();
      expect((await saveTarget(db.sql, { indicatorKey: 'dossier.on_time', scopeCode: '001', periodKind: 'month', periodDate: '20/11/2026', percent: '10' }, admin)).ok).toBe(true);
      [patch, board] = await arrived;
      expect(patch.rows.map((r) => r.unitCode)).toEqual(['001']);
      expect(board.rows.find((r) => r.unitCode === '001')!.indicators['dossier.on_time']).toMatchObject({ target: 0.1, belowTarget: false });
      same(board, await fresh());

      // Changed and deleted: the board follows each.
      arrived = next();
      expect((await saveTarget(db.sql, { id: String(city.id), indicatorKey: 'dossier.on_time', scopeCode: '', percent: '60' }, admin)).ok).toBe(true);
      [, board] = await arrived;
      expect(board.rows.find((r) => r.unitCode !== '001')!.indicators['dossier.on_time']!.target).toBe(0.6);
      same(board, await fresh());
      await db.sql`delete from targets where unit_id is not null`;
      arrived = next();
      expect((await deleteTarget(db.sql, city.id, admin)).ok).toBe(true);
      [patch, board] = await arrived;
      expect(patch.set.targets).toBeNull();
      expect(board.targets ?? undefined).toBeUndefined();
      expect(board.rows[0]!.indicators['dossier.on_time']).not.toHaveProperty('target');
    } finally {
      socket.disconnect();
    }
  });
});
