/**
 * The targets' admin API over real HTTP (SvelteKit's handler, hooks and route rules) on the real
 * database: an API token sets, reads, changes and deletes a target; a bad field is named in words;
 * a second POST at the same place takes the new value rather than adding a row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApiToken, jsonCaller } from '../support/admin-token.ts';
import { startWeb } from '../support/web.ts';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

describe('the targets API', () => {
  let db: TestDb;
  let world: TestWorld;
  let web: Awaited<ReturnType<typeof startWeb>>;
  let token = '';
  useDemoWorld((h) => ({ db, world } = h));

  const call = jsonCaller(() => web.url, () => token);

  beforeAll(async () => {
    web = await startWeb({ DATABASE_URL: db.url, CITYOPS_SECRET_KEY: world.secretKeyHex });
    token = await adminApiToken(db.sql);
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });

  it('sets, reads, changes and deletes a target; names a bad field', async () => {
    const bad = await call('POST', '/api/v1/admin/targets', { indicatorKey: 'dossier.on_time', percent: 'nhiều' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields).toEqual({ percent: 'Chỉ tiêu: “nhiều” không phải một tỷ lệ phần trăm lớn hơn 0 và tối đa 100 (ví dụ 95 hoặc 95,5).' });

    const made = await call('POST', '/api/v1/admin/targets', { indicatorKey: 'dossier.on_time', percent: 95 });
    expect(made.status).toBe(201);
    const target = (await made.json()) as { id: number };
    expect(target).toMatchObject({ indicatorKey: 'dossier.on_time', unitCode: null, periodKind: null, periodStart: null, minRatio: 0.95 });
    // The same place again: the value changes, no second row.
    const again = await call('POST', '/api/v1/admin/targets', { indicatorKey: 'dossier.on_time', percent: '96,5' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: target.id, minRatio: 0.965 });

    const put = await call('PUT', `/api/v1/admin/targets/${target.id}`, { indicatorKey: 'dossier.on_time', scopeCode: '278', periodKind: 'month', periodDate: '2026-11-20', percent: 90 });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ id: target.id, unitCode: '278', periodKind: 'month', periodStart: '2026-11-01', minRatio: 0.9 });
    expect(((await (await call('GET', '/api/v1/admin/targets')).json()) as { targets: unknown[] }).targets).toHaveLength(1);

    expect((await call('DELETE', `/api/v1/admin/targets/${target.id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/admin/targets/${target.id}`)).status).toBe(404);
    const audit = await db.sql<{ action: string; actor: string }[]>`select action, actor_name as actor from audit_log where entity = 'target' order by id`;
    expect(audit).toEqual(['create', 'update', 'update', 'delete'].map((action) => ({ action, actor: 'api:ci' })));
  });
});
