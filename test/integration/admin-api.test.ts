/**
 * The JSON admin API over real HTTP (SvelteKit's handler, hooks and all) on the real database:
 * an administrator's API token creates, updates, tests, enables and polls a source; a revoked
 * token is refused (401, in words); a session without the admin role is refused (403); the
 * OpenAPI document is served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../../src/lib/server/admin/api-tokens.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { createUserIfMissing } from '#server/seed/users';
import { DEMO_KEYS } from '#server/seed/demo-keys';
import { POLL_QUEUE, SOURCE_BACKFILL_QUEUE } from '#server/jobs/queues';
import { addDays, today } from '../../src/lib/domain/periods.ts';
import { sessionCookie } from '../support/fixtures.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';
import { startWeb } from '../support/web.ts';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

describe('the admin API with an API token', () => {
  let db: TestDb;
  let world: TestWorld;
  let web: Awaited<ReturnType<typeof startWeb>>;
  let jobs: TestJobs;
  let admin: Extract<Principal, { kind: 'user' }>;
  let token = '';
  useDemoWorld((h) => ({ db, world } = h));

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${web.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body)
    });

  beforeAll(async () => {
    web = await startWeb({ DATABASE_URL: db.url, CITYOPS_SECRET_KEY: world.secretKeyHex });
    jobs = await testJobs(db, 'pgboss');
    await jobs.work({ secretKeyHex: world.secretKeyHex });
    await createUserIfMissing(db.sql, { username: 'quantri', displayName: 'Quản trị', password: 'a long password', role: 'admin' });
    const [u] = await db.sql<{ id: number }[]>`select id from users where username = 'quantri'`;
    admin = { kind: 'user', sessionId: 's', user: { id: u!.id, username: 'quantri', displayName: 'Quản trị', role: 'admin', unitCode: null, unitName: null } };
    const created = await createApiToken(db.sql, { name: 'ci-pipeline' }, admin);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    token = created.token;
  }, 120_000);
  afterAll(async () => {
    await web?.close();
    await jobs?.stop();
  });

  it('lists the sources with their health, and gets one without its credentials', async () => {
    const list = await call('GET', '/api/v1/admin/sources');
    expect(list.status).toBe(200);
    const { sources } = (await list.json()) as { sources: { key: string; status: string }[] };
    expect(sources.map((s) => s.key)).toEqual(expect.arrayContaining(['motcua', 'vneid', 'ansinh', 'qlvb']));
    const one = await call('GET', '/api/v1/admin/sources/motcua');
    expect(one.status).toBe(200);
    const text = await one.text();
    expect(JSON.parse(text)).toMatchObject({ key: 'motcua', authKind: 'api_key', hasCredentials: true });
    expect(text).not.toContain(DEMO_KEYS.dossier);
    const missing = await call('GET', '/api/v1/admin/sources/khong-co');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Không có nguồn dữ liệu khong-co.', fields: {} });
  });

  /** A copy of the one-stop shop for Huyện Thanh Oai only, at its own priority (beside the citywide source, not over it). */
  const thanhOai = async () => {
    const motcua = (await (await call('GET', '/api/v1/admin/sources/motcua')).json()) as Record<string, unknown>;
    return {
      key: 'motcua-thanh-oai', name: 'Một cửa Thanh Oai (API)', family: 'dossier', kind: 'json_http', produces: 'samples', granularity: 'day',
      urlTemplate: motcua.urlTemplate, authKind: 'api_key', apiKeyHeader: 'x-api-key', apiKey: DEMO_KEYS.dossier, mapping: motcua.mapping,
      intervalSeconds: 600, timeoutMs: 10_000, staleAfterSeconds: 3600, trailingDays: 3, dailyDeadline: '', scopeUnitCode: '278',
      priority: 50, enabled: false
    };
  };

  it('creates a source (201, credentials sealed and never returned), refusing a bad field, a taken key and a body that is not JSON', async () => {
    const body = await thanhOai();
    const bad = await call('POST', '/api/v1/admin/sources', { ...body, key: 'X', intervalSeconds: 1 });
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { error: string; fields: Record<string, string> };
    expect(Object.keys(badBody.fields).sort()).toEqual(['intervalSeconds', 'key']);
    expect(badBody.error).toBe('Dữ liệu không hợp lệ ở key, intervalSeconds.');
    const english = await call('POST', '/api/v1/admin/sources', { ...body, key: 'X' }, { 'accept-language': 'en-GB,en;q=0.9,vi;q=0.5' });
    expect(((await english.json()) as { error: string }).error).toBe('Invalid input in key.');
    const notJson = await fetch(`${web.url}/api/v1/admin/sources`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"key":' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'Nội dung yêu cầu phải là một đối tượng JSON.', fields: {} });
    const taken = await call('POST', '/api/v1/admin/sources', { ...body, key: 'motcua' });
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { fields: Record<string, string> }).fields).toHaveProperty('key');

    const created = await call('POST', '/api/v1/admin/sources', body);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/v1/admin/sources/motcua-thanh-oai');
    const text = await created.text();
    expect(text).not.toContain(DEMO_KEYS.dossier);
    expect(JSON.parse(text)).toMatchObject({ key: 'motcua-thanh-oai', hasCredentials: true, enabled: false, priority: 50, scopeUnitCode: '278', intervalSeconds: 600 });
    const [row] = await db.sql<{ sealed: string }[]>`select credentials_sealed as sealed from data_sources where key = 'motcua-thanh-oai'`;
    expect(row!.sealed).toMatch(/^v1\./);
    // Audited under the token's name.
    const [audit] = await db.sql<{ actor_name: string }[]>`select actor_name from audit_log where action = 'create' and entity = 'source' and entity_id = 'motcua-thanh-oai'`;
    expect(audit!.actor_name).toBe('api:ci-pipeline');
  });

  it('updates with PATCH (only the fields given) and PUT (the whole source), credentials left out kept', async () => {
    const patched = await call('PATCH', '/api/v1/admin/sources/motcua-thanh-oai', { name: 'Một cửa Huyện Thanh Oai', timeoutMs: '12000' });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ name: 'Một cửa Huyện Thanh Oai', timeoutMs: 12000, intervalSeconds: 600, hasCredentials: true, priority: 50 });
    const { apiKey: _key, ...withoutKey } = await thanhOai();
    const put = await call('PUT', '/api/v1/admin/sources/motcua-thanh-oai', { ...withoutKey, name: 'Một cửa Thanh Oai', intervalSeconds: 900 });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ name: 'Một cửa Thanh Oai', intervalSeconds: 900, timeoutMs: 10_000, hasCredentials: true });
    const [audits] = await db.sql<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'update' and entity_id = 'motcua-thanh-oai' and actor_name = 'api:ci-pipeline'`;
    expect(audits!.n).toBe(2);
    const refused = await call('PATCH', '/api/v1/admin/sources/motcua-thanh-oai', { scopeUnitCode: '99999' });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { fields: Record<string, string> }).fields).toHaveProperty('scopeUnitCode');
    expect((await call('PATCH', '/api/v1/admin/sources/khong-co', { name: 'x' })).status).toBe(404);
  });

  it('tests the connection with the saved credentials and returns the report as JSON, storing nothing', async () => {
    const [before] = await db.sql<{ n: number }[]>`select count(*)::int as n from samples`;
    const res = await call('POST', '/api/v1/admin/sources/motcua-thanh-oai/test');
    expect(res.status).toBe(200);
    const report = (await res.json()) as { ok: boolean; accepted: number; samples: { unitCode: string }[]; rejectedCount: number; skipped: number };
    expect(report.ok).toBe(true);
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.samples.length).toBeGreaterThan(0);
    // The citywide body's other districts are outside the source's scope (Thanh Oai): skipped and counted, not rejected.
    expect(report.rejectedCount).toBe(0);
    expect(report.skipped).toBeGreaterThan(0);
    const [after] = await db.sql<{ n: number }[]>`select count(*)::int as n from samples`;
    expect(after!.n).toBe(before!.n);
    // With a field changed for the test only (a wrong key): the report says it failed, in words.
    const wrong = (await (await call('POST', '/api/v1/admin/sources/motcua-thanh-oai/test', { apiKey: 'sai-khoa' })).json()) as { ok: boolean; error: string };
    expect(wrong.ok).toBe(false);
    expect(wrong.error).toMatch(/401|403/);
  });

  it('enables the source and polls it now: 202 with the job, whose progress is readable until it is done', async () => {
    const enabled = await call('POST', '/api/v1/admin/sources/motcua-thanh-oai/enable');
    expect(enabled.status).toBe(200);
    expect(await enabled.json()).toMatchObject({ key: 'motcua-thanh-oai', enabled: true });
    const polled = await call('POST', '/api/v1/admin/sources/motcua-thanh-oai/poll');
    expect(polled.status).toBe(202);
    const { jobId, status } = (await polled.json()) as { jobId: string; status: string };
    expect(status).toBe(`/api/v1/admin/jobs/poll/${jobId}`);
    const first = await call('GET', status);
    expect(first.status).toBe(200);
    expect(['queued', 'running', 'done']).toContain(((await first.json()) as { state: string }).state);
    await jobs.settled(POLL_QUEUE, jobId);
    const done = (await (await call('GET', status)).json()) as { state: string; poll: { outcome: string; accepted: number } };
    expect(done.state).toBe('done');
    // Rows of the other districts are outside the source's scope: skipped, the Thanh Oai ones stored.
    expect(done.poll.outcome).toBe('success');
    expect(done.poll.accepted).toBeGreaterThan(0);
    expect((await call('GET', '/api/v1/admin/jobs/poll/00000000-0000-4000-8000-000000000000')).status).toBe(404);

    const disabled = await call('POST', '/api/v1/admin/sources/motcua-thanh-oai/disable');
    expect(await disabled.json()).toMatchObject({ enabled: false });
    const refused = await call('POST', '/api/v1/admin/sources/motcua-thanh-oai/poll');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/đang tắt/);
  });

  it('backfills 400 days of a source through the API, with its progress window by window', async () => {
    const to = today();
    const from = addDays(to, -399);
    const refused = await call('POST', '/api/v1/admin/sources/ansinh/backfill', { from: to, to: addDays(to, 1) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { fields: Record<string, string> }).fields).toHaveProperty('to');
    expect((await call('POST', '/api/v1/admin/sources/khong-co/backfill', { from, to })).status).toBe(404);

    const started = Date.now();
    const res = await call('POST', '/api/v1/admin/sources/ansinh/backfill', { from, to });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as { jobId: string; windows: number; status: string };
    expect(queued.status).toBe(`/api/v1/admin/jobs/backfill/${queued.jobId}`);
    expect(queued.windows).toBeGreaterThanOrEqual(2);
    await jobs.settled(SOURCE_BACKFILL_QUEUE, queued.jobId);
    const seconds = (Date.now() - started) / 1000;
    const progress = (await (await call('GET', queued.status)).json()) as {
      state: string; done: number; total: number; backfill: { windows: { state: string; accepted: number }[]; samples: number; failed: number; from: string; to: string };
    };
    expect(progress).toMatchObject({ state: 'done', done: queued.windows, total: queued.windows });
    expect(progress.backfill).toMatchObject({ from, to, failed: 0 });
    expect(progress.backfill.windows).toHaveLength(queued.windows);
    expect(progress.backfill.windows.every((w) => w.state === 'done' && w.accepted > 0)).toBe(true);
    expect(progress.backfill.samples).toBe(progress.backfill.windows.reduce((n, w) => n + w.accepted, 0));
    console.info(`backfill through the API: ansinh ${from} → ${to}, ${queued.windows} windows, ${progress.backfill.samples} samples, ${seconds.toFixed(1)} s`);
    const [audit] = await db.sql<{ actor_name: string }[]>`select actor_name from audit_log where action = 'backfill' and entity_id = 'ansinh'`;
    expect(audit!.actor_name).toBe('api:ci-pipeline');
  }, 300_000);

  it('audits every use of the token under its name, and needs no origin check for it', async () => {
    const [before] = await db.sql<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'api_request' and actor_name = 'api:ci-pipeline'`;
    // A program holding the token, whatever Origin it sends: not a browser's cross-site request.
    const res = await call('PATCH', '/api/v1/admin/sources/motcua-thanh-oai', { name: 'Một cửa Thanh Oai' }, { origin: 'https://elsewhere.example' });
    expect(res.status).toBe(200);
    const rows = await db.sql<{ after: { method: string; path: string; status: number } }[]>`
      select after from audit_log where action = 'api_request' and actor_name = 'api:ci-pipeline' order by id desc limit 1`;
    expect(rows[0]!.after).toEqual({ method: 'PATCH', path: '/api/v1/admin/sources/motcua-thanh-oai', status: 200 });
    const [after] = await db.sql<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'api_request' and actor_name = 'api:ci-pipeline'`;
    expect(after!.n).toBe(before!.n + 1);
    const [t] = await db.sql<{ last_used_at: Date | null }[]>`select last_used_at from api_tokens where name = 'ci-pipeline'`;
    expect(t!.last_used_at).not.toBeNull();
    // The token is an administrator on the admin API only.
    const elsewhere = await call('GET', '/api/v1/rankings?scope=01');
    expect(elsewhere.status).toBe(403);
    expect(((await elsewhere.json()) as { error: string }).error).toBe('Mã API chỉ dùng được cho API quản trị /api/v1/admin/.');
  });

  it('refuses a session without the admin role (403) and nobody (401), in words; an admin session keeps the origin check', async () => {
    const leader = await sessionCookie(db.sql, { username: 'lanhdao', role: 'leader' });
    const asLeader = await fetch(`${web.url}/api/v1/admin/sources`, { headers: { cookie: leader } });
    expect(asLeader.status).toBe(403);
    expect(await asLeader.json()).toEqual({ error: 'Chỉ quản trị viên được dùng API quản trị.', fields: {} });
    const create = await fetch(`${web.url}/api/v1/admin/sources`, { method: 'POST', headers: { cookie: leader, 'content-type': 'application/json' }, body: JSON.stringify(await thanhOai()) });
    expect(create.status).toBe(403);
    const nobody = await fetch(`${web.url}/api/v1/admin/sources`, { headers: { 'accept-language': 'en' } });
    expect(nobody.status).toBe(401);
    expect(((await nobody.json()) as { error: string }).error).toBe('Sign in, or send an API token in the header Authorization: Bearer <token>.');

    const adminCookie = await sessionCookie(db.sql, { username: 'quantri2', role: 'admin' });
    expect((await fetch(`${web.url}/api/v1/admin/sources/motcua`, { headers: { cookie: adminCookie } })).status).toBe(200);
    const crossSite = await fetch(`${web.url}/api/v1/admin/sources/motcua/disable`, { method: 'POST', headers: { cookie: adminCookie, origin: 'https://elsewhere.example' } });
    expect(crossSite.status).toBe(403);
    const sameSite = await fetch(`${web.url}/api/v1/admin/sources/vneid`, { method: 'PATCH', headers: { cookie: adminCookie, origin: web.url, 'content-type': 'application/json' }, body: '{"trailingDays": 4, "intervalSeconds": 15, "staleAfterSeconds": 60}' });
    expect(sameSite.status).toBe(200);
    const [audit] = await db.sql<{ actor_name: string }[]>`select actor_name from audit_log where action = 'update' and entity_id = 'vneid' order by id desc limit 1`;
    expect(audit!.actor_name).toBe('quantri2');
  });

  it('refuses a revoked token at once with 401 and words, in the caller’s language', async () => {
    const second = await createApiToken(db.sql, { name: 'tam-thoi' }, admin);
    if (!second.ok) throw new Error('not created');
    const use = (headers: Record<string, string> = {}) => fetch(`${web.url}/api/v1/admin/sources`, { headers: { authorization: `Bearer ${second.token}`, ...headers } });
    expect((await use()).status).toBe(200);
    expect(await revokeApiToken(db.sql, { id: second.id }, admin)).toEqual({ ok: true, alreadyRevoked: false });
    const refused = await use();
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'Mã API này đã bị thu hồi: hãy nhờ quản trị viên tạo mã mới.', fields: {} });
    expect(((await (await use({ 'accept-language': 'en' })).json()) as { error: string }).error).toBe('This API token has been revoked: ask an administrator for a new one.');
    const unknown = await fetch(`${web.url}/api/v1/admin/sources`, { headers: { authorization: 'Bearer cop_khong-phai-ma-that' } });
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: string }).error).toBe('Mã API không đúng.');
    // The other token still works: revoking one touches no other.
    expect((await call('GET', '/api/v1/admin/sources')).status).toBe(200);
  });

  it('serves the OpenAPI 3.1 document of every admin route, with the bearer scheme', async () => {
    const res = await fetch(`${web.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, object>; components: { securitySchemes: Record<string, { scheme?: string }> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/admin/sources', '/api/v1/admin/sources/{key}', '/api/v1/admin/sources/{key}/poll']));
    expect(doc.components.securitySchemes.bearerToken!.scheme).toBe('bearer');
  });
});
