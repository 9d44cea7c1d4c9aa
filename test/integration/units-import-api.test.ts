/**
 * POST /api/v1/admin/units/import over real HTTP (SvelteKit's handler, hooks and all) on the real
 * database holding the old Hà Nội demo: a register alone and the national register with its merge
 * table, by an API token (multipart) and an administrator's session (JSON); the same files twice
 * change nothing; a bad field is named (400), a bad line refuses everything (422, by file and line,
 * in the caller's language); a leader is refused (403), nobody too (401). The recompute it queues
 * is followed at /api/v1/admin/jobs/recompute/{batch}.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/lib/server/admin/api-tokens.ts';
import { createUserIfMissing } from '#server/seed/users';
import { seedCatalogue } from '#server/seed/seed';
import { periodsFrom } from '../../src/lib/server/admin/units-reform.ts';
import { today } from '../../src/lib/domain/periods.ts';
import { newKeyHex } from '../../src/lib/server/secrets.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { freshDatabase } from '../support/db.ts';
import { sessionCookie } from '../support/fixtures.ts';
import { seedData, seedOldDemo } from '../support/old-demo.ts';
import { startWeb } from '../support/web.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';

const REGISTER = seedData('vietnam-2025.csv');
const MERGES = seedData('merge-2025.csv');
const csv = (text: string, name: string) => new File([text], name, { type: 'text/csv' });

describe('the units import API', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let web: Awaited<ReturnType<typeof startWeb>>;
  let token = '';
  let adminCookie = '';
  let jobs: TestJobs;
  beforeAll(async () => {
    db = await freshDatabase();
    // The queue's schema, as the workers install it (the web only sends to it); no worker runs the recomputes here.
    jobs = await testJobs(db, 'pgboss');
    await seedOldDemo(db.sql);
    await seedCatalogue(db.sql);
    web = await startWeb({ DATABASE_URL: db.url, CITYOPS_SECRET_KEY: newKeyHex() });
    await createUserIfMissing(db.sql, { username: 'quantri', displayName: 'Quản trị', password: 'a long password', role: 'admin' });
    const [u] = await db.sql<{ id: number }[]>`select id from users where username = 'quantri'`;
    const admin: Principal = { kind: 'user', sessionId: 's', user: { id: u!.id, username: 'quantri', displayName: 'Quản trị', role: 'admin', unitCode: null, unitName: null } };
    const created = await createApiToken(db.sql, { name: 'don-vi' }, admin);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    token = created.token;
    adminCookie = await sessionCookie(db.sql, { username: 'quantri2', role: 'admin' });
  }, 120_000);
  afterAll(async () => {
    await web?.close();
    await jobs?.stop();
    await db?.drop();
  });

  const multipart = (fields: Record<string, string | File>, headers: Record<string, string> = {}) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    return fetch(`${web.url}/api/v1/admin/units/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body });
  };
  const asJson = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${web.url}/api/v1/admin/units/import`, {
      method: 'POST', headers: { cookie: adminCookie, origin: web.url, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body)
    });

  it('takes a register alone by token (multipart): Đắk Lắk beside Hà Nội', async () => {
    const res = await multipart({ register: csv(seedData('daklak.csv'), 'daklak.csv') });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { kind: string; counts: { created: number }; recompute: { status: string; periods: number } };
    expect(body).toMatchObject({ ok: true, kind: 'register', counts: { created: 196 } });
    expect(body.recompute).toMatchObject({ periods: 8, status: expect.stringMatching(/^\/api\/v1\/admin\/jobs\/recompute\/[0-9a-f-]{36}$/) });
    const [audit] = await db.sql<{ actor_name: string }[]>`select actor_name from audit_log where action = 'import' and entity = 'unit' order by id desc limit 1`;
    expect(audit!.actor_name).toBe('api:don-vi');
  });

  it('names a bad field (400), and every bad line of the files (422), changing nothing', async () => {
    const before = await db.sql`select id, gso_code, parent_id, valid_from::text, valid_to::text from units order by id`;
    const badDay = await asJson({ register: REGISTER, merges: MERGES, effectiveFrom: '31/02/2025' });
    expect(badDay.status).toBe(400);
    expect(await badDay.json()).toEqual({
      error: 'Dữ liệu không hợp lệ ở effectiveFrom.',
      fields: { effectiveFrom: 'effectiveFrom: "31/02/2025" không phải là một ngày (dd/mm/yyyy, ví dụ 01/07/2025)' }
    });
    const undated = await multipart({ register: csv(REGISTER, 'vietnam-2025.csv'), merges: csv(MERGES, 'merge-2025.csv') }, { 'accept-language': 'en' });
    expect(undated.status).toBe(400);
    expect(((await undated.json()) as { fields: Record<string, string> }).fields).toEqual({ effectiveFrom: 'effectiveFrom: give the day the register takes effect (dd/mm/yyyy) with a merge table' });
    const noRegister = await asJson({ merges: MERGES, effectiveFrom: '01/07/2025' });
    expect(noRegister.status).toBe(400);
    expect(((await noRegister.json()) as { fields: Record<string, string> }).fields).toHaveProperty('register');
    const notJson = await fetch(`${web.url}/api/v1/admin/units/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"register":' });
    expect(notJson.status).toBe(400);

    const lines = MERGES.split('\n');
    lines[16] = lines[16]!.replace(/^\d+,/, '99999,');
    const refused = await multipart({ register: csv(REGISTER, 'vietnam-2025.csv'), merges: csv(lines.join('\n'), 'merge-2025.csv'), effectiveFrom: '01/07/2025' }, { 'accept-language': 'en' });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: string; fields: Record<string, string>; problems: { file: string; line: number; field: string; message: string }[] };
    expect(body.error).toBe('Not imported: 1 problems in the files; nothing changed.');
    expect(body.problems).toEqual([{
      file: 'merge-2025.csv', line: 17, field: 'merges',
      message: `merge-2025.csv line 17: new_gso_code 99999 (${lines[16]!.split(',')[1]}) is neither in the register vietnam-2025.csv nor a unit in force`
    }]);
    expect(body.fields.merges).toBe(body.problems[0]!.message);
    expect(await db.sql`select id, gso_code, parent_id, valid_from::text, valid_to::text from units order by id`).toEqual(before);
  });

  it('imports the national register with its merge table by token, followed at the job API; the same files by session (JSON) change nothing', async () => {
    const res = await multipart({ register: csv(REGISTER, 'vietnam-2025.csv'), merges: csv(MERGES, 'merge-2025.csv'), effectiveFrom: '01/07/2025' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { kind: string; counts: Record<string, unknown>; recompute: { batch: string; periods: number; status: string } };
    expect(body).toMatchObject({ ok: true, kind: 'reform', counts: { ended: 751, newVersions: 194, lineage: { created: 976 }, homeUnit: '01' } });
    const periods = periodsFrom('2025-07-01', today()).length;
    expect(body.recompute.periods).toBe(periods);
    const job = await fetch(`${web.url}${body.recompute.status}`, { headers: { authorization: `Bearer ${token}` } });
    expect(job.status).toBe(200);
    expect(await job.json()).toMatchObject({ kind: 'recompute', total: periods });

    const again = await asJson({ register: REGISTER, registerName: 'vietnam-2025.csv', merges: MERGES, mergesName: 'merge-2025.csv', effectiveFrom: '2025-07-01' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      kind: 'reform', counts: { created: 0, newVersions: 0, updated: 0, ended: 0, unchanged: 3356, lineage: { created: 0, unchanged: 976 } }, recompute: null
    });
  });

  it('refuses a leader (403) and nobody (401)', async () => {
    const leader = await sessionCookie(db.sql, { username: 'lanhdao', role: 'leader' });
    const asLeader = await fetch(`${web.url}/api/v1/admin/units/import`, { method: 'POST', headers: { cookie: leader, origin: web.url, 'content-type': 'application/json' }, body: JSON.stringify({ register: REGISTER }) });
    expect(asLeader.status).toBe(403);
    const nobody = await fetch(`${web.url}/api/v1/admin/units/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ register: REGISTER }) });
    expect(nobody.status).toBe(401);
  });
});
