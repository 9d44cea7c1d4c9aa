/** Socket.IO checks who connects, what each may subscribe to, and drops revoked sessions and tokens. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/contract/events.ts';
import { newToken, sha256 } from '../../src/lib/server/auth/crypto.ts';
import { revokeSession } from '../../src/lib/server/auth/sessions.ts';
import { signOutEverywhere } from '../../src/lib/server/auth/revoke.ts';
import { attachRealtime } from '../../src/lib/server/realtime/index.ts';
import { freshDatabase } from '../support/db.ts';
import { demoWorld, sessionCookie } from '../support/fixtures.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('who may use the live connection', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let http: Server;
  let realtime: Awaited<ReturnType<typeof attachRealtime>>;
  let url: string;
  const clients: Client[] = [];
  const open = (options: Parameters<typeof connect>[1]) => {
    const c = connect(url, { transports: ['websocket'], reconnection: false, ...options }) as Client;
    clients.push(c);
    return c;
  };
  const connected = (c: Client) =>
    new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('connect_error', (e) => reject(e));
    });

  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql, { now: () => NOW });
    await world.pollAll(NOW);
    http = createServer();
    realtime = await attachRealtime(http, db.sql);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await realtime.close();
    http.close();
    await world.simulator.close();
    await db.drop();
  });

  it('refuses a connection without a session or token, in words', async () => {
    await expect(connected(open({}))).rejects.toThrow('Cần đăng nhập.');
    await expect(connected(open({ extraHeaders: { cookie: 'cityops_session=forged' } }))).rejects.toThrow('Cần đăng nhập.');
    await expect(connected(open({ auth: { displayToken: 'forged' } }))).rejects.toThrow('Cần đăng nhập.');
  });

  it('lets a display token read only its scope, and drops it when revoked', async () => {
    const token = newToken();
    const [row] = await db.sql<{ id: number }[]>`
      insert into display_tokens (name, token_hash, scope_unit_id, playlist)
      select 'Thanh Oai wall', ${sha256(token)}, id, '{"scenes":["board"],"dwellSeconds":30}'::jsonb from units where gso_code = '278'
      returning id`;
    const c = open({ auth: { displayToken: token } });
    await connected(c);
    const own = await c.emitWithAck('subscribe', { scope: '278', period: 'month', date: '2026-11-20' });
    expect('data' in own && own.data.rows.length).toBe(world.units.filter((u) => u.parentGsoCode === '278').length);
    expect(await c.emitWithAck('subscribe', { scope: '01', period: 'month', date: '2026-11-20' })).toEqual({ error: 'not allowed to read the board of 01' });

    const dropped = new Promise<string>((resolve) => c.once('disconnect', (reason) => resolve(reason)));
    await db.sql`update display_tokens set revoked_at = now() where id = ${row!.id}`;
    await signOutEverywhere(db.sql, { displayTokenId: row!.id });
    expect(await dropped).toBe('io server disconnect');
    await expect(connected(open({ auth: { displayToken: token } }))).rejects.toThrow('Cần đăng nhập.');
  });

  it('drops a signed-out session, and a leader reads every board', async () => {
    const cookie = await sessionCookie(db.sql, { username: 'leader-x', role: 'leader' });
    const c = open({ extraHeaders: { cookie } });
    await connected(c);
    const city = await c.emitWithAck('subscribe', { scope: '01', period: 'month', date: '2026-11-20' });
    expect('data' in city && city.data.rows.length).toBe(30);
    const dropped = new Promise<string>((resolve) => c.once('disconnect', (reason) => resolve(reason)));
    const [session] = await db.sql<{ id: string }[]>`select s.id from sessions s join users u on u.id = s.user_id where u.username = 'leader-x'`;
    await revokeSession(db.sql, session!.id);
    await signOutEverywhere(db.sql, { sessionId: session!.id });
    expect(await dropped).toBe('io server disconnect');
    await expect(connected(open({ extraHeaders: { cookie } }))).rejects.toThrow('Cần đăng nhập.');
  });
});
