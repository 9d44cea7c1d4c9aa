/**
 * The alerts over real HTTP (SvelteKit's handler, hooks and route rules) on the real database: the
 * admin API's rules (an API token creates, reads, replaces and deletes one; a bad field is named in
 * words), and GET /api/v1/alerts as each person sees it (an officer their own subtree only; nobody
 * signed in: refused).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '#server/alerts/evaluate';
import { sessionCookie } from '../support/fixtures.ts';
import { adminApiToken, jsonCaller } from '../support/admin-token.ts';
import { startWeb } from '../support/web.ts';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

describe('the alerts API', () => {
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

  it('creates, reads, replaces and deletes a rule; names a bad field; keeps the webhook secret out of every answer', async () => {
    const bad = await call('POST', '/api/v1/admin/alerts', { name: '', kind: 'rank_drop', periodKind: 'month', places: 0, roles: ['admin'], inApp: true });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields).toEqual({ name: 'Tên quy tắc: không được để trống.', places: 'Số bậc tụt tối thiểu: phải là số nguyên từ 1 đến 1.000.' });
    const made = await call('POST', '/api/v1/admin/alerts', {
      name: 'Tụt 5 bậc', kind: 'rank_drop', periodKind: 'report_month', places: 5, roles: ['leader', 'officer'], inApp: true,
      webhookUrl: 'http://127.0.0.1:9/hook', webhookSecret: 'mot-khoa-bi-mat-dai-du'
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: number };
    const got = await call('GET', `/api/v1/admin/alerts/${id}`);
    const text = await got.text();
    expect(JSON.parse(text)).toMatchObject({ id, name: 'Tụt 5 bậc', kind: 'rank_drop', periodKind: 'report_month', params: { places: 5 }, roles: ['leader', 'officer'], webhookUrl: 'http://127.0.0.1:9/hook', enabled: true });
    expect(text).not.toContain('mot-khoa-bi-mat');
    const [sealed] = await db.sql<{ s: string }[]>`select webhook_secret_sealed as s from alert_rules where id = ${id}`;
    expect(sealed!.s).toMatch(/\S{20,}/);
    expect(sealed!.s).not.toContain('mot-khoa');
    // Replaced without the secret: the saved one is kept for the same address.
    const put = await call('PUT', `/api/v1/admin/alerts/${id}`, { name: 'Tụt 7 bậc', kind: 'rank_drop', periodKind: 'report_month', places: 7, roles: ['leader'], inApp: true, webhookUrl: 'http://127.0.0.1:9/hook' });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ name: 'Tụt 7 bậc', params: { places: 7 }, roles: ['leader'] });
    const [kept] = await db.sql<{ s: string }[]>`select webhook_secret_sealed as s from alert_rules where id = ${id}`;
    expect(kept!.s).toBe(sealed!.s);
    // A new address needs its own secret.
    const moved = await call('PUT', `/api/v1/admin/alerts/${id}`, { name: 'Tụt 7 bậc', kind: 'rank_drop', periodKind: 'report_month', places: 7, roles: ['leader'], inApp: true, webhookUrl: 'http://127.0.0.1:9/khac' });
    expect(moved.status).toBe(400);
    expect((await moved.json()).fields).toEqual({ webhookSecret: 'Khoá ký webhook: cần ít nhất 16 ký tự.' });
    expect((await call('GET', '/api/v1/admin/alerts')).status).toBe(200);
    expect((await call('DELETE', `/api/v1/admin/alerts/${id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/admin/alerts/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/admin/alerts/${id}`)).status).toBe(404);
    const audit = await db.sql<{ action: string }[]>`select action from audit_log where entity = 'alert_rule' order by id`;
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
  });

  it('"below its target": kind below_target (or below_threshold compared with the targets), no threshold; a bad comparison or indicator named in words', async () => {
    const made = await call('POST', '/api/v1/admin/alerts', { name: 'Đúng hạn dưới chỉ tiêu', kind: 'below_target', indicator: 'dossier.on_time', periodKind: 'month', roles: ['admin'], inApp: true });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: number };
    const got = await (await call('GET', `/api/v1/admin/alerts/${id}`)).json();
    expect(got).toMatchObject({ kind: 'below_threshold', periodKind: 'month', params: { indicator: 'dossier.on_time', compare: 'target' } });
    expect(got.params).not.toHaveProperty('threshold');
    // The same rule said the other way, for every indicator that has a target.
    const other = await call('POST', '/api/v1/admin/alerts', { name: 'Mọi chỉ tiêu', kind: 'below_threshold', compare: 'target', periodKind: 'report_month', roles: ['leader'], inApp: true });
    expect(other.status).toBe(201);
    const otherId = ((await other.json()) as { id: number }).id;
    expect(await (await call('GET', `/api/v1/admin/alerts/${otherId}`)).json()).toMatchObject({ kind: 'below_threshold', params: { indicator: null, compare: 'target' } });
    const bad = await call('POST', '/api/v1/admin/alerts', { name: 'x', kind: 'below_threshold', compare: 'muc-tieu', periodKind: 'month', threshold: 50, roles: ['admin'], inApp: true });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields).toEqual({ compare: 'So sánh với: “muc-tieu” không hợp lệ; dùng threshold (ngưỡng) hoặc target (chỉ tiêu).' });
    const noIndicator = await call('POST', '/api/v1/admin/alerts', { name: 'x', kind: 'below_target', indicator: 'khong.co', periodKind: 'month', roles: ['admin'], inApp: true });
    expect((await noIndicator.json()).fields).toEqual({ indicator: 'Chỉ số: không có chỉ số khong.co.' });
    for (const r of [id, otherId]) expect((await call('DELETE', `/api/v1/admin/alerts/${r}`)).status).toBe(204);
  });

  it('GET /api/v1/alerts: every alert for a leader, an officer’s own subtree only, filtered by unit and days; refused to nobody', async () => {
    // A source rule on a source scoped to one district (Thanh Oai, 278), and one with no scope: both stale.
    const [thanhOai] = await db.sql<{ id: number }[]>`select id from units where gso_code = '278'`;
    await db.sql`update data_sources set scope_unit_id = ${thanhOai!.id} where key = 'motcua'`;
    await db.sql`insert into source_health (source_id, last_poll_at, last_outcome) select id, now(), 'failed' from data_sources where key in ('motcua', 'vneid')`;
    const token2 = await call('POST', '/api/v1/admin/alerts', { name: 'Nguồn cũ', kind: 'source_stale', roles: ['leader', 'officer'], inApp: true });
    expect(token2.status).toBe(201);
    const raised = await evaluateAlerts(db.sql);
    expect(raised.raised).toHaveLength(2);
    const leader = await sessionCookie(db.sql, { username: 'lanh-dao', role: 'leader' });
    const officer278 = await sessionCookie(db.sql, { username: 'can-bo-278', role: 'officer', unitCode: '278' });
    const officer001 = await sessionCookie(db.sql, { username: 'can-bo-001', role: 'officer', unitCode: '001' });
    const list = async (cookie: string, query = '') => {
      const r = await call('GET', `/api/v1/alerts${query}`, undefined, { cookie });
      expect(r.status).toBe(200);
      return ((await r.json()) as { alerts: { title: string; source: { key: string } | null; link: string }[] }).alerts;
    };
    expect((await list(leader)).map((a) => a.source?.key).sort()).toEqual(['motcua', 'vneid']);
    const own = await list(officer278);
    expect(own.map((a) => a.source?.key)).toEqual(['motcua']);
    expect(own[0]!.link).toBe('/admin/sources/motcua');
    expect(await list(officer001)).toEqual([]);
    expect((await list(leader, '?unit=278')).map((a) => a.source?.key)).toEqual(['motcua']);
    expect(await list(leader, '?from=2000-01-01&to=2000-01-31')).toEqual([]);
    const wrong = await call('GET', '/api/v1/alerts?from=2026-12-05&to=2026-12-01', undefined, { cookie: leader });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('to: must not be before from');
    const nobody = await call('GET', '/api/v1/alerts', undefined, {});
    expect(nobody.status).toBe(401);
  });

  it('pages the notification centre: 50 a page, the unread count of them all, a page past the last shows the last', async () => {
    const cookie = await sessionCookie(db.sql, { username: 'lanh-dao-trang', role: 'leader' });
    const [rule] = await db.sql<{ id: number }[]>`
      insert into alert_rules (name, kind, period_kind, params, notify_roles) values ('Nhiều cảnh báo (trang)', 'rank_drop', 'month', '{"places": 1}', '{leader}') returning id`;
    await db.sql`
      with a as (
        insert into alerts (rule_id, condition_key, kind, title, body, link, raised_at, cleared_at)
        select ${rule!.id}, 'trang-' || i, 'rank_drop', 'Cảnh báo số ' || i, 'Nội dung ' || i, '/', now() - make_interval(mins => i), now()
        from generate_series(1, 120) i returning id)
      insert into alert_notifications (alert_id, user_id) select a.id, u.id from a, users u where u.username = 'lanh-dao-trang'`;
    const page = async (n: number | null) => (await fetch(`${web.url}/alerts${n === null ? '' : `?page=${n}`}`, { headers: { cookie } })).text();
    const count = (html: string, text: string) => html.split(text).length - 1;
    const first = await page(null);
    // Said above the list and under it.
    expect(count(first, 'Trang 1/3 · 120 cảnh báo')).toBe(2);
    expect(first).toContain('120 chưa đọc');
    expect(count(first, '>Đánh dấu đã đọc</button>')).toBe(50);
    // Newest first: the first page holds 1–50 minutes ago, the last 101–120.
    expect(first).toContain('Cảnh báo số 1<');
    expect(first).not.toContain('Cảnh báo số 51<');
    const last = await page(3);
    expect(count(last, '>Đánh dấu đã đọc</button>')).toBe(20);
    expect(last).toContain('Cảnh báo số 120<');
    expect(last).toContain('Trang 3/3 · 120 cảnh báo');
    expect(await page(9)).toContain('Trang 3/3 · 120 cảnh báo');
  });

  it('switches a rule off and on with PATCH, nothing else; refuses at save a webhook the egress policy forbids', async () => {
    const made = await call('POST', '/api/v1/admin/alerts', { name: 'Bật tắt', kind: 'band_drop', periodKind: 'month', roles: ['admin'], inApp: true });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: number };
    const off = await call('PATCH', `/api/v1/admin/alerts/${id}`, { enabled: false });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ id, name: 'Bật tắt', enabled: false, roles: ['admin'] });
    const [row] = await db.sql<{ enabled: boolean }[]>`select enabled from alert_rules where id = ${id}`;
    expect(row!.enabled).toBe(false);
    expect(await (await call('PATCH', `/api/v1/admin/alerts/${id}`, { enabled: true })).json()).toMatchObject({ enabled: true });
    const more = await call('PATCH', `/api/v1/admin/alerts/${id}`, { enabled: false, name: 'Đổi tên' });
    expect(more.status).toBe(400);
    expect((await more.json()).fields).toEqual({ name: 'PATCH đổi được mỗi enabled.' });
    const notBool = await call('PATCH', `/api/v1/admin/alerts/${id}`, { enabled: 'no' });
    expect((await notBool.json()).fields).toEqual({ enabled: 'phải là true hoặc false.' });
    expect((await call('PATCH', '/api/v1/admin/alerts/999999', { enabled: false })).status).toBe(404);

    // Cloud metadata is refused always; a private address unless SOURCE_ALLOWED_HOSTS allows it (the tests allow loopback only).
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.20.30.40/hook']) {
      const refused = await call('POST', '/api/v1/admin/alerts', { name: 'Cầu nối', kind: 'band_drop', periodKind: 'month', inApp: false, webhookUrl: url, webhookSecret: 'mot-khoa-bi-mat-dai-du' });
      expect(refused.status, url).toBe(400);
      expect((await refused.json()).fields.webhookUrl, url).toMatch(/^Địa chỉ webhook không được phép gọi tới — .*10\.20\.30\.40|^Địa chỉ webhook không được phép gọi tới — .*169\.254\.169\.254/);
    }
  });
});
