/**
 * Socket.IO on the web server's own HTTP server. Browsers subscribe to boards (one room per scheme,
 * scope and period); the workers' NOTIFY (ids only) tells which boards changed; each is read once
 * per burst and sent to its room as a patch onto the last board this node sent it
 * (#contract/board-patch); a subscriber is answered from that board.
 *
 * When the database goes away, every socket is disconnected (the screens show their connection
 * lost, and the wall its banner over the last data), and a socket that connects meanwhile waits in
 * the sign-in check until the database is back (Socket.IO drops a handshake after 45 s; the client
 * then tries again by itself). Once back, the clients connect, subscribe again and get fresh
 * snapshots; the LISTEN connection is re-established (../listen.ts) and every watched board re-read.
 */
import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { parse as parseCookie } from 'cookie';
import { inArray } from 'drizzle-orm';
import { orm, type Sql } from '#db/client';
import { units } from '#db/schema/index';
import { boardQuerySchema, type Board, type BoardQuery } from '#contract/dto';
import { diffBoard, isOlderBoard } from '#contract/board-patch';
import { boardRoom, SOURCES_ROOM, type ClientToServerEvents, type ServerToClientEvents } from '#contract/events';
import { ALERTS_CHANNEL, alertsChangedSchema, AUTH_CHANNEL, authRevokedSchema, RANKINGS_CHANNEL, rankingsChangedSchema, SOURCES_CHANNEL, TARGETS_CHANNEL, targetsChangedSchema, type RankingsChanged, type TargetsChanged } from '#contract/notify';
import type { Principal } from '../auth/principal.ts';
import { canReadBoard } from '../auth/access.ts';
import { principalOf } from '../auth/request.ts';
import { displayRoom, sessionRoom, userRoom } from '../auth/revoke.ts';
import { readSourceHealth } from '../sources.ts';
import { unreadCount } from '../alerts/read.ts';
import { isProvisional, periodOf } from '#domain/periods';
import { NotFoundError, readBoard } from '../boards.ts';
import { durableListener } from '../listen.ts';
import { databaseOutage, type DatabaseOutage } from '../outage.ts';
import { logger } from '../log.ts';

const log = logger('realtime');

/** Kept per socket: who it is (set by the sign-in check below; never sent to the browser). */
export interface SocketData {
  principal: Principal;
}
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** After the LISTEN connection came back: re-read every watched board this long after. */
const COALESCE_MS = 200;
/** Staleness and deadlines change with time alone: the sources' health is re-read this often too. */
const HEALTH_RECHECK_MS = 5_000;

/** Said to a socket whose command met the database gone. */
export const DATA_STORE_UNAVAILABLE = 'Kho dữ liệu tạm thời không truy cập được — hệ thống đang tự khôi phục.';

function messageOf(e: unknown, outage: DatabaseOutage): string {
  if (e instanceof NotFoundError) return e.message;
  if (e instanceof Error && e.message.startsWith('not a date')) return e.message;
  if (outage.fail('socket command', e)) return DATA_STORE_UNAVAILABLE;
  log.error({ err: e }, 'socket command failed');
  return 'the server could not read that board; try again';
}

export async function attachRealtime(httpServer: HttpServer, sql: Sql, options: { release?: string; outage?: DatabaseOutage } = {}) {
  const outage = options.outage ?? databaseOutage((line) => log.warn(line));
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false }
  });
  /** room → the query that reads it */
  const roomQueries = new Map<string, BoardQuery & { start: string; scheme: string }>();
  /**
   * room → the last board sent to it (with its revision), while the room has members: a change is
   * sent as a patch onto it, and a new subscriber gets it without reading the database.
   */
  const lastBoards = new Map<string, Board>();
  const node = randomBytes(4).toString('hex');
  let revs = 0;
  const nextRev = () => `${node}.${++revs}`;
  io.of('/').adapter.on('delete-room', (room: string) => lastBoards.delete(room));
  /** Keeps `board` as the room's newest (a new revision) unless the one kept is as new; answers the one kept. */
  const keep = (room: string, board: Board): Board => {
    const kept = lastBoards.get(room);
    if (kept && !isOlderBoard(board, kept)) return kept;
    if (!io.of('/').adapter.rooms.has(room)) return board;
    const entry = { ...board, rev: nextRev() };
    lastBoards.set(room, entry);
    return entry;
  };

  // Who is connecting: the session cookie, or a wall screen's display token. This also runs on
  // recovered connections (skipMiddlewares: false), so a revoked session cannot sneak back in.
  io.use(async (socket, next) => {
    try {
      const cookies = parseCookie(socket.handshake.headers.cookie ?? '');
      const auth = socket.handshake.auth as { displayToken?: unknown };
      const bearer = typeof auth?.displayToken === 'string' ? `Bearer ${auth.displayToken}` : null;
      // While the database is away nobody can be recognised: wait for it rather than refuse (a
      // refusal would stop the client trying), and check once it is back.
      let principal: Principal | undefined;
      while (!principal) {
        await outage.whenUp();
        if (socket.conn.readyState === 'closed') return; // the client gave up meanwhile
        try {
          principal = await principalOf(sql, { get: (name) => cookies[name] }, bearer);
        } catch (e) {
          if (!outage.fail('socket sign-in check', e)) throw e;
        }
      }
      if (principal.kind === 'anonymous') return next(new Error('Cần đăng nhập.'));
      socket.data.principal = principal;
      next();
    } catch (e) {
      log.error({ err: e }, 'socket sign-in check failed');
      next(new Error('the server could not check the sign-in; try again'));
    }
  });

  io.on('connection', (socket) => {
    const principal = socket.data.principal;
    if (principal.kind === 'user') void socket.join([sessionRoom(principal.sessionId), userRoom(principal.user.id)]);
    if (principal.kind === 'display') void socket.join(displayRoom(principal.tokenId));
    if (options.release) socket.emit('server:hello', { release: options.release });
    socket.on('subscribe', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = boardQuerySchema.safeParse(raw);
      if (!parsed.success) return ack({ error: `invalid subscription: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
      if (!(await canReadBoard(sql, principal, parsed.data.scope).catch(() => false))) return ack({ error: `not allowed to read the board of ${parsed.data.scope}` });
      try {
        // Join first, then read: a change announced in between reaches this socket as an update.
        const period = periodOf(parsed.data.period, parsed.data.date);
        const room = boardRoom(parsed.data.scope, period.kind, period.start, parsed.data.scheme, parsed.data.basis);
        await socket.join(room);
        try {
          const kept = lastBoards.get(room);
          if (kept) return ack({ data: { ...kept, period: { ...kept.period, provisional: isProvisional(period, new Date()) } } });
          const board = await readBoard(sql, parsed.data);
          roomQueries.set(room, { ...parsed.data, start: period.start });
          ack({ data: keep(room, board) });
        } catch (e) {
          await socket.leave(room);
          throw e;
        }
      } catch (e) {
        ack({ error: messageOf(e, outage) });
      }
    });
    socket.on('watchSources', async (ack) => {
      if (typeof ack !== 'function') return;
      try {
        await socket.join(SOURCES_ROOM);
        ack({ data: await readSourceHealth(sql) });
      } catch (e) {
        ack({ error: messageOf(e, outage) });
      }
    });
    // The bell's count (after a reconnect the page asks again); a person's own, from their user room's events otherwise.
    socket.on('alerts:unread', async (ack) => {
      if (typeof ack !== 'function') return;
      if (principal.kind !== 'user') return ack({ error: 'only a signed-in person has alerts' });
      try {
        ack({ data: { unread: await unreadCount(sql, principal.user.id) } });
      } catch (e) {
        ack({ error: messageOf(e, outage) });
      }
    });
    socket.on('unsubscribe', async (raw, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      try {
        const parsed = boardQuerySchema.safeParse(raw);
        if (!parsed.success) return reply({ error: `invalid subscription: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
        const p = periodOf(parsed.data.period, parsed.data.date);
        await socket.leave(boardRoom(parsed.data.scope, p.kind, p.start, parsed.data.scheme, parsed.data.basis));
        reply({ data: true });
      } catch (e) {
        reply({ error: messageOf(e, outage) });
      }
    });
  });

  // Collect changed (scopeId, period, scheme) boards; read each once and send what changed. The
  // first NOTIFY is handled at once; those that come while a flush runs wait for the next one.
  let pending: RankingsChanged[] = [];
  /** Targets saved or deleted (TARGETS_CHANNEL): the watched boards they may change are read again in the same flush. */
  let pendingTargets: TargetsChanged[] = [];
  let flushing: Promise<void> | undefined;
  const scopeCodes = new Map<number, string>();
  const scheduleFlush = () => {
    flushing ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(flush)
      .catch((err) => {
        if (!outage.fail('board push', err)) log.error({ err }, 'board push failed');
      })
      .finally(() => {
        flushing = undefined;
        if (pending.length || pendingTargets.length) scheduleFlush();
      });
  };

  /** Sends `board` to its room: a patch onto the room's last board, or whole when there is none. */
  function send(room: string, board: Board) {
    const kept = lastBoards.get(room);
    if (!kept) {
      io.to(room).emit('rankings:updated', keep(room, board));
      return;
    }
    if (isOlderBoard(kept, board)) return; // a read that started before a newer one was sent
    const changes = diffBoard(kept, board);
    if (!changes) return;
    const rev = nextRev();
    lastBoards.set(room, { ...board, rev });
    io.to(room).emit('rankings:patched', { room, base: kept.rev!, rev, ...changes });
  }

  async function flush() {
    const batch = pending;
    pending = [];
    const targetBatch = pendingTargets;
    pendingTargets = [];
    const changed = new Set<string>();
    const needCodes = [...batch.flatMap((b) => b.scopeIds), ...targetBatch.flatMap((t) => t.scopeIds ?? [])].filter((id) => !scopeCodes.has(id));
    if (needCodes.length) {
      const rows = await orm(sql).select({ id: units.id, code: units.gsoCode }).from(units).where(inArray(units.id, [...new Set(needCodes)]));
      for (const r of rows) scopeCodes.set(r.id, r.code);
    }
    // A NOTIFY names no scheme when every scheme was recomputed (a poll): then every subscribed scheme's room.
    const subscribedSchemes = [...new Set([...roomQueries.values()].map((q) => q.scheme))];
    for (const b of batch) {
      for (const scheme of b.schemes ?? subscribedSchemes) {
        for (const id of b.scopeIds) {
          for (const p of b.periods) {
            changed.add(boardRoom(scopeCodes.get(id) ?? '', p.kind, p.start, scheme));
            changed.add(boardRoom(scopeCodes.get(id) ?? '', p.kind, p.start, scheme, 'recomputed'));
          }
        }
      }
    }
    // A target changes how boards read, not what is stored: every watched board of its scheme, period and scope.
    for (const t of targetBatch) {
      const scopes = t.scopeIds === null ? null : new Set(t.scopeIds.map((id) => scopeCodes.get(id)));
      for (const [room, q] of roomQueries) {
        if (q.scheme !== t.scheme) continue;
        if (t.periods !== null && !t.periods.some((p) => p.kind === q.period && p.start === q.start)) continue;
        if (scopes !== null && !scopes.has(q.scope)) continue;
        changed.add(room);
      }
    }
    const rooms = io.of('/').adapter.rooms;
    // Read concurrently (the pool bounds it), each board sent as soon as it is read: 35 boards one
    // after another held the last broadcast seconds behind the first (issue 15's push bench).
    await Promise.all(
      [...changed].map(async (room) => {
        const query = roomQueries.get(room);
        if (!query || !rooms.has(room)) return;
        try {
          send(room, await readBoard(sql, query));
        } catch (e) {
          if (!outage.fail('board push', e)) log.error({ err: e, room }, 'could not read a changed board');
        }
      })
    );
  }

  // NOTIFYs sent while the LISTEN connection was down are lost: re-read every watched board and the health.
  const listen = await durableListener(sql, {
    outage,
    application: 'city-ops-web-listen',
    onRestored: () => {
      setTimeout(() => void flushAll().catch((err) => outage.fail('board push', err) || log.error({ err }, 'board push failed')), COALESCE_MS);
      lastHealth = '';
      scheduleHealth();
    }
  });
  /** Every watched board, read and emitted again (after the LISTEN connection was lost). */
  async function flushAll() {
    const rooms = io.of('/').adapter.rooms;
    for (const [room, query] of roomQueries) {
      if (!rooms.has(room)) continue;
      send(room, await readBoard(sql, query));
    }
  }
  const onDown = () => {
    // The notice: every screen shows its connection lost (the wall: its banner over the last data).
    io.disconnectSockets(true);
  };
  outage.on('down', onDown);

  const listener = await listen.listen(RANKINGS_CHANNEL, (payload) => {
    let parsed;
    try {
      parsed = rankingsChangedSchema.parse(JSON.parse(payload));
    } catch (e) {
      log.warn({ err: e }, 'ignored a malformed NOTIFY payload');
      return;
    }
    pending.push(parsed);
    scheduleFlush();
  });

  const targetsListener = await listen.listen(TARGETS_CHANNEL, (payload) => {
    try {
      pendingTargets.push(targetsChangedSchema.parse(JSON.parse(payload)));
    } catch (e) {
      log.warn({ err: e }, 'ignored a malformed targets NOTIFY');
      return;
    }
    scheduleFlush();
  });

  // Source health: pushed when a poll changed it (NOTIFY) or time did (the recheck), only when it differs.
  let lastHealth = '';
  let healthTimer: NodeJS.Timeout | undefined;
  async function pushHealth() {
    healthTimer = undefined;
    if (!io.of('/').adapter.rooms.has(SOURCES_ROOM)) return;
    const health = await readSourceHealth(sql);
    const text = JSON.stringify(health);
    if (text === lastHealth) return;
    lastHealth = text;
    io.to(SOURCES_ROOM).emit('source:health-changed', health);
  }
  const scheduleHealth = () => {
    healthTimer ??= setTimeout(() => void pushHealth().catch((err) => outage.fail('source health push', err) || log.error({ err }, 'source health push failed')), COALESCE_MS);
  };
  const healthListener = await listen.listen(SOURCES_CHANNEL, scheduleHealth);
  // Revocations: drop the sockets of a signed-out session, a disabled user, a revoked display token.
  const authListener = await listen.listen(AUTH_CHANNEL, (payload) => {
    try {
      const { room } = authRevokedSchema.parse(JSON.parse(payload));
      io.in(room).disconnectSockets(true);
    } catch (e) {
      log.warn({ err: e }, 'ignored a malformed revocation NOTIFY');
    }
  });
  // Alerts raised (or read in another tab): each person's new unread count, to their user room (every tab, every node).
  const alertsListener = await listen.listen(ALERTS_CHANNEL, (payload) => {
    let userIds: number[];
    try {
      userIds = alertsChangedSchema.parse(JSON.parse(payload)).userIds;
    } catch (e) {
      log.warn({ err: e }, 'ignored a malformed alerts NOTIFY');
      return;
    }
    const rooms = io.of('/').adapter.rooms;
    for (const id of new Set(userIds)) {
      if (!rooms.has(userRoom(id))) continue;
      void unreadCount(sql, id).then(
        (unread) => io.to(userRoom(id)).emit('alerts:changed', { unread }),
        (err) => outage.fail('alerts push', err) || log.error({ err }, 'alerts push failed')
      );
    }
  });
  const recheck = setInterval(scheduleHealth, HEALTH_RECHECK_MS);

  return {
    io,
    async close() {
      await flushing;
      if (healthTimer) clearTimeout(healthTimer);
      clearInterval(recheck);
      outage.off('down', onDown);
      healthListener();
      authListener();
      alertsListener();
      targetsListener();
      listener();
      await listen.close();
      await io.close();
    }
  };
}
