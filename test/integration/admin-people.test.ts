/**
 * The administrator's screens, below HTTP: people, display tokens, indicator schemes and the audit
 * log, on a real PostgreSQL with the demo world polled once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDisplayToken, readSession, signIn } from '../../src/lib/server/auth/sessions.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { createUser, listUsers, resetPassword, setUserDisabled, updateUser } from '../../src/lib/server/admin/users.ts';
import { createDisplayToken, listDisplayTokens, revokeDisplayToken, unitTreeOptions } from '../../src/lib/server/admin/tokens.ts';
import { readActiveScheme, saveSchemeFromForm, saveSchemeVersion, schemeHistory } from '../../src/lib/server/admin/schemes.ts';
import { readAuditLog } from '../../src/lib/server/admin/audit-read.ts';
import { freshDatabase } from '../support/db.ts';
import { demoWorld } from '../support/fixtures.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
type Actor = Extract<Principal, { kind: 'user' }>;

describe('administration: people, display tokens, schemes, audit', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let admin: Actor;
  /** Every secret typed or handed out in this file: none may appear in the audit log. */
  const secrets: string[] = [];

  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql, { now: () => NOW });
    await world.pollAll(NOW);
    // The first administrator, as the seed makes one; then signed in, as the admin screens see them.
    const [row] = await db.sql<{ id: number }[]>`
      insert into users (username, display_name, password_hash, role) values ('root-admin', 'Quản trị gốc', 'not-a-hash', 'admin') returning id`;
    admin = {
      kind: 'user', sessionId: 'test-session',
      user: { id: row!.id, username: 'root-admin', displayName: 'Quản trị gốc', role: 'admin', unitCode: null, unitName: null }
    };
  });
  afterAll(async () => {
    await world?.simulator.close();
    await db?.drop();
  });

  const signInAs = (username: string, password: string) => signIn(db.sql, { username, password, ip: '10.0.0.1' });

  describe('people', () => {
    it('creates a user who can then sign in, and lists them with their last sign-in', async () => {
      const password = 'mat-khau-rat-dai-1';
      secrets.push(password);
      const created = await createUser(db.sql, { username: 'Lan.Nguyen', displayName: 'Nguyễn Thị Lan', role: 'leader', password }, admin);
      expect(created).toMatchObject({ ok: true, user: { username: 'lan.nguyen', role: 'leader', unitCode: null, disabled: false } });
      const [stored] = await db.sql<{ password_hash: string }[]>`select password_hash from users where username = 'lan.nguyen'`;
      expect(stored!.password_hash).toMatch(/^\$argon2id\$/);
      secrets.push(stored!.password_hash);

      const result = await signInAs('lan.nguyen', password);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      secrets.push(result.token);
      const session = await readSession(db.sql, result.token);
      expect(session?.user.username).toBe('lan.nguyen');
      const listed = (await listUsers(db.sql)).find((u) => u.username === 'lan.nguyen')!;
      expect(listed.lastSignInAt).not.toBeNull();
      expect(Date.now() - new Date(listed.lastSignInAt!).getTime()).toBeLessThan(60_000);
    });

    it('creates an officer bound to an existing unit', async () => {
      const password = 'can-bo-thanh-oai-2';
      secrets.push(password);
      const created = await createUser(db.sql, { username: 'cb-278', displayName: 'Cán bộ Thanh Oai', role: 'officer', unitCode: '278', password }, admin);
      expect(created).toMatchObject({ ok: true, user: { role: 'officer', unitCode: '278' } });
      const result = await signInAs('cb-278', password);
      expect(result.ok && result.user.unitCode).toBe('278');
    });

    it('refuses a duplicate username, naming the field', async () => {
      const again = await createUser(db.sql, { username: 'lan.nguyen', displayName: 'Người khác', role: 'leader', password: 'mot-mat-khau-khac' }, admin);
      expect(again.ok).toBe(false);
      if (again.ok) return;
      expect(Object.keys(again.errors)).toEqual(['username']);
      expect(again.errors.username).toMatch(/đã có người dùng/);
      const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from users where username = 'lan.nguyen'`;
      expect(count!.n).toBe(1);
    });

    it('refuses an officer without a unit, one with an unknown unit, and a bad username or short password', async () => {
      const noUnit = await createUser(db.sql, { username: 'cb-moi', displayName: 'Cán bộ mới', role: 'officer', unitCode: '', password: 'du-muoi-ky-tu' }, admin);
      expect(noUnit.ok === false && noUnit.errors.unitCode).toMatch(/đơn vị/);
      const unknown = await createUser(db.sql, { username: 'cb-moi', displayName: 'Cán bộ mới', role: 'officer', unitCode: '99999', password: 'du-muoi-ky-tu' }, admin);
      expect(unknown.ok === false && unknown.errors.unitCode).toMatch(/99999/);
      const bad = await createUser(db.sql, { username: 'a b', displayName: '', role: 'officer', password: 'ngan' }, admin);
      expect(bad.ok).toBe(false);
      if (bad.ok) return;
      expect(Object.keys(bad.errors).sort()).toEqual(['displayName', 'password', 'unitCode', 'username']);
      const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from users where username in ('cb-moi', 'a b')`;
      expect(count!.n).toBe(0);
    });

    it('edits name, role and unit', async () => {
      const [u] = await db.sql<{ id: number }[]>`select id from users where username = 'lan.nguyen'`;
      const edited = await updateUser(db.sql, { id: u!.id, displayName: 'Nguyễn Thị Lan (Sở Nội vụ)', role: 'officer', unitCode: '001' }, admin);
      expect(edited).toMatchObject({ ok: true, user: { displayName: 'Nguyễn Thị Lan (Sở Nội vụ)', role: 'officer', unitCode: '001' } });
      const back = await updateUser(db.sql, { id: u!.id, displayName: 'Nguyễn Thị Lan', role: 'leader', unitCode: '001' }, admin);
      // The unit belongs to officers only.
      expect(back).toMatchObject({ ok: true, user: { role: 'leader', unitCode: null } });
    });

    it('disabling a user revokes their sessions; enabling lets them sign in again', async () => {
      const password = 'tai-khoan-se-bi-khoa';
      secrets.push(password);
      const created = await createUser(db.sql, { username: 'sap-bi-khoa', displayName: 'Sắp bị khóa', role: 'leader', password }, admin);
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      const first = await signInAs('sap-bi-khoa', password);
      const second = await signInAs('sap-bi-khoa', password);
      if (!first.ok || !second.ok) throw new Error('sign-in failed');
      secrets.push(first.token, second.token);
      expect(await readSession(db.sql, first.token)).not.toBeNull();

      const disabled = await setUserDisabled(db.sql, { id: created.user.id, disabled: true }, admin);
      expect(disabled).toMatchObject({ ok: true, sessionsRevoked: 2, user: { disabled: true } });
      expect(await readSession(db.sql, first.token)).toBeNull();
      expect(await readSession(db.sql, second.token)).toBeNull();
      const [sessions] = await db.sql<{ open: number }[]>`
        select count(*)::int as open from sessions where user_id = ${created.user.id} and revoked_at is null`;
      expect(sessions!.open).toBe(0);
      expect((await signInAs('sap-bi-khoa', password)).ok).toBe(false);

      const enabled = await setUserDisabled(db.sql, { id: created.user.id, disabled: false }, admin);
      expect(enabled).toMatchObject({ ok: true, user: { disabled: false } });
      // The old sessions stay revoked; a new sign-in works.
      expect(await readSession(db.sql, first.token)).toBeNull();
      expect((await signInAs('sap-bi-khoa', password)).ok).toBe(true);
    });

    it('resetting a password revokes every session; the new password works, the old does not', async () => {
      const oldPassword = 'mat-khau-cu-0001';
      const newPassword = 'mat-khau-moi-0002';
      secrets.push(oldPassword, newPassword);
      const created = await createUser(db.sql, { username: 'doi-mat-khau', displayName: 'Đổi mật khẩu', role: 'leader', password: oldPassword }, admin);
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      const session = await signInAs('doi-mat-khau', oldPassword);
      if (!session.ok) throw new Error('sign-in failed');
      secrets.push(session.token);

      const short = await resetPassword(db.sql, { id: created.user.id, password: 'ngan' }, admin);
      expect(short.ok === false && short.errors.password).toMatch(/10 ký tự/);
      expect(await readSession(db.sql, session.token)).not.toBeNull();

      const reset = await resetPassword(db.sql, { id: created.user.id, password: newPassword }, admin);
      expect(reset).toMatchObject({ ok: true, sessionsRevoked: 1 });
      expect(await readSession(db.sql, session.token)).toBeNull();
      expect((await signInAs('doi-mat-khau', oldPassword)).ok).toBe(false);
      expect((await signInAs('doi-mat-khau', newPassword)).ok).toBe(true);
    });

    it('an administrator cannot disable or demote themselves', async () => {
      const disable = await setUserDisabled(db.sql, { id: admin.user.id, disabled: true }, admin);
      expect(disable.ok).toBe(false);
      if (!disable.ok) expect(disable.errors.form).toMatch(/chính mình/);
      const demote = await updateUser(db.sql, { id: admin.user.id, displayName: 'Quản trị gốc', role: 'leader' }, admin);
      expect(demote.ok).toBe(false);
      if (!demote.ok) expect(demote.errors.role).toMatch(/chính mình/);
      const [me] = await db.sql<{ role: string; disabled: boolean }[]>`select role, disabled from users where id = ${admin.user.id}`;
      expect(me).toEqual({ role: 'admin', disabled: false });
    });
  });

  describe('display tokens', () => {
    it('creates a token, shown once, stored only as its hash; it reads as a display principal, its scenes in the order given', async () => {
      const created = await createDisplayToken(db.sql, { name: 'Màn hình phòng họp', scopeCode: '278', scenes: ['movers', 'board', 'kpis'], dwellSeconds: '30' }, admin);
      expect(created.ok).toBe(true);
      if (!created.ok) return;
      secrets.push(created.token);
      expect(created.wallUrl).toBe(`/wall?token=${created.token}`);
      const [row] = await db.sql<{ token_hash: string }[]>`select token_hash from display_tokens where id = ${created.id}`;
      expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row!.token_hash).not.toContain(created.token);
      secrets.push(row!.token_hash);

      const read = await readDisplayToken(db.sql, created.token);
      expect(read).toEqual({
        principal: { kind: 'display', tokenId: created.id, name: 'Màn hình phòng họp', scopeCode: '278', playlist: { scenes: ['movers', 'board', 'kpis'], dwellSeconds: 30 } }
      });
      const listed = (await listDisplayTokens(db.sql)).find((t) => t.id === created.id)!;
      expect(listed).toMatchObject({ status: 'active', scopeCode: '278', scenes: ['movers', 'board', 'kpis'], revokedAt: null });
      expect(listed.lastUsedAt).not.toBeNull();
    });

    it('a revoked token is refused as revoked', async () => {
      const created = await createDisplayToken(db.sql, { name: 'Sảnh UBND', scopeCode: '01', scenes: 'board,sources', dwellSeconds: 60 }, admin);
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      secrets.push(created.token);
      expect('principal' in (await readDisplayToken(db.sql, created.token))).toBe(true);
      const revoked = await revokeDisplayToken(db.sql, { id: created.id }, admin);
      expect(revoked).toEqual({ ok: true, alreadyRevoked: false });
      expect(await readDisplayToken(db.sql, created.token)).toEqual({ refused: 'revoked' });
      expect((await listDisplayTokens(db.sql)).find((t) => t.id === created.id)!.status).toBe('revoked');
      expect(await revokeDisplayToken(db.sql, { id: created.id }, admin)).toEqual({ ok: true, alreadyRevoked: true });
    });

    it('a token past its last day is refused as expired', async () => {
      // Created on 1 March 2020 to run through 2 March 2020 (Hà Nội time): long past.
      const created = await createDisplayToken(
        db.sql, { name: 'Màn hình cũ', scopeCode: '01', scenes: ['kpis'], dwellSeconds: 15, expiresOn: '2020-03-02' }, admin,
        { now: new Date('2020-03-01T03:00:00Z') }
      );
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      secrets.push(created.token);
      // Valid through the whole last day: expires at 00:00 ICT the day after.
      expect(created.expiresAt).toBe('2020-03-02T17:00:00.000Z');
      expect(await readDisplayToken(db.sql, created.token)).toEqual({ refused: 'expired' });
      expect((await listDisplayTokens(db.sql)).find((t) => t.id === created.id)).toMatchObject({ status: 'expired', validThrough: '2020-03-02' });
    });

    it('offers the scope as the current unit tree: the city, each district, its communes under it', async () => {
      const tree = await unitTreeOptions(db.sql);
      const [current] = await db.sql<{ n: number }[]>`select count(*)::int as n from units where valid_to is null`;
      expect(tree).toHaveLength(current!.n);
      expect(tree[0]).toMatchObject({ code: '01', depth: 0 });
      const district = tree.findIndex((u) => u.code === '278');
      expect(tree[district]).toMatchObject({ depth: 1, level: 'district' });
      const communes = await db.sql<{ gso_code: string }[]>`
        select c.gso_code from units c join units d on d.id = c.parent_id where d.gso_code = '278' and c.valid_to is null order by c.gso_code`;
      expect(communes.length).toBeGreaterThan(0);
      expect(tree.slice(district + 1, district + 1 + communes.length).map((u) => [u.code, u.depth])).toEqual(communes.map((c) => [c.gso_code, 2]));
    });

    it('refuses a bad token form, naming each field', async () => {
      const bad = await createDisplayToken(db.sql, { name: '', scopeCode: '99999', scenes: [], dwellSeconds: 5, expiresOn: '2020-01-01' }, admin, { now: NOW });
      expect(bad.ok).toBe(false);
      if (bad.ok) return;
      expect(Object.keys(bad.errors).sort()).toEqual(['dwellSeconds', 'name', 'scenes']);
      const later = await createDisplayToken(db.sql, { name: 'x', scopeCode: '99999', scenes: ['map', 'weather'], dwellSeconds: 601 }, admin, { now: NOW });
      expect(later.ok === false && Object.keys(later.errors).sort()).toEqual(['dwellSeconds', 'scenes']);
      const unitAndDate = await createDisplayToken(db.sql, { name: 'x', scopeCode: '99999', scenes: ['map'], dwellSeconds: 20, expiresOn: '2020-01-01' }, admin, { now: NOW });
      expect(unitAndDate.ok === false && Object.keys(unitAndDate.errors).sort()).toEqual(['expiresOn', 'scopeCode']);
      const twice = await createDisplayToken(db.sql, { name: 'x', scopeCode: '01', scenes: ['map', 'board', 'map'], dwellSeconds: 20 }, admin, { now: NOW });
      expect(twice.ok === false && twice.errors).toEqual({ scenes: 'Mỗi cảnh chỉ chọn một lần: Bản đồ có nhiều lần.' });
    });
  });

  describe('indicator schemes', () => {
    let jobs: TestJobs;
    beforeAll(async () => {
      jobs = await testJobs(db, 'pgboss_admin');
    });
    afterAll(async () => {
      await jobs?.stop();
    });

    it('refuses bad bands and points, naming the field', async () => {
      const active = (await readActiveScheme(db.sql))!;
      const bands = active.bands;
      const cases: [Parameters<typeof saveSchemeVersion>[1], string][] = [
        [{ indicators: { 'dossier.on_time': { maxPoints: 120, saturation: 1 } }, bands, note: 'x' }, 'indicators.dossier.on_time.maxPoints'],
        [{ indicators: { 'dossier.online': { maxPoints: 12, saturation: 0 } }, bands, note: 'x' }, 'indicators.dossier.online.saturation'],
        [{ indicators: {}, bands: [{ name: 'A', min: 50 }, { name: 'B', min: 60 }, { name: 'C', min: 0 }], note: 'x' }, 'bands.1.min'],
        [{ indicators: {}, bands: [{ name: 'A', min: 50 }, { name: 'B', min: 10 }], note: 'x' }, 'bands.1.min'],
        [{ indicators: {}, bands: [{ name: 'Tất cả', min: 0 }], note: 'x' }, 'bands'],
        [{ indicators: {}, bands: Array.from({ length: 8 }, (_, i) => ({ name: `H${i}`, min: 70 - i * 10 })), note: 'x' }, 'bands'],
        [{ indicators: {}, bands: [{ name: 'A', min: 50 }, { name: '', min: 0 }], note: 'x' }, 'bands.1.name'],
        [{ indicators: { 'dossier.on_time': { maxPoints: 25, saturation: 1 } }, bands, note: '  ' }, 'note'],
        [{ indicators: { 'no.such': { maxPoints: 5, saturation: 1 } }, bands, note: 'x' }, 'indicators.no.such']
      ];
      for (const [input, field] of cases) {
        const result = await saveSchemeVersion(db.sql, input, admin, { now: NOW, jobs: jobs.boss });
        expect(result.ok, field).toBe(false);
        if (!result.ok) expect(Object.keys(result.errors), JSON.stringify(input.bands)).toContain(field);
      }
      // From the form: percent, a decimal comma, and the band row as shown (an empty row in between).
      const form = await saveSchemeFromForm(db.sql, {
        'indicators.dossier.on_time.maxPoints': '20', 'indicators.dossier.on_time.saturation': '0,5',
        'bands.0.name': 'Tốt', 'bands.0.min': '80', 'bands.1.name': '', 'bands.1.min': '', 'bands.2.name': 'Khá', 'bands.2.min': '90',
        'bands.3.name': 'Yếu', 'bands.3.min': '0', note: 'thử'
      }, admin, { now: NOW, jobs: jobs.boss });
      expect(form.ok === false && Object.keys(form.errors)).toEqual(['indicators.dossier.on_time.saturation', 'bands.2.min']);
      // Nothing was saved.
      expect((await schemeHistory(db.sql, active.key)).map((s) => s.version)).toEqual([1]);
    });

    it('a change creates version 2, deactivates version 1 (kept as it was), and a worker recomputes this month with it', async () => {
      const v1 = (await readActiveScheme(db.sql))!;
      expect(v1.version).toBe(1);
      const [before] = await db.sql<{ scheme_id: number }[]>`
        select distinct scheme_id from rankings where scheme_key = 'operations' and period_kind = 'month' and period_start = '2026-11-01'`;
      expect(before!.scheme_id).toBe(v1.id);

      const bands = [{ name: 'Xuất sắc', min: 85 }, { name: 'Đạt', min: 50 }, { name: 'Chưa đạt', min: 0 }];
      const saved = await saveSchemeFromForm(db.sql, {
        baseSchemeId: String(v1.id),
        'indicators.dossier.on_time.maxPoints': '25', 'indicators.dossier.on_time.saturation': '100',
        'indicators.task.on_time.maxPoints': '0', 'indicators.task.on_time.saturation': '90',
        ...Object.fromEntries(bands.flatMap((b, i) => [[`bands.${i}.name`, b.name], [`bands.${i}.min`, String(b.min)]])),
        note: 'Tăng trọng số hồ sơ đúng hạn theo chỉ đạo tháng 11'
      }, admin, { now: NOW, jobs: jobs.boss });
      expect(saved.ok, JSON.stringify(saved)).toBe(true);
      if (!saved.ok) return;
      expect(saved.scheme.version).toBe(2);
      // The current board of every period kind, calendar and Decree 09 reporting periods, recomputed by the workers.
      await jobs.work({ secretKeyHex: world.secretKeyHex });
      expect(await jobs.batch(saved.recompute.batch)).toBe(8);
      expect(saved.recompute.periods.map((p) => `${p.kind}:${p.start}`)).toEqual([
        'day:2026-11-20', 'week:2026-11-16', 'month:2026-11-01', 'quarter:2026-10-01', 'year:2026-01-01',
        'report_month:2026-11-15', 'report_quarter:2026-09-15', 'report_year:2025-12-15'
      ]);

      const history = await schemeHistory(db.sql, v1.key);
      expect(history.map((s) => [s.version, s.active])).toEqual([[2, true], [1, false]]);
      const [v2, old] = history as [typeof v1, typeof v1];
      expect(v2.id).toBe(saved.scheme.id);
      expect(v2.bands).toEqual(bands);
      expect(v2.note).toBe('Tăng trọng số hồ sơ đúng hạn theo chỉ đạo tháng 11');
      expect(v2.createdBy).toBe('root-admin');
      const points = (s: typeof v1) => Object.fromEntries(s.indicators.map((i) => [i.key, [i.maxPoints, i.saturation]]));
      expect(points(v2)).toEqual({ ...points(v1), 'dossier.on_time': [25, 1], 'task.on_time': [0, 0.9] });
      // Version 1 is untouched: its indicators and bands as they were.
      expect(old.indicators).toEqual(v1.indicators);
      expect(old.bands).toEqual(v1.bands);
      expect((await readActiveScheme(db.sql))!.id).toBe(v2.id);

      // This month's and today's boards use version 2; an older day keeps version 1.
      const schemeOf = async (kind: string, start: string) =>
        (await db.sql<{ scheme_id: number }[]>`select distinct scheme_id from rankings where scheme_key = 'operations' and period_kind = ${kind} and period_start = ${start}`).map((r) => r.scheme_id);
      expect(await schemeOf('month', '2026-11-01')).toEqual([v2.id]);
      expect(await schemeOf('day', '2026-11-20')).toEqual([v2.id]);
      expect(await schemeOf('day', '2026-11-18')).toEqual([v1.id]);
      // The month board's points follow the new weights.
      const [row] = await db.sql<{ indicators: Record<string, { points: number | null; ratio: number | null }> }[]>`
        select r.indicators from rankings r join units s on s.id = r.scope_unit_id
        where s.gso_code = '01' and r.scheme_key = 'operations' and r.period_kind = 'month' and r.period_start = '2026-11-01' and r.rank = 1`;
      const onTime = row!.indicators['dossier.on_time']!;
      expect(onTime.points).toBeCloseTo(25 * Math.min(1, onTime.ratio!), 2);
      expect([0, null]).toContain(row!.indicators['task.on_time']!.points);
    });

    it('a save based on an older version is refused, and nothing changes without a change', async () => {
      const active = (await readActiveScheme(db.sql))!;
      const stale = await saveSchemeVersion(db.sql, { baseSchemeId: active.id - 1, indicators: {}, bands: [{ name: 'A', min: 10 }, { name: 'B', min: 0 }], note: 'x' }, admin, { now: NOW, jobs: jobs.boss });
      expect(stale.ok === false && stale.errors.form).toMatch(/Tải lại/);
      const same = await saveSchemeVersion(db.sql, { baseSchemeId: active.id, indicators: {}, bands: active.bands, note: 'không đổi gì' }, admin, { now: NOW, jobs: jobs.boss });
      expect(same.ok === false && same.errors.form).toMatch(/Không có thay đổi/);
      expect((await readActiveScheme(db.sql))!.id).toBe(active.id);
    });
  });

  describe('audit log', () => {
    it('records every change, newest first, filtered by entity, with no password, token or hash in it', async () => {
      const all = await readAuditLog(db.sql, { page: 1 });
      const actions = all.rows.map((r) => `${r.entity}:${r.action}`);
      for (const expected of [
        'user:create', 'user:update', 'user:disable', 'user:enable', 'user:reset_password',
        'display_token:create', 'display_token:revoke', 'scheme:create_version'
      ]) expect(actions).toContain(expected);
      expect(all.rows.every((r) => r.actorName === 'root-admin')).toBe(true);
      const times = all.rows.map((r) => r.at);
      expect(times).toEqual([...times].sort().reverse());
      expect(all.rows[0]!.atText).toMatch(/^\d{2}:\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$|^\d{2}\/\d{2}\/\d{4},? \d{2}:\d{2}:\d{2}$/);

      const tokens = await readAuditLog(db.sql, { entity: 'display_token' });
      expect(tokens.rows.length).toBeGreaterThanOrEqual(4);
      expect(tokens.rows.every((r) => r.entity === 'display_token')).toBe(true);
      const scheme = (await readAuditLog(db.sql, { entity: 'scheme' })).rows[0]!;
      expect(scheme.before).toMatchObject({ scheme: 'operations', version: 1, indicators: { 'dossier.on_time': { maxPoints: 20 } } });
      expect(scheme.after).toMatchObject({ scheme: 'operations', version: 2, indicators: { 'dossier.on_time': { maxPoints: 25 } } });

      // Every secret handed out or typed above: none is anywhere in the log, in any column.
      expect(secrets.length).toBeGreaterThanOrEqual(12);
      const rows = await db.sql<{ text: string }[]>`select row_to_json(a)::text as text from audit_log a`;
      const text = rows.map((r) => r.text).join('\n');
      for (const secret of secrets) expect(text.includes(secret), `a secret (${secret.slice(0, 6)}…) is in the audit log`).toBe(false);
      expect(text).not.toMatch(/argon2|password_hash|token_hash/);
    });

    it('pages by 50', async () => {
      for (let i = 0; i < 60; i++) {
        await db.sql`insert into audit_log (actor_name, action, entity, entity_id) values ('seed', 'update', 'unit', ${String(i)})`;
      }
      const first = await readAuditLog(db.sql, { page: 1, entity: 'unit' });
      const second = await readAuditLog(db.sql, { page: 2, entity: 'unit' });
      expect([first.rows.length, second.rows.length, first.total, first.pageCount]).toEqual([50, 10, 60, 2]);
      expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(60);
    });
  });
});
