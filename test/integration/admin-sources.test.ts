/**
 * Stored credentials go only to the host they were saved for: "test connection" and "save" with a
 * new host refuse to use the stored key, and a second HTTP listener (another port: another host to
 * a browser and to us) records whether the key reached it. Every test connection is audited.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSourceView, saveSource, sourceFormSchema, testSource, type SourceForm, type SourceView } from '../../src/lib/server/admin/sources.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { createUserIfMissing } from '#server/seed/users';
import { DEMO_KEYS } from '#server/seed/demo-keys';
import { today } from '#domain/periods';
import { freshDatabase } from '../support/db.ts';
import { demoWorld } from '../support/fixtures.ts';

describe('stored credentials go only to their host', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let other: Server;
  let otherUrl = '';
  const arrived: IncomingHttpHeaders[] = [];
  let admin: Principal;
  const ctx = () => ({ actor: admin, ip: '10.20.30.40' });

  /** The edit form of a stored source, as the browser posts it back (secret fields empty). */
  const formOf = (v: SourceView, changes: Record<string, string> = {}): SourceForm =>
    sourceFormSchema.parse({
      key: v.key, name: v.name, family: v.family, kind: v.kind, produces: v.produces, granularity: v.granularity, urlTemplate: v.urlTemplate,
      authKind: v.authKind, apiKeyHeader: 'x-api-key', mapping: v.mapping, timeoutMs: String(v.timeoutMs), trailingDays: String(v.trailingDays),
      dailyDeadline: v.dailyDeadline, scopeUnitCode: v.scopeUnitCode, enabled: v.enabled ? 'on' : '', priority: String(v.priority),
      // The fixture polls every second; the form asks for at least 5 s.
      intervalSeconds: '15', staleAfterSeconds: '60', ...changes
    });

  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql);
    // What the web process reads its key from (parsed once, on first use: before any call below).
    process.env.CITYOPS_SECRET_KEY = world.secretKeyHex;
    await createUserIfMissing(db.sql, { username: 'admin-it', displayName: 'Quản trị', password: 'a long password', role: 'admin' });
    const [u] = await db.sql<{ id: number }[]>`select id from users where username = 'admin-it'`;
    admin = { kind: 'user', sessionId: 's', user: { id: u!.id, username: 'admin-it', displayName: 'Quản trị', role: 'admin', unitCode: null, unitName: null } };
    other = createServer((req, res) => {
      arrived.push(req.headers);
      res.setHeader('content-type', 'application/json');
      // One commune's day, in the one-stop shop's shape: a test connection with something valid in it.
      const row = { maDonVi: '00001', ngay: today(), tiepNhan: 10, tiepNhanTrucTuyen: 8, daGiaiQuyet: 7, giaiQuyetDungHan: 6,
        dangGiaiQuyetTrongHan: 2, dangGiaiQuyetQuaHan: 1, soHoaThanhPhan: 5, coPhiLePhi: 4, thanhToanTrucTuyen: 2 };
      res.end(JSON.stringify({ duLieu: [row] }));
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/motcua/api/v1/thong-ke-ngay?tuNgay={from}&denNgay={to}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => other.close(resolve));
    await world.simulator.close();
    await db.drop();
  });

  it('test connection to a new host with the key left empty is refused, naming the key, and nothing reaches that host', async () => {
    const stored = (await readSourceView(db.sql, 'motcua'))!;
    const refused = await testSource(db.sql, formOf(stored, { urlTemplate: otherUrl }), 'motcua', ctx());
    expect(refused).toEqual({ errors: { apiKey: expect.stringMatching(/^apiKey: the URL now points to 127\.0\.0\.1:\d+ .*enter the API key again/) } });
    expect(arrived).toHaveLength(0);
    // Typed again for the new host, the test goes there, with what was typed.
    const typed = await testSource(db.sql, formOf(stored, { urlTemplate: otherUrl, apiKey: 'typed-for-the-new-host' }), 'motcua', ctx());
    expect(typed).toMatchObject({ ok: true, httpStatus: 200, read: 1, accepted: 9 });
    // The request as shown: the key typed for the new host is masked.
    expect('exchanges' in typed && typed.exchanges[0]!.request.headers['x-api-key']).toBe('••••');
    expect(JSON.stringify(typed)).not.toContain('typed-for-the-new-host');
    expect(arrived.map((h) => h['x-api-key'])).toEqual(['typed-for-the-new-host']);
    // The stored host, key left empty: the stored key is used there, as before.
    const same = await testSource(db.sql, formOf(stored), 'motcua', ctx());
    expect(same).toMatchObject({ ok: true, httpStatus: 200 });
    expect(JSON.stringify(arrived)).not.toContain(DEMO_KEYS.dossier);
  });

  it('saving a new host with the key left empty is refused and changes nothing; with the key typed, it saves', async () => {
    const stored = (await readSourceView(db.sql, 'motcua'))!;
    const refused = await saveSource(db.sql, formOf(stored, { urlTemplate: otherUrl }), { ...ctx(), existingKey: 'motcua' });
    expect(refused).toEqual({ errors: { apiKey: expect.stringMatching(/^apiKey: the URL now points to 127\.0\.0\.1:\d+ .*enter the API key again/) } });
    expect((await readSourceView(db.sql, 'motcua'))!.urlTemplate).toBe(stored.urlTemplate);
    // Another path on the same host keeps the stored key.
    const samePlace = await saveSource(db.sql, formOf(stored, { urlTemplate: stored.urlTemplate.replace('thong-ke-ngay', 'thong-ke-ngay-v2') }), { ...ctx(), existingKey: 'motcua' });
    expect(samePlace).toEqual({ key: 'motcua' });
    const saved = await saveSource(db.sql, formOf(stored, { urlTemplate: otherUrl, apiKey: 'typed-for-the-new-host' }), { ...ctx(), existingKey: 'motcua' });
    expect(saved).toEqual({ key: 'motcua' });
    expect((await readSourceView(db.sql, 'motcua'))!.urlTemplate).toBe(otherUrl);
  });

  it('keeps a source priority from the form, naming the field when it is wrong, and defaults it by kind', async () => {
    const stored = (await readSourceView(db.sql, 'vneid'))!;
    expect(stored.priority).toBe(100);
    expect((await readSourceView(db.sql, 'tai-len-hoso'))!.priority).toBe(10);
    const bad = sourceFormSchema.safeParse({ ...formOf(stored), enabled: 'on', priority: 'cao' });
    expect(bad.error?.issues.map((i) => [i.path[0], i.message])).toEqual([['priority', 'priority must be a number']]);
    expect(await saveSource(db.sql, formOf(stored, { priority: '120' }), { ...ctx(), existingKey: 'vneid' })).toEqual({ key: 'vneid' });
    expect((await readSourceView(db.sql, 'vneid'))!.priority).toBe(120);
    expect(await saveSource(db.sql, formOf(stored, { priority: '' }), { ...ctx(), existingKey: 'vneid' })).toEqual({ key: 'vneid' });
    expect((await readSourceView(db.sql, 'vneid'))!.priority).toBe(100);
  });

  it('audits every test connection: who, which source, which host, the outcome', async () => {
    const rows = await db.sql<{ actor_name: string; entity_id: string; ip: string; after: { host: string; outcome: string; error: string | null } }[]>`
      select actor_name, entity_id, ip, after from audit_log where action = 'test_connection' order by id`;
    expect(rows.map((r) => ({ who: r.actor_name, source: r.entity_id, ip: r.ip, host: r.after.host, outcome: r.after.outcome }))).toEqual([
      { who: 'admin-it', source: 'motcua', ip: '10.20.30.40', host: expect.stringMatching(/^127\.0\.0\.1:\d+$/), outcome: 'refused' },
      { who: 'admin-it', source: 'motcua', ip: '10.20.30.40', host: expect.stringMatching(/^127\.0\.0\.1:\d+$/), outcome: 'ok' },
      { who: 'admin-it', source: 'motcua', ip: '10.20.30.40', host: expect.stringMatching(/^127\.0\.0\.1:\d+$/), outcome: 'ok' }
    ]);
    expect(rows[0]!.after.error).toMatch(/enter the API key again/);
    expect(JSON.stringify(rows)).not.toContain('typed-for-the-new-host');
  });
});
