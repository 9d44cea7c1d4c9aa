import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { addDays, today } from '../../src/lib/domain/periods.ts';

import { base, signIn, simulator } from './auth.ts';
const control = (method: string, body?: unknown) =>
  fetch(`${simulator()}/_sim/faults`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

test('a fault switched on in a district system shows on the overview within a poll, and switching it off heals', async ({ page }) => {
  await signIn(page.request, 'leader');
  await page.goto(`${base()}/`);
  const eid = page.locator('[data-source="vneid"]');
  await expect(eid).toHaveAttribute('data-status', 'ok');
  expect((await control('POST', { system: 'eid', fault: 'http_5xx' })).ok).toBe(true);
  try {
    // Polls every 2 s here; the strip is pushed over Socket.IO, no reload.
    await expect(eid).toHaveAttribute('data-status', /failing|stale|circuit_open/, { timeout: 20_000 });
    await expect(eid).toContainText(/Lỗi kết nối|Số liệu cũ|Tạm ngừng gọi/);
    const health = await (await page.request.get(`${base()}/api/v1/sources/health`)).json();
    expect(health.find((s: { key: string }) => s.key === 'vneid')).toMatchObject({ lastOutcome: 'failed', lastError: expect.stringMatching(/^HTTP 503 từ nguồn/) });
  } finally {
    await control('DELETE');
  }
  await expect(eid).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
  // The other systems were never held up.
  await expect(page.locator('[data-source="motcua"]')).toHaveAttribute('data-status', 'ok');
});

test('the sources health API and /metrics answer, and never show credentials', async ({ request }) => {
  await signIn(request, 'admin');
  const health = await request.get(`${base()}/api/v1/sources/health`);
  expect(health.ok()).toBe(true);
  const list = await health.json();
  expect(list.map((s: { key: string }) => s.key)).toEqual(expect.arrayContaining(['motcua', 'vneid', 'ansinh', 'qlvb', 'tai-len-hoso']));
  const text = JSON.stringify(list);
  for (const secret of ['demo-motcua-2026', 'demo-vneid-2026', 'demo-ansinh-token-2026', 'demo-qlvb-2026', 'credentials']) expect(text).not.toContain(secret);

  const metrics = await request.get(`${base()}/metrics`);
  expect(metrics.headers()['content-type']).toContain('text/plain');
  const body = await metrics.text();
  expect(body).toMatch(/^cityops_source_polls_total\{source="motcua",outcome="success"\} [1-9]\d*$/m);
  expect(body).toContain('cityops_source_breaker_state{source="qlvb",state="closed"} 1');
  expect(body).toMatch(/^cityops_web_process_resident_memory_bytes \d+/m); // the web process's own figures
});

test('an administrator downloads the template, fills it and uploads it', async ({ request }) => {
  await signIn(request, 'admin');
  const download = await request.get(`${base()}/api/v1/templates/dossier?format=xlsx`);
  expect(download.headers()['content-disposition']).toContain('mau-dossier.xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await download.body()) as never);
  const sheet = book.worksheets[0]!;
  expect(sheet.getRow(1).getCell(4).value).toBe('Hồ sơ tiếp nhận [dossier.received]');
  const row = sheet.getRow(2);
  row.getCell(3).value = addDays(today(), -60); // before the demo's 40 days of history: no API data that day
  [40, 30, 25, 20, 10, 5, 30, 12, 6].forEach((v, i) => (row.getCell(4 + i).value = v));
  const bytes = Buffer.from(await book.xlsx.writeBuffer());
  const upload = await request.post(`${base()}/api/v1/sources/tai-len-hoso/upload`, {
    headers: { origin: base() }, // SvelteKit refuses a cross-site form post
    multipart: { file: { name: 'so-lieu.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bytes } }
  });
  expect(upload.status()).toBe(200);
  expect(await upload.json()).toMatchObject({ outcome: 'success', accepted: 9, rejected: 0 });

  const refused = await request.post(`${base()}/api/v1/sources/motcua/upload`, { headers: { origin: base() }, multipart: { file: { name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from('a') } } });
  expect(refused.status()).toBe(409);
  expect((await refused.json()).message).toMatch(/không nhận tệp tải lên/);
});

test("an officer's upload cannot overwrite the one-stop-shop system; with approval required, an administrator approves the rest on its screen", async ({ page, playwright }) => {
  const metrics = ['dossier.received', 'dossier.received_online', 'dossier.resolved', 'dossier.resolved_on_time', 'dossier.pending_on_time', 'dossier.pending_overdue', 'dossier.digitized', 'dossier.with_fee', 'dossier.paid_online'];
  const ownDay = addDays(today(), -61); // before the demo's history: no system reports it
  const csv = `unit_code,date,${metrics.join(',')}\n10114,${addDays(today(), -1)},100,90,95,95,5,0,100,50,50\n10114,${ownDay},100,90,95,95,5,0,100,50,50\n`;
  await signIn(page.request, 'admin');
  await page.goto(`${base()}/admin/uploads`);
  await page.getByLabel('Yêu cầu duyệt trước khi số liệu tải lên được tính').check();
  await page.getByRole('button', { name: 'Lưu thiết lập' }).click();
  await expect(page.getByRole('status')).toContainText('chỉ được tính sau khi quản trị viên duyệt');
  const officer = await playwright.request.newContext();
  try {
    await signIn(officer, 'officer-thanh-oai');
    const upload = await officer.post(`${base()}/api/v1/sources/tai-len-hoso/upload`, {
      headers: { origin: base() }, multipart: { file: { name: 'xa-thanh-oai.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) } }
    });
    expect(upload.status()).toBe(202);
    const answer = await upload.json();
    expect(answer).toMatchObject({ approval: 'pending', accepted: 9, rejected: 1 });
    expect(answer.rejections[0].reason).toMatch(/^Xã Thanh Oai \(10114\), ngày .*: đã có số liệu từ nguồn 'Hệ thống một cửa \(iGate\) — hồ sơ TTHC' \(ưu tiên cao hơn\)$/);

    await page.goto(`${base()}/admin/uploads`);
    const row = page.locator(`tr[data-upload="${answer.pendingUploadId}"]`);
    await expect(row.locator('[data-field="sender"]')).toContainText('officer-thanh-oai');
    await expect(row).toContainText('Xã Thanh Oai (10114)');
    await page.screenshot({ path: 'test-results/screens/admin-uploads-pending.png', fullPage: true });
    await row.getByRole('button', { name: 'Duyệt' }).click();
    await expect(page.getByRole('status')).toContainText(`Đã duyệt tệp #${answer.pendingUploadId}: 9 số liệu được tính`);
    await expect(page.locator(`tr[data-upload="${answer.pendingUploadId}"][data-status="approved"]`)).toBeVisible();

    // The raw samples of that day name who sent the file and who approved it.
    await page.goto(`${base()}/units/10114/indicators/dossier.on_time/samples?day=${ownDay}`);
    await expect(page.locator('[data-field="sent-by"]')).toContainText('officer-thanh-oai');
    await expect(page.locator('[data-field="approved-by"]')).toContainText('admin');
    await page.screenshot({ path: 'test-results/screens/samples-sent-by.png', fullPage: true });
  } finally {
    await officer.dispose();
    await page.goto(`${base()}/admin/uploads`);
    await page.getByLabel('Yêu cầu duyệt trước khi số liệu tải lên được tính').uncheck();
    await page.getByRole('button', { name: 'Lưu thiết lập' }).click();
    await expect(page.getByRole('status')).toContainText('được tính ngay');
  }
});
