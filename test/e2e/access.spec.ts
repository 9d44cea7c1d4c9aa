/**
 * The access matrix: every route, API endpoint, export and form action, tried as anonymous, a
 * wall screen's display token (scoped to Xã Thanh Oai, 10114), an officer of Xã Thanh Oai (their own
 * unit and another one), a leader and an administrator, against the whole running product.
 * Socket commands are checked the same way in test/integration/socket-auth.test.ts.
 */
import { readFileSync } from 'node:fs';
import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import postgres from 'postgres';
import { createHash, randomBytes } from 'node:crypto';
import { base, signIn } from './auth.ts';

type Who = 'anonymous' | 'display' | 'officer-thanh-oai' | 'leader' | 'admin';
const WHO: Who[] = ['anonymous', 'display', 'officer-thanh-oai', 'leader', 'admin'];
/** allow = 2xx (or the named status); the others are the refusals expected. */
type Expect = 'allow' | 'sign_in' | 'forbidden' | number;

interface Row {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: 'empty-file' | 'form';
  expect: Record<Who, Expect>;
}

const ALL = (e: Expect): Record<Who, Expect> => ({ anonymous: e, display: e, 'officer-thanh-oai': e, leader: e, admin: e });
const PEOPLE: Record<Who, Expect> = { anonymous: 'sign_in', display: 'forbidden', 'officer-thanh-oai': 'allow', leader: 'allow', admin: 'allow' };
const PEOPLE_AND_DISPLAY: Record<Who, Expect> = { ...PEOPLE, display: 'allow' };
const ADMIN: Record<Who, Expect> = { anonymous: 'sign_in', display: 'forbidden', 'officer-thanh-oai': 'forbidden', leader: 'forbidden', admin: 'allow' };

const ROWS: Row[] = [
  { name: 'overview page', method: 'GET', path: '/', expect: PEOPLE },
  { name: 'own commune page', method: 'GET', path: '/units/10114', expect: PEOPLE },
  { name: 'another commune page (board only for the officer)', method: 'GET', path: '/units/00004', expect: PEOPLE },
  { name: 'an ended district page (its last month)', method: 'GET', path: '/units/278', expect: PEOPLE },
  { name: 'own commune indicator drill-down', method: 'GET', path: '/units/10114/indicators/dossier.on_time?period=month', expect: PEOPLE },
  { name: 'another commune indicator drill-down (detail)', method: 'GET', path: '/units/00004/indicators/dossier.on_time', expect: { ...PEOPLE, 'officer-thanh-oai': 'forbidden' } },
  { name: 'own commune raw samples (detail)', method: 'GET', path: '/units/10114/indicators/dossier.on_time/samples', expect: PEOPLE },
  { name: 'another commune raw samples (detail)', method: 'GET', path: '/units/00004/indicators/dossier.on_time/samples', expect: { ...PEOPLE, 'officer-thanh-oai': 'forbidden' } },
  // A wall screen never lands on the sign-in page: without a token it says so (401) in its own screen; a
  // token for a commune (nothing under it to rank) says so too (400). An officer's wall is their city's.
  { name: 'wall screen', method: 'GET', path: '/wall', expect: { anonymous: 401, display: 400, 'officer-thanh-oai': 'allow', leader: 'allow', admin: 'allow' } },
  { name: "wall screen's token check", method: 'GET', path: '/wall/status', expect: ALL('allow') },
  // A signed-in person is sent on from the sign-in page (303); a wall screen may see it.
  { name: 'sign-in page', method: 'GET', path: '/login', expect: { anonymous: 'allow', display: 'allow', 'officer-thanh-oai': 303, leader: 303, admin: 303 } },
  { name: 'health check', method: 'GET', path: '/healthz', expect: ALL('allow') },
  { name: 'city board API', method: 'GET', path: '/api/v1/rankings?scope=01&period=month', expect: { ...PEOPLE_AND_DISPLAY, display: 'forbidden' } },
  { name: 'city board export (xlsx)', method: 'GET', path: '/api/v1/rankings?scope=01&period=month&format=xlsx', expect: { ...PEOPLE_AND_DISPLAY, display: 'forbidden' } },
  { name: 'another commune series export (csv)', method: 'GET', path: '/api/v1/series?unit=00004&format=csv', expect: { ...PEOPLE_AND_DISPLAY, display: 'forbidden', 'officer-thanh-oai': 'forbidden' } },
  { name: 'an ended district board API (its last month)', method: 'GET', path: '/api/v1/rankings?scope=278&period=month&date=2025-06-15', expect: PEOPLE },
  { name: 'own commune series (detail)', method: 'GET', path: '/api/v1/series?unit=10114', expect: PEOPLE_AND_DISPLAY },
  { name: 'another commune series (detail)', method: 'GET', path: '/api/v1/series?unit=00004', expect: { ...PEOPLE_AND_DISPLAY, display: 'forbidden', 'officer-thanh-oai': 'forbidden' } },
  { name: 'sources health API', method: 'GET', path: '/api/v1/sources/health', expect: PEOPLE_AND_DISPLAY },
  // The monthly briefing reads a unit's detail: an officer their own unit and below (a commune has none of its own: 404 in words).
  { name: 'city briefing print page', method: 'GET', path: '/briefings/print?scope=01&period=month', expect: { ...PEOPLE, 'officer-thanh-oai': 'forbidden' } },
  { name: 'city briefing (PDF)', method: 'GET', path: '/api/v1/briefings?scope=01&period=month', expect: { ...PEOPLE, 'officer-thanh-oai': 'forbidden' } },
  { name: 'own commune briefing (no units under it)', method: 'GET', path: '/api/v1/briefings?scope=10114&period=month', expect: { anonymous: 'sign_in', display: 'forbidden', 'officer-thanh-oai': 404, leader: 404, admin: 404 } },
  { name: 'upload template (export)', method: 'GET', path: '/api/v1/templates/dossier?format=xlsx', expect: PEOPLE },
  { name: 'upload a file', method: 'POST', path: '/api/v1/sources/tai-len-hoso/upload', body: 'empty-file', expect: { anonymous: 'sign_in', display: 'forbidden', 'officer-thanh-oai': 400, leader: 'forbidden', admin: 400 } },
  { name: '/metrics', method: 'GET', path: '/metrics', expect: ADMIN },
  { name: 'admin: sources', method: 'GET', path: '/admin/sources', expect: ADMIN },
  { name: 'admin: a source and its history', method: 'GET', path: '/admin/sources/motcua', expect: ADMIN },
  { name: 'admin: a poll run', method: 'GET', path: '/admin/sources/motcua/runs/:run', expect: ADMIN },
  { name: 'admin: new source', method: 'GET', path: '/admin/sources/new', expect: ADMIN },
  { name: 'admin: poll now (form action)', method: 'POST', path: '/admin/sources?/pollNow', body: 'form', expect: ADMIN },
  { name: 'admin: uploads awaiting approval', method: 'GET', path: '/admin/uploads', expect: ADMIN },
  { name: 'admin: approve an upload (form action)', method: 'POST', path: '/admin/uploads?/approve', body: 'form', expect: ADMIN },
  { name: "admin: a job's progress (JSON; no such job)", method: 'GET', path: '/admin/jobs/poll/00000000-0000-4000-8000-000000000000', expect: { ...ADMIN, admin: 404 } },
  { name: 'admin: units', method: 'GET', path: '/admin/units', expect: ADMIN },
  { name: 'admin: users', method: 'GET', path: '/admin/users', expect: ADMIN },
  { name: 'admin: display tokens', method: 'GET', path: '/admin/tokens', expect: ADMIN },
  { name: 'admin: schemes', method: 'GET', path: '/admin/schemes', expect: ADMIN },
  { name: 'admin: audit log', method: 'GET', path: '/admin/audit', expect: ADMIN }
];

const contexts = new Map<Who, APIRequestContext>();
let displayToken = '';
let runId = 0;

test.beforeAll(async () => {
  // A wall screen's token, issued straight into the product's database (the admin screen does the same).
  displayToken = randomBytes(32).toString('base64url');
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  // The first scheduled poll of motcua (every 2 s here) gives the poll run to open; nothing announces it across processes.
  for (let i = 0; i < 150 && !runId; i++) {
    const [run] = await sql<{ id: number }[]>`select r.id from poll_runs r join data_sources s on s.id = r.source_id where s.key = 'motcua' order by r.id limit 1`;
    if (run) runId = run.id;
    else await sql`select pg_sleep(0.2)`;
  }
  expect(runId, 'a poll run of motcua within 30 s').toBeGreaterThan(0);
  await sql`insert into display_tokens (name, token_hash, scope_unit_id, playlist)
            select 'e2e wall 10114', ${createHash('sha256').update(displayToken).digest('hex')}, id, '{"scenes":["board"],"dwellSeconds":30}'::jsonb
            from units where gso_code = '10114' and valid_to is null`;
  await sql.end();
  for (const who of WHO) {
    const ctx = await playwrightRequest.newContext({
      baseURL: base(),
      maxRedirects: 0,
      extraHTTPHeaders: { origin: base(), ...(who === 'display' ? { authorization: `Bearer ${displayToken}` } : {}) }
    });
    if (who !== 'anonymous' && who !== 'display') await signIn(ctx, who);
    contexts.set(who, ctx);
  }
});
test.afterAll(async () => {
  for (const ctx of contexts.values()) await ctx.dispose();
});

test(`every row of the access matrix holds (${ROWS.length} routes × ${WHO.length} callers)`, async () => {
  const failures: string[] = [];
  for (const row of ROWS) {
    for (const who of WHO) {
      const ctx = contexts.get(who)!;
      const options =
        row.body === 'empty-file'
          ? { multipart: { file: { name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) } } }
          : row.body === 'form'
            ? { form: { key: 'motcua' } }
            : {};
      const r = await ctx.fetch(row.path.replace(':run', String(runId)), { method: row.method, ...options });
      const status = r.status();
      const want = row.expect[who];
      const ok =
        want === 'allow' ? status >= 200 && status < 300
        : want === 'sign_in' ? (row.method === 'GET' && !row.path.startsWith('/api/') && row.path !== '/metrics' ? status === 303 && (r.headers().location ?? '').startsWith('/login?next=') : status === 401)
        : want === 'forbidden' ? status === 403
        : status === want;
      if (!ok) failures.push(`${row.name} (${row.method} ${row.path}) as ${who}: got ${status}, expected ${want}`);
    }
  }
  expect(failures).toEqual([]);
});

test("an officer sees another commune's board but not its detail", async () => {
  const officer = contexts.get('officer-thanh-oai')!;
  const other = await (await officer.get('/units/00004')).text();
  expect(other).toContain('data-detail="hidden"');
  const own = await (await officer.get('/units/10114')).text();
  expect(own).not.toContain('data-detail="hidden"');
  const leader = await (await contexts.get('leader')!.get('/units/00004')).text();
  expect(leader).not.toContain('data-detail="hidden"');
});

test('the public health check tells nothing about the sources to an anonymous caller', async () => {
  const anonymous = await (await contexts.get('anonymous')!.get('/healthz')).json();
  expect(anonymous.sources).toBeUndefined();
  const leader = await (await contexts.get('leader')!.get('/healthz')).json();
  expect(leader.sources.length).toBeGreaterThan(0);
});

test('a cross-site JSON call that changes state is refused', async () => {
  const ctx = await playwrightRequest.newContext({ baseURL: base(), extraHTTPHeaders: { origin: 'https://evil.example' } });
  const r = await ctx.post('/api/v1/auth/session', { data: { username: 'leader', password: 'demo' } });
  expect(r.status()).toBe(403);
  expect((await r.json()).message).toMatch(/Cross-site request refused/);
  await ctx.dispose();
});

test('no secret appears in any response to an administrator, nor in the product log', async () => {
  const admin = contexts.get('admin')!;
  const secrets = ['demo-motcua-2026', 'demo-vneid-2026', 'demo-ansinh-token-2026', 'demo-qlvb-2026', displayToken];
  for (const path of ['/admin/sources', '/admin/sources/motcua', '/admin/sources/vneid', '/admin/sources/ansinh', '/admin/sources/qlvb', '/admin/audit', '/admin/tokens', '/api/v1/sources/health', '/healthz', '/metrics']) {
    const text = await (await admin.get(path)).text();
    for (const s of secrets) expect(text, `${path} shows a secret`).not.toContain(s);
  }
  const log = readFileSync(process.env.E2E_PRODUCT_LOG!, 'utf8');
  for (const s of [...secrets, 'cityops_session=']) expect(log).not.toContain(s);
});

test('pages carry a Content-Security-Policy they pass, and may not be framed', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await signIn(page.request, 'leader');
  const response = await page.goto(`${base()}/units/10114`);
  const csp = response!.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response!.headers()['referrer-policy']).toBe('same-origin');
  await expect(page.locator('.chart svg path').first()).toBeAttached(); // the chart drew under the policy
  await expect(page.locator('[data-connection="live"]')).toBeVisible(); // and the socket connected
  expect(violations).toEqual([]);
});
