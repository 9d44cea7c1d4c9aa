/**
 * Bad input on the endpoints and forms: missing fields, wrong types, huge values, script tags, SQL
 * fragments. Each gets a clear answer in words (naming the field) and never a server error; the
 * product carries on.
 */
import { expect, test } from '@playwright/test';
import { base, signIn } from './auth.ts';

const SQL = "01' or '1'='1";
const SCRIPT = '<script>alert(1)</script>';

test('the sign-in endpoint names what is wrong and is never fooled', async ({ request }) => {
  const post = (data: unknown) => request.post(`${base()}/api/v1/auth/session`, { data: data as object, headers: { origin: base() } });
  expect((await (await post({ password: 'demo' })).json()).message).toMatch(/^username: required/);
  expect((await (await post({ username: 'leader' })).json()).message).toMatch(/password: required/);
  const wrongType = await post({ username: 42, password: ['demo'] });
  expect(wrongType.status()).toBe(400);
  expect((await wrongType.json()).message).toMatch(/username/);
  expect((await post({ username: 'x'.repeat(10_000), password: 'demo' })).status()).toBe(400);
  const injection = await post({ username: "leader' --", password: "' or 1=1 --" });
  expect(injection.status()).toBe(401);
  expect((await injection.json()).message).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
  const notJson = await request.post(`${base()}/api/v1/auth/session`, { data: 'username=leader', headers: { 'content-type': 'application/json', origin: base() } });
  expect(notJson.status()).toBe(400);
});

test('the read APIs refuse bad parameters with a 400 that names the parameter', async ({ request }) => {
  await signIn(request, 'leader');
  const cases: [string, RegExp][] = [
    [`/api/v1/rankings?scope=${encodeURIComponent(SQL)}`, /^scope: /],
    [`/api/v1/rankings?period=${encodeURIComponent(SCRIPT)}`, /^period: /],
    ['/api/v1/rankings?date=2026-02-30', /^date: not a date: 2026-02-30/],
    // Outside the supported range: a 400 naming the parameter, never a database error.
    ['/api/v1/rankings?date=0000-01-01', /^date: must be between 2000-01-01 and 2099-12-31/],
    ['/api/v1/rankings?scope=01&period=year&date=9999-12-31', /^date: must be between 2000-01-01 and 2099-12-31/],
    ['/api/v1/series?unit=10114&from=0001-01-01&to=0001-02-01', /^from: must be between 2000-01-01 and 2099-12-31/],
    [`/api/v1/series?unit=${encodeURIComponent(SCRIPT)}`, /^unit: /],
    ['/api/v1/series?unit=10114&from=2020-01-01&to=2026-01-01', /^from: at most 1,100 days/],
    [`/api/v1/templates/${encodeURIComponent(SQL)}`, /nhóm chỉ tiêu phải là một trong/]
  ];
  for (const [path, message] of cases) {
    const r = await request.get(`${base()}${path}`);
    expect([400, 404], path).toContain(r.status());
    expect((await r.json()).message, path).toMatch(message);
  }
});

test('an upload that is not what it claims, or too big, is refused in words', async ({ request }) => {
  await signIn(request, 'admin');
  const upload = (name: string, buffer: Buffer) =>
    request.post(`${base()}/api/v1/sources/tai-len-hoso/upload`, { headers: { origin: base() }, multipart: { file: { name, mimeType: 'application/octet-stream', buffer } } });
  const fakeXlsx = await upload('fake.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('not a workbook')]));
  expect(fakeXlsx.status()).toBe(400);
  expect((await fakeXlsx.json()).message).toMatch(/^file: tệp không phải một bảng tính \.xlsx đọc được/);
  const binary = await upload('x.csv', Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0]));
  expect((await binary.json()).message).toMatch(/^file: tệp không phải bảng tính \.xlsx cũng không phải CSV UTF-8/);
  const huge = await upload('huge.csv', Buffer.alloc(10 * 1024 * 1024 + 10, 0x61));
  expect(huge.status()).toBe(413);
  const scripted = await upload('s.csv', Buffer.from(`unit_code,date,dossier.received\n${SCRIPT},2026-11-01,5\n`));
  const body = await scripted.json();
  expect(body).toMatchObject({ outcome: 'partial', accepted: 0, rejected: 1 });
});

test('forms keep what was typed, name the bad field, and show script tags as text', async ({ page }) => {
  await signIn(page.request, 'admin');
  await page.goto(`${base()}/admin/users`);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.locator('form[action="?/create"] input[name="username"]').fill('Bad Name!');
  await page.locator('form[action="?/create"] input[name="displayName"]').fill(SCRIPT);
  await page.locator('form[action="?/create"] input[name="password"]').fill('short');
  // Past the browser's own checks, to the server's: the server is the one that must refuse.
  await page.locator('form[action="?/create"]').evaluate((f: HTMLFormElement) => (f.noValidate = true));
  await page.locator('form[action="?/create"] button[type="submit"]').click();
  await expect(page.locator('form[action="?/create"] input[name="displayName"]')).toHaveValue(SCRIPT);
  await expect(page.locator('form[action="?/create"]')).toContainText('Tên đăng nhập gồm 3–40 ký tự'); // the field, named in the form's words
  await expect(page.locator('form[action="?/create"]')).toContainText('Mật khẩu phải có ít nhất 10 ký tự.');
  await expect(page.locator('form[action="?/create"] input[name="username"]')).toHaveAttribute('aria-invalid', 'true');
  expect(dialogs).toBe(0);
});

test('a sign-in sends the browser only to a path on this site, never elsewhere and never to an error', async ({ request, playwright }) => {
  const LEAVING = ['/\t/evil.example', '/\n/evil.example', '//evil.example', '/\\evil.example', '/..//evil.example', 'https://evil.example/', 'javascript:alert(1)'];
  // The sign-in form, posted by someone signed out with `next` in it.
  const anonymous = await playwright.request.newContext();
  try {
    for (const next of LEAVING) {
      const r = await anonymous.post(`${base()}/login`, { form: { username: 'leader', password: 'demo', next }, headers: { origin: base(), accept: 'text/html' }, maxRedirects: 0 });
      expect(r.status(), JSON.stringify(next)).toBe(303);
      expect(r.headers().location, JSON.stringify(next)).toBe('/');
      await anonymous.post(`${base()}/logout`, { headers: { origin: base(), accept: 'text/html' }, maxRedirects: 0 });
    }
  } finally {
    await anonymous.dispose();
  }
  // Someone signed in who opens /login?next=… is sent on at once.
  await signIn(request, 'leader');
  for (const next of LEAVING) {
    const r = await request.get(`${base()}/login?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
    expect(r.status(), JSON.stringify(next)).toBe(303);
    expect(r.headers().location, JSON.stringify(next)).toBe('/');
  }
  const home = await request.get(`${base()}/login?next=${encodeURIComponent('/units/10114?period=month')}`, { maxRedirects: 0 });
  expect(home.headers().location).toBe('/units/10114?period=month');
  // The language switch sends back to the same path: never to another host.
  const lang = await request.get(`${base()}//evil.example?lang=en`, { maxRedirects: 0 });
  expect(lang.headers().location ?? '').not.toMatch(/^\/\//);
});
