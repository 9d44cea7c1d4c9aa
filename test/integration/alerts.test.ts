/**
 * Alerts end to end in the workers (docs/alerts.md), on the real PostgreSQL, pg-boss, a real SMTP
 * server (smtp-server) and a real HTTP server for the webhook. The clock is driven through the tick
 * job's `now`; every wait is on a job or on the arrival of a mail or a call.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { attachRealtime } from '#server/realtime/index';
import type { ClientToServerEvents, ServerToClientEvents } from '#contract/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createRule } from '#server/alerts/rules';
import { evaluateAlerts } from '#server/alerts/evaluate';
import { alertsQuerySchema, inbox, listAlerts, markRead, setContact, unreadCount } from '#server/alerts/read';
import type { Principal } from '#server/auth/principal';
import { ALERTS_TICK_QUEUE, DELIVER_ALERT_QUEUE, POLL_QUEUE } from '#server/jobs/queues';
import { requestPoll } from '#server/jobs/send';
import { RANKING_KINDS } from '#domain/alerts';
import { periodOf, previousPeriod, today } from '#domain/periods';
import { isBelowTarget } from '#domain/targets';
import { readBoard } from '#server/boards';
import type { BoardRow } from '#contract/dto';
import { saveTarget } from '#server/admin/targets';
import { clearFaults, sessionCookie, setFault } from '../support/fixtures.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';
import { startSmtp } from '../support/mail.ts';
import { startWebhook } from '../support/webhook.ts';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

const SYSTEM = { kind: 'system', name: 'test' } as const;
const SECRET = 'bi-mat-cua-cau-noi-chat-123';

describe('alerts', () => {
  let db: TestDb;
  let world: TestWorld;
  useDemoWorld((h) => ({ db, world } = h));
  let jobs: TestJobs;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let hook: Awaited<ReturnType<typeof startWebhook>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    // The chat bridge fails once (HTTP 500), then takes the call.
    hook = await startWebhook([500]);
    jobs = await testJobs(db, 'pgboss_alerts');
    await jobs.work({ secretKeyHex: world.secretKeyHex, delivery: { smtpUrl: smtp.url, mailFrom: 'City Ops <canh-bao@hanoi.test>', linkBase: 'https://dieuhanh.hanoi.test' } });
  });
  afterAll(async () => {
    await jobs?.stop();
    await smtp?.close();
    await hook?.close();
  });

  async function rule(input: Record<string, string>): Promise<number> {
    const r = await createRule(db.sql, input, SYSTEM, { secretKeyHex: world.secretKeyHex });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.id;
  }
  async function tick(at: DateTime) {
    const id = await jobs.boss.send(ALERTS_TICK_QUEUE, { now: at.toUTC().toISO()! });
    return (await jobs.settled(ALERTS_TICK_QUEUE, id!)) as { raised: number[]; cleared: number; released: number };
  }
  async function deliveryJobsSettled(alertIds: number[]) {
    const ds = await db.sql<{ id: number }[]>`select id from alert_deliveries where alert_id = any(${alertIds}::int[])`;
    const all = await jobs.boss.findJobs(DELIVER_ALERT_QUEUE);
    const mine = all.filter((j) => (j.data as { deliveryIds: number[] }).deliveryIds.some((id) => ds.some((d) => d.id === id)));
    // Completed (a failed attempt that pg-boss retries is reported as failed first: wait for the completion itself).
    await Promise.all(mine.map((j) => jobs.boss.getSpy(DELIVER_ALERT_QUEUE).waitForJobWithId(j.id, 'completed')));
    return mine.length;
  }

  it('a source whose polls fail misses its 17:00 deadline: one alert, one bell, one mail, a signed webhook retried after a 500; quiet hours hold; a digest gathers', async () => {
    const day = today();
    const at = (hhmm: string, plusDays = 0) => DateTime.fromISO(`${day}T${hhmm}`, { zone: 'Asia/Ho_Chi_Minh' }).plus({ days: plusDays });
    await db.sql`update data_sources set daily_deadline = '17:00' where kind <> 'upload'`;
    const adminCookie = await sessionCookie(db.sql, { username: 'qt-canh-bao', role: 'admin' });
    expect(adminCookie).toContain('=');
    await sessionCookie(db.sql, { username: 'lanh-dao', role: 'leader' });
    const motcua = world.source;
    const deadline = await rule({ name: 'Một cửa trễ hạn', kind: 'deadline_missed', sourceKey: motcua.key, roles: 'admin', inApp: 'on', email: 'on', emails: 'truc-ban@hanoi.test' });
    await rule({ name: 'Một cửa cũ (cầu nối chat)', kind: 'source_stale', sourceKey: motcua.key, webhookUrl: hook.url, webhookSecret: SECRET });
    await rule({ name: 'Trễ hạn, yên lặng', kind: 'deadline_missed', sourceKey: motcua.key, email: 'on', emails: 'yen-lang@hanoi.test', quietFrom: '17:00', quietTo: '18:00' });
    await rule({ name: 'Trễ hạn, tổng hợp', kind: 'deadline_missed', email: 'on', emails: 'tong-hop@hanoi.test', digest: 'on', digestAt: '08:00' });

    // The fault: the one-stop system answers 503; two polls by the workers, both failed.
    await setFault(world.simulatorUrl, { system: 'dossier', fault: 'http_5xx', status: 503 });
    for (let i = 0; i < 2; i++) {
      const id = await requestPoll(jobs.boss, motcua.id, 'manual');
      expect(await jobs.settled(POLL_QUEUE, id!)).toMatchObject({ outcome: 'failed' });
    }

    // Before 17:00 no deadline is due; the source is stale already (polled, never a success): the webhook's rule.
    const early = await tick(at('16:59'));
    expect(early.raised).toHaveLength(1);
    // 17:05 and 17:06: the deadline passed; the second tick raises nothing more.
    const first = await tick(at('17:05'));
    const second = await tick(at('17:06'));
    expect(second.raised).toEqual([]);
    const alerts = await db.sql<{ id: number; rule_id: number; title: string; body: string; link: string; source_id: number }[]>`
      select a.id, a.rule_id, a.title, a.body, a.link, a.source_id from alerts a order by a.id`;
    expect([...early.raised, ...first.raised].sort()).toEqual(alerts.map((a) => a.id).sort());
    expect(alerts.find((a) => a.id === early.raised[0])!.title).toBe(`Số liệu của ${motcua.name} đã cũ`);
    const mine = alerts.filter((a) => a.rule_id === deadline);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ source_id: motcua.id, link: `/admin/sources/${motcua.key}` });
    expect(mine[0]!.title).toBe(`${motcua.name} trễ hạn 17:00 ngày ${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`);
    expect(mine[0]!.body).toContain('chưa có lần lấy số liệu thành công nào');
    expect(mine[0]!.body).toContain('HTTP 503');

    // The bell: one notification, for the administrator only (the rule names the admin role).
    const bells = await db.sql<{ username: string; alert_id: number }[]>`
      select u.username, n.alert_id from alert_notifications n join users u on u.id = n.user_id`;
    expect(bells).toEqual([{ username: 'qt-canh-bao', alert_id: mine[0]!.id }]);

    // One mail in the real SMTP server, with the words and the link.
    const mail = await smtp.mailTo('truc-ban@hanoi.test');
    expect(mail.subject).toBe(`[Cảnh báo] ${mine[0]!.title}`);
    expect(mail.text).toContain('quá hạn 17:00');
    expect(mail.text).toContain(`https://dieuhanh.hanoi.test/admin/sources/${motcua.key}`);
    await deliveryJobsSettled([mine[0]!.id]);
    expect(smtp.to('truc-ban@hanoi.test')).toHaveLength(1);

    // The webhook: a 500 first, retried by pg-boss, then delivered once; the signature verifies.
    await hook.calledTimes(2);
    const stale = alerts.find((a) => a.title.startsWith('Số liệu của'))!;
    await deliveryJobsSettled([stale.id]);
    expect(hook.calls.map((c) => c.status)).toEqual([500, 200]);
    const call = hook.calls[1]!;
    expect(call.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(call.body).digest('hex')}`);
    expect(call.signature).not.toBe(`sha256=${createHmac('sha256', 'another-secret-of-16').update(call.body).digest('hex')}`);
    expect(JSON.parse(call.body)).toMatchObject({ type: 'alert', alerts: [{ id: stale.id, kind: 'source_stale', source: motcua.key, link: `https://dieuhanh.hanoi.test/admin/sources/${motcua.key}` }] });
    const [hookDelivery] = await db.sql<{ status: string; attempts: number; last_error: string | null }[]>`
      select status, attempts, last_error from alert_deliveries where alert_id = ${stale.id}`;
    expect(hookDelivery).toEqual({ status: 'sent', attempts: 2, last_error: null });

    // Quiet hours (17:00–18:00): the mail is held, then sent once they end.
    const [held] = await db.sql<{ status: string; not_before: Date }[]>`
      select d.status, d.not_before from alert_deliveries d where d.recipient = 'yen-lang@hanoi.test'`;
    expect(held!.status).toBe('held');
    expect(new Date(held!.not_before).toISOString()).toBe(at('18:00').toUTC().toISO({ suppressMilliseconds: false }));
    expect(smtp.to('yen-lang@hanoi.test')).toHaveLength(0);
    expect((await tick(at('17:59'))).released).toBe(0);
    expect(smtp.to('yen-lang@hanoi.test')).toHaveLength(0);
    expect((await tick(at('18:01'))).released).toBe(1);
    const quietMail = await smtp.mailTo('yen-lang@hanoi.test');
    expect(quietMail.subject).toContain('trễ hạn 17:00');

    // The digest: every source missed (the others were never polled) — one mail at 08:00 the next day with all of them.
    const digestRule = await db.sql<{ n: number }[]>`
      select count(*)::int as n from alerts a join alert_rules r on r.id = a.rule_id where r.name = 'Trễ hạn, tổng hợp'`;
    expect(digestRule[0]!.n).toBeGreaterThanOrEqual(2);
    expect(smtp.to('tong-hop@hanoi.test')).toHaveLength(0);
    expect((await tick(at('08:01', 1))).released).toBe(1);
    const digest = await smtp.mailTo('tong-hop@hanoi.test');
    expect(digest.subject).toBe(`[Cảnh báo] Tổng hợp ${digestRule[0]!.n} cảnh báo`);
    expect(digest.text.match(/trễ hạn 17:00/g)?.length).toBe(digestRule[0]!.n);
    expect(smtp.to('tong-hop@hanoi.test')).toHaveLength(1);

    // The next day at 08:01 the deadline is not yet due: yesterday's conditions cleared (and re-arm for today).
    const [open] = await db.sql<{ n: number }[]>`select count(*)::int as n from alerts where cleared_at is null and kind = 'deadline_missed'`;
    expect(open!.n).toBe(0);
    await clearFaults(world.simulatorUrl);
  });

  it('a band drop reaches the officer of that unit and not an officer of another', async () => {
    await clearFaults(world.simulatorUrl);
    await world.pollAll();
    const period = periodOf('month', today());
    const prev = previousPeriod(period);
    const [city] = await db.sql<{ id: number }[]>`select id from units where parent_id is null order by id limit 1`;
    const districts = await db.sql<{ id: number; code: string; name: string }[]>`
      select u.id, u.gso_code as code, u.name from rankings r join units u on u.id = r.unit_id
      where r.scope_unit_id = ${city!.id} and r.period_kind = 'month' and r.period_start = ${period.start} and r.scheme_key = 'operations' and r.rank is not null
      order by u.gso_code limit 2`;
    expect(districts).toHaveLength(2);
    const a = districts[0]!;
    const b = districts[1]!;
    const cookieA = await sessionCookie(db.sql, { username: 'can-bo-a', role: 'officer', unitCode: a.code });
    const cookieB = await sessionCookie(db.sql, { username: 'can-bo-b', role: 'officer', unitCode: b.code });
    // The web side: Socket.IO on a real server, each officer's browser a real client.
    const http = createServer();
    const realtime = await attachRealtime(http, db.sql);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const open = async (cookie: string) => {
      const s: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, { transports: ['websocket'], extraHeaders: { cookie } });
      await new Promise<void>((resolve) => s.once('connect', () => resolve()));
      return s;
    };
    const [socketA, socketB] = [await open(cookieA), await open(cookieB)];
    const heardByB: number[] = [];
    socketB.on('alerts:changed', (e) => heardByB.push(e.unread));
    const bellA = new Promise<{ unread: number }>((resolve) => socketA.once('alerts:changed', resolve));
    // The previous month: 85 points (Tốt); this month 60 (Trung bình).
    await db.sql`
      insert into rankings (scheme_key, scope_unit_id, period_kind, period_start, period_end, unit_id, rank, previous_rank, total, indicators, scheme_id)
      select scheme_key, scope_unit_id, period_kind, ${prev.start}, ${prev.end}, unit_id, rank, null, 85, indicators, scheme_id
      from rankings where scope_unit_id = ${city!.id} and period_kind = 'month' and period_start = ${period.start} and scheme_key = 'operations' and unit_id = ${a.id}
      on conflict on constraint rankings_board_unit_pk do update set total = 85, rank = excluded.rank`;
    await db.sql`update rankings set total = 60 where scope_unit_id = ${city!.id} and period_kind = 'month' and period_start = ${period.start} and scheme_key = 'operations' and unit_id = ${a.id}`;
    await db.sql`
      update rankings set total = 70 where scope_unit_id = ${city!.id} and period_kind = 'month' and period_start = ${prev.start} and scheme_key = 'operations' and unit_id <> ${a.id}`;
    await db.sql`
      update rankings set total = 70 where scope_unit_id = ${city!.id} and period_kind = 'month' and period_start = ${period.start} and scheme_key = 'operations' and unit_id <> ${a.id}`;
    // Each officer gave their own address for alert mail (/alerts); the rule lists none: mail follows the bell's scope.
    const idOf = async (username: string) => (await db.sql<{ id: number }[]>`select id from users where username = ${username}`)[0]!.id;
    expect(await setContact(db.sql, await idOf('can-bo-a'), 'Can-Bo-A@hanoi.test')).toBe(true);
    expect(await setContact(db.sql, await idOf('can-bo-b'), 'can-bo-b@hanoi.test')).toBe(true);
    expect(await setContact(db.sql, await idOf('can-bo-b'), 'khong-phai-dia-chi')).toBe(false);
    await rule({ name: 'Tụt xếp loại', kind: 'band_drop', periodKind: 'month', roles: 'officer', inApp: 'on', email: 'on' });

    // Evaluated on the month's last day: a whole month, compared with the whole previous one as stored
    // (earlier in the month it would be compared with the same days of the last, scored from the samples).
    const lastDay = new Date(`${period.end}T05:00:00Z`);
    const once = await evaluateAlerts(db.sql, { boss: jobs.boss, kinds: RANKING_KINDS, now: lastDay });
    const twice = await evaluateAlerts(db.sql, { boss: jobs.boss, kinds: RANKING_KINDS, now: lastDay });
    expect(once.raised).toHaveLength(1);
    expect(twice.raised).toEqual([]);
    const [alert] = await db.sql<{ id: number; title: string; body: string; link: string }[]>`select id, title, body, link from alerts where id = ${once.raised[0]!}`;
    expect(alert!.title).toBe(`${a.name} xuống xếp loại Trung bình`);
    expect(alert!.body).toBe(
      `${a.name} (${a.code}) từ xếp loại Tốt (85,00 điểm) xuống Trung bình (60,00 điểm) — tháng ${period.start.slice(5, 7)}/${period.start.slice(0, 4)}, so với tháng ${prev.start.slice(5, 7)}/${prev.start.slice(0, 4)}.`
    );
    expect(alert!.link).toBe(`/units/${a.code}?period=month&date=${period.start}`);
    const told = await db.sql<{ username: string }[]>`
      select u.username from alert_notifications n join users u on u.id = n.user_id where n.alert_id = ${alert!.id} order by u.username`;
    expect(told.map((t) => t.username)).toEqual(['can-bo-a']);
    // Live: A's bell hears it; B's does not (B's own count, asked after A heard, is still 0).
    expect(await bellA).toEqual({ unread: 1 });
    const askB = await new Promise<unknown>((resolve) => socketB.emit('alerts:unread', resolve));
    expect(askB).toEqual({ data: { unread: 0 } });
    expect(heardByB).toEqual([]);
    socketA.disconnect();
    socketB.disconnect();
    await realtime.close();
    http.close();
    // GET /api/v1/alerts's read: an officer sees their own subtree's alerts only; a leader every one.
    const officer = async (username: string, code: string): Promise<Principal> => {
      const [u] = await db.sql<{ id: number }[]>`select id from users where username = ${username}`;
      return { kind: 'user', sessionId: 's', user: { id: u!.id, username, displayName: username, role: 'officer', unitCode: code, unitName: null } };
    };
    const all = alertsQuerySchema.parse({});
    const seenByA = await listAlerts(db.sql, await officer('can-bo-a', a.code), all);
    expect(seenByA.map((x) => x.id)).toEqual([alert!.id]);
    expect(seenByA[0]).toMatchObject({ unit: { code: a.code }, rule: { name: 'Tụt xếp loại' }, deliveries: [{ channel: 'email', recipient: 'can-bo-a@hanoi.test' }] });
    expect(await listAlerts(db.sql, await officer('can-bo-b', b.code), all)).toEqual([]);
    const leader: Principal = { kind: 'user', sessionId: 's', user: { id: 1, username: 'lanh-dao', displayName: '', role: 'leader', unitCode: null, unitName: null } };
    expect((await listAlerts(db.sql, leader, all)).length).toBeGreaterThan(1);
    expect((await listAlerts(db.sql, leader, alertsQuerySchema.parse({ unit: b.code }))).map((x) => x.id)).not.toContain(alert!.id);
    // The bell: one unread for A, read once marked.
    const aId = (await officer('can-bo-a', a.code)) as Extract<Principal, { kind: 'user' }>;
    expect(await unreadCount(db.sql, aId.user.id)).toBe(1);
    const [item] = await inbox(db.sql, aId.user.id);
    expect(item).toMatchObject({ title: alert!.title, link: alert!.link, read: false });
    expect(await markRead(db.sql, aId.user.id, item!.id)).toBe(1);
    expect(await unreadCount(db.sql, aId.user.id)).toBe(0);
    const mail = await smtp.mailTo('can-bo-a@hanoi.test');
    expect(mail.subject).toBe(`[Cảnh báo] ${a.name} xuống xếp loại Trung bình`);
    expect(mail.text).toContain(`https://dieuhanh.hanoi.test/units/${a.code}?period=month&date=${period.start}`);
    await deliveryJobsSettled([alert!.id]);
    expect(smtp.to('can-bo-a@hanoi.test')).toHaveLength(1);
    expect(smtp.to('can-bo-b@hanoi.test')).toHaveLength(0);

    // Cleared once the band is back; a new drop raises again.
    await db.sql`update rankings set total = 88 where period_kind = 'month' and period_start = ${period.start} and unit_id = ${a.id} and scheme_key = 'operations'`;
    expect((await evaluateAlerts(db.sql, { boss: jobs.boss, kinds: RANKING_KINDS, now: lastDay })).cleared).toBe(1);
    await db.sql`update rankings set total = 60 where period_kind = 'month' and period_start = ${period.start} and unit_id = ${a.id} and scheme_key = 'operations'`;
    expect((await evaluateAlerts(db.sql, { boss: jobs.boss, kinds: RANKING_KINDS, now: lastDay })).raised).toHaveLength(1);
  });
  it('"below its target": one alert per unit below the target that applies, cleared at target; the officer hears of their own unit; the mail of many is one', async () => {
    await world.pollAll();
    // This test's rule alone (the earlier rules keep their alerts, but evaluate nothing here).
    await db.sql`update alert_rules set enabled = false`;
    const period = periodOf('month', today());
    const lastDay = new Date(`${period.end}T05:00:00Z`);
    const [city] = await db.sql<{ code: string }[]>`select gso_code as code from units where parent_id is null order by id limit 1`;
    // The city's 95 % on time for every period.
    expect((await saveTarget(db.sql, { indicatorKey: 'dossier.on_time', scopeCode: '', percent: '95' }, SYSTEM)).ok).toBe(true);
    // Every month board (the city's, each district's): the rows the boards mark below their target.
    const scopes = await db.sql<{ code: string }[]>`
      select distinct u.gso_code as code from rankings r join units u on u.id = r.scope_unit_id
      where r.scheme_key = 'operations' and r.period_kind = 'month' and r.period_start = ${period.start} order by 1`;
    expect(scopes.map((x) => x.code)).toContain(city!.code);
    const marked = async () => {
      const rows: BoardRow[] = [];
      for (const { code } of scopes) rows.push(...(await readBoard(db.sql, { scope: code, period: 'month', date: period.start })).rows);
      return rows;
    };
    const under = (await marked()).filter((r) => r.indicators['dossier.on_time']?.belowTarget);
    expect(under.length, 'the demo units are mostly under 95 % on time').toBeGreaterThan(2);
    // One of them has its own, lower target (precedence: the unit's own beats the city's): it is not below that.
    const spared = under[0]!;
    expect((await saveTarget(db.sql, { indicatorKey: 'dossier.on_time', scopeCode: spared.unitCode, percent: '10' }, SYSTEM)).ok).toBe(true);
    const rows = await marked();
    const expected = rows.filter((r) => r.indicators['dossier.on_time']?.belowTarget).map((r) => r.unitCode).sort();
    expect(expected).not.toContain(spared.unitCode);
    expect(expected).toHaveLength(under.length - 1);

    // The officer of a commune (no units under it) below the target.
    const watched = rows.find((r) => r.unitCode !== spared.unitCode && r.indicators['dossier.on_time']?.belowTarget && !scopes.some((x) => x.code === r.unitCode))!.unitCode;
    await sessionCookie(db.sql, { username: 'can-bo-chi-tieu', role: 'officer', unitCode: watched });
    await sessionCookie(db.sql, { username: 'lanh-dao-chi-tieu', role: 'leader' });
    const ruleId = await rule({ name: 'Đúng hạn dưới chỉ tiêu', kind: 'below_target', indicator: 'dossier.on_time', periodKind: 'month', usernames: 'can-bo-chi-tieu, lanh-dao-chi-tieu', inApp: 'on', email: 'on', emails: 'chi-tieu@hanoi.test' });

    const once = await evaluateAlerts(db.sql, { boss: jobs.boss, kinds: RANKING_KINDS, now: lastDay });
    const twice = await evaluateAlerts(db.sql, { boss: jobs.boss, kinds: RANKING_KINDS, now: lastDay });
    expect(once.raised).toHaveLength(expected.length);
    expect(twice.raised).toEqual([]);
    const raised = await db.sql<{ id: number; code: string; title: string; body: string; link: string; kind: string }[]>`
      select a.id, u.gso_code as code, a.title, a.body, a.link, a.kind from alerts a join units u on u.id = a.unit_id where a.rule_id = ${ruleId} order by u.gso_code`;
    expect(raised.map((a) => a.code)).toEqual(expected);
    // The words: actual against target, and the unit's page.
    const row = rows.find((r) => r.unitCode === watched)!;
    const v = row.indicators['dossier.on_time']!;
    expect(isBelowTarget(v.ratio, 0.95)).toBe(true);
    const actual = `${new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v.ratio! * 100)}%`;
    const mineA = raised.find((a) => a.code === watched)!;
    expect(mineA.kind).toBe('below_threshold');
    expect(mineA.title).toBe(`${row.unitName}: Hồ sơ đúng hạn ${actual} dưới chỉ tiêu 95%`);
    expect(mineA.body).toMatch(new RegExp(`^Hồ sơ đúng hạn của .+ \\(${watched}\\) là ${actual}, dưới chỉ tiêu 95% \\(chỉ tiêu chung\\), thiếu \\d+,\\d điểm % — tháng ${period.start.slice(5, 7)}/${period.start.slice(0, 4)}\\.$`));
    expect(mineA.link).toBe(`/units/${watched}?period=month&date=${period.start}`);

    // The bell: the officer hears of their own unit only; the leader named by the rule of every one.
    const told = await db.sql<{ username: string; n: number }[]>`
      select u.username, count(*)::int as n from alert_notifications n join users u on u.id = n.user_id join alerts a on a.id = n.alert_id
      where a.rule_id = ${ruleId} group by u.username order by u.username`;
    expect(told).toEqual([{ username: 'can-bo-chi-tieu', n: 1 }, { username: 'lanh-dao-chi-tieu', n: expected.length }]);
    // Many alerts raised at once reach the rule's address as one mail listing them all, not one mail each.
    const mail = await smtp.mailTo('chi-tieu@hanoi.test');
    expect(mail.subject).toBe(`[Cảnh báo] Tổng hợp ${expected.length} cảnh báo`);
    expect(mail.text.match(/dưới chỉ tiêu 95%/g)?.length).toBe(expected.length * 2);
    expect(mail.text).toContain(`https://dieuhanh.hanoi.test/units/${watched}?period=month&date=${period.start}`);
    expect(await deliveryJobsSettled(raised.map((a) => a.id))).toBe(1);
    expect(smtp.to('chi-tieu@hanoi.test')).toHaveLength(1);

    // Back at the target (a corrected figure lifts the watched unit to exactly 95 %): its alert clears, the others stay open.
    await db.sql`
      update rankings set indicators = jsonb_set(indicators, '{dossier.on_time,ratio}', '0.95'::jsonb)
      where scheme_key = 'operations' and period_kind = 'month' and period_start = ${period.start} and unit_id = (select id from units where gso_code = ${watched} order by valid_to desc nulls first limit 1)`;
    const back = await evaluateAlerts(db.sql, { boss: jobs.boss, kinds: RANKING_KINDS, now: lastDay });
    expect(back).toEqual({ raised: [], cleared: 1 });
    const [open] = await db.sql<{ n: number }[]>`select count(*)::int as n from alerts where rule_id = ${ruleId} and cleared_at is null`;
    expect(open!.n).toBe(expected.length - 1);
    // A single alert raised later is a mail of its own, as before: under again.
    await db.sql`
      update rankings set indicators = jsonb_set(indicators, '{dossier.on_time,ratio}', '0.9'::jsonb)
      where scheme_key = 'operations' and period_kind = 'month' and period_start = ${period.start} and unit_id = (select id from units where gso_code = ${watched} order by valid_to desc nulls first limit 1)`;
    const again = await evaluateAlerts(db.sql, { boss: jobs.boss, kinds: RANKING_KINDS, now: lastDay });
    expect(again.raised).toHaveLength(1);
    await deliveryJobsSettled(again.raised);
    expect(smtp.to('chi-tieu@hanoi.test')).toHaveLength(2);
    expect(smtp.to('chi-tieu@hanoi.test')[1]!.subject).toBe('[Cảnh báo] ' + `${row.unitName}: Hồ sơ đúng hạn 90,0% dưới chỉ tiêu 95%`);
    // The targets gone, every condition clears.
    await db.sql`delete from targets`;
    expect((await evaluateAlerts(db.sql, { boss: jobs.boss, kinds: RANKING_KINDS, now: lastDay })).cleared).toBe(expected.length);
  });
});
