/**
 * Issue 12, end to end: an administrator connects the fifth vendor — the province's one-stop-shop
 * reporting system the seed does not configure (workers/simulator/mot-cua-api.ts: POST with a JSON
 * body of dd/MM/yyyy dates, pages of 50 communes, nested district → commune, "1.234" numbers, HTTP
 * Basic) — through the screens only, from a blank form to values on the board equal to the
 * simulator's ground truth:
 *   a. a wrong date format in the body → the test report quotes the vendor's own message and shows
 *      the request sent;
 *   b. fixed, saved enabled with the default priority for one commune the seeded one-stop-shop
 *      source (motcua) also covers → refused, the overlap named on the priority field;
 *   c. a higher priority → saved, and "Lưu và kiểm tra" tests what was saved;
 *   d. "Lấy ngay" on its own page → the poll's result shows live;
 *   e. that commune: the board and the raw-samples drill-down show the fifth vendor's figures (its
 *      ground truth: oneStopDay of the commune's predecessors, times their shares, as for every system
 *      since the reform of 01/07/2025), the seeded source's value beside them, not counted.
 * Afterwards the source is put below the seeded one and disabled (in a finally): the specs after this
 * one read the seeded one-stop-shop system's values (unit-page, live, wall …).
 */
import { expect, test, type Page } from '@playwright/test';
import { addDays, today } from '../../src/lib/domain/periods.ts';
import { ONE_STOP_DATE_MESSAGE, oneStopDay } from '../../workers/simulator/mot-cua-api.ts';
import { hanoiSimUnits } from '../../workers/simulator/register.ts';
import { unitDossiers } from '../../workers/simulator/truth.ts';
import { FIFTH_VENDOR_CREDENTIALS, FIFTH_VENDOR_MAPPING_TEXT, FIFTH_VENDOR_PATH, FIFTH_VENDOR_REQUEST } from '../support/fifth-vendor.ts';
import { base, signIn, simulator } from './auth.ts';

const SEED = 'hanoi-demo';
const KEY = 'motcua5';
const NAME = 'Một cửa tỉnh (nhà cung cấp thứ năm)';
/** Phường Nghĩa Đô since 01/07/2025 (Nghĩa Tân whole, parts of six more wards of Cầu Giấy): the source's scope. */
const COMMUNE = '00160';
const UNIT = hanoiSimUnits().find((u) => u.code === COMMUNE && u.validFrom)!;
/** The commune's figures in the fifth vendor's system and in the seeded one (the simulator's ground truth). */
const fifthDay = (day: string, now: Date) => unitDossiers(SEED, UNIT, day, now, undefined, oneStopDay);
const seededDay = (day: string, now: Date) => unitDossiers(SEED, UNIT, day, now);
/** vi-VN integers as the screens write them ("1.234"). */
const vi = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

const field = (page: Page, name: string) => page.getByTestId('source-form').locator(`[name="${name}"]`);

/** Everything an administrator types for this vendor, with the request body given. */
async function fillFifthVendor(page: Page, body: string) {
  await field(page, 'key').fill(KEY);
  await field(page, 'name').fill(NAME);
  await field(page, 'family').selectOption('dossier');
  await field(page, 'kind').selectOption('json_http');
  await field(page, 'method').selectOption('POST');
  await field(page, 'urlTemplate').fill(`${simulator()}${FIFTH_VENDOR_PATH}`);
  await field(page, 'body').fill(body);
  await field(page, 'bodyType').selectOption('json');
  await field(page, 'paginationKind').selectOption('page');
  await field(page, 'pageStart').fill('1');
  await field(page, 'maxPages').fill('20');
  await field(page, 'authKind').selectOption('basic');
  await field(page, 'username').fill(FIFTH_VENDOR_CREDENTIALS.username);
  await field(page, 'password').fill(FIFTH_VENDOR_CREDENTIALS.password);
  await field(page, 'codeSystem').fill('gso');
  await field(page, 'numberLocale').selectOption('vi');
  await field(page, 'mapping').fill(FIFTH_VENDOR_MAPPING_TEXT);
}

test('an administrator connects the fifth vendor through the screens: the vendor’s own message, the overlap refused then accepted with a priority, values equal to its ground truth', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page.request, 'admin');
  const goodBody = FIFTH_VENDOR_REQUEST.body!;
  expect(goodBody).toContain('{from:dd/MM/yyyy}');
  try {
    // a. From a blank form, the dates written the ISO way: the vendor answers 400 in its own words.
    await page.goto(`${base()}/admin/sources`);
    await page.getByRole('link', { name: '+ Thêm nguồn dữ liệu' }).click();
    await expect(page).toHaveURL(/\/admin\/sources\/new$/);
    await expect(page.getByTestId('source-help')).toContainText('each:'); // the help panel beside the form
    await fillFifthVendor(page, goodBody.replaceAll('dd/MM/yyyy', 'yyyy-MM-dd'));
    await page.getByTestId('source-test').click();
    const report = page.getByTestId('test-report');
    await expect(report).toHaveAttribute('data-test-result', 'failed', { timeout: 30_000 });
    await expect(report.getByTestId('vendor-message')).toContainText(ONE_STOP_DATE_MESSAGE);
    await expect(report.getByTestId('vendor-message')).toContainText('400');
    const sent = report.getByTestId('test-request').first();
    await expect(sent).toContainText(`POST ${simulator()}${FIFTH_VENDOR_PATH}`);
    await expect(sent).toContainText(/"tuNgay":"\d{4}-\d{2}-\d{2}","denNgay":"\d{4}-\d{2}-\d{2}","trang":1/);
    await expect(sent).toContainText('authorization: ••••');
    await expect(sent).not.toContainText(FIFTH_VENDOR_CREDENTIALS.password);

    // b. The vendor's format; the test now reads every page, with its figures.
    await field(page, 'body').fill(goodBody);
    await page.getByTestId('source-test').click();
    await expect(report).toHaveAttribute('data-test-result', 'ok', { timeout: 30_000 });
    await expect(report.getByTestId('test-request').first()).toContainText(/"tuNgay":"\d{2}\/\d{2}\/\d{4}","denNgay":"\d{2}\/\d{2}\/\d{4}","trang":1/);
    await expect(report.getByTestId('test-counts')).toContainText('0 dòng bị loại');
    await expect(report.getByTestId('test-exchange')).toHaveCount(4); // 3 pages of 50 of the city's 126 communes, then an empty one

    // Saved enabled for one commune with the default priority: the seeded one-stop-shop system
    // (motcua, same family, the whole city, priority 100) reports the same units and metrics.
    await field(page, 'scopeUnitCode').fill(COMMUNE);
    await field(page, 'enabled').check();
    await expect(field(page, 'priority')).toHaveValue('');
    await page.getByTestId('source-save').click();
    const refusal = page.locator('#priority-error');
    await expect(refusal).toContainText('(motcua)');
    await expect(refusal).toContainText('cùng mức ưu tiên 100');
    await expect(refusal).toContainText('Phường Nghĩa Đô');
    await expect(refusal).toContainText('Hồ sơ tiếp nhận');
    await expect(page).toHaveURL(/\/admin\/sources\/new$/); // nothing saved
    await expect(field(page, 'priority')).toHaveAttribute('aria-invalid', 'true');
    // What was typed stays, the password too (it is not sent back, the browser keeps it).
    await expect(field(page, 'body')).toHaveValue(goodBody);
    await expect(field(page, 'password')).not.toHaveValue('');

    // c. A higher priority: its values count over the seeded source's for that district. "Lưu và
    // kiểm tra" saves, opens the source's page and tests what was saved.
    await field(page, 'priority').fill('110');
    await page.getByTestId('source-save-test').click();
    await expect(page).toHaveURL(new RegExp(`/admin/sources/${KEY}\\?saved=1$`));
    await expect(page.getByText('Đã lưu.')).toBeVisible();
    await expect(report).toHaveAttribute('data-test-result', 'ok', { timeout: 30_000 });
    // The vendor answers for the whole city: the communes but Nghĩa Đô are skipped and counted, not rejected.
    await expect(report.getByTestId('test-counts')).toContainText('0 dòng bị loại');
    await expect(report.getByTestId('test-skipped')).toContainText(/\d[\d.]* dòng của đơn vị ngoài phạm vi được bỏ qua/);
    await expect(field(page, 'priority')).toHaveValue('110');
    await expect(field(page, 'enabled')).toBeChecked();
    await expect(field(page, 'password')).toHaveValue(''); // write-only once stored

    // d. "Lấy ngay" on its own page, its result followed live to the run it recorded.
    await expect(page.getByTestId('backfill-start')).toBeVisible(); // "Nạp lịch sử" beside it
    await page.getByTestId('poll-now').click();
    const job = page.locator('[data-job-kind="poll"]');
    await expect(job).toHaveAttribute('data-job-state', 'done', { timeout: 30_000 });
    // The other communes are skipped, not rejected: the poll is a success.
    await expect(job).toContainText(/Lấy số liệu thành công: nhận \d[\d.]* dòng/);
    const runLink = job.getByRole('link', { name: 'Xem lần lấy số liệu' });
    await expect(runLink).toHaveAttribute('href', new RegExp(`^/admin/sources/${KEY}/runs/\\d+$`));
    // The run this job recorded is in the history: "lấy ngay", or "theo lịch" when the request joined a
    // scheduled poll already waiting for this source (one poll per source at a time: pollNowJob).
    const runId = /\/runs\/(\d+)$/.exec((await runLink.getAttribute('href')) ?? '')?.[1];
    await expect(page.locator(`tr[data-run="${runId}"]`)).toContainText(/lấy ngay|theo lịch/);

    // e. The commune, on a day of the poll's window where the two systems differ.
    const now = new Date();
    const day = [addDays(today(), -1), addDays(today(), -2)].find((d) => {
      const fifth = fifthDay(d, now);
      return fifth.received > 0 && fifth.received !== seededDay(d, now).received;
    }) ?? addDays(today(), -1);
    const truth = fifthDay(day, now);
    const seeded = seededDay(day, now);
    const onTime = truth.resolvedOnTime + truth.pendingOnTime;

    // The board of that commune and day counts the fifth vendor's figures (recomputed after its poll).
    await expect(async () => {
      await page.goto(`${base()}/units/${COMMUNE}?period=day&date=${day}`);
      await expect(page.locator('[data-section="indicators"] [data-indicator="dossier.on_time"] [data-field="counts"]')).toHaveText(`${vi(onTime)} / ${vi(truth.received)}`, { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });

    // The raw samples: both sources' values, the fifth vendor's counted, the seeded one's beside it, not.
    await page.goto(`${base()}/units/${COMMUNE}/indicators/dossier.on_time/samples?day=${day}`);
    const row = (source: string, metric: string) => page.locator(`table.samples tr[data-source="${source}"][data-metric="${metric}"]`);
    for (const [metric, mine, theirs] of [
      ['dossier.received', truth.received, seeded.received],
      ['dossier.resolved_on_time', truth.resolvedOnTime, seeded.resolvedOnTime],
      ['dossier.pending_on_time', truth.pendingOnTime, seeded.pendingOnTime]
    ] as const) {
      await expect(row(KEY, metric)).toHaveAttribute('data-counts', 'true');
      await expect(row(KEY, metric).locator('td.value')).toHaveText(vi(mine));
      await expect(row(KEY, metric).locator('[data-field="priority"]')).toHaveText('110');
      await expect(row('motcua', metric)).toHaveAttribute('data-counts', 'false');
      await expect(row('motcua', metric).locator('td.value')).toHaveText(vi(theirs));
      await expect(row('motcua', metric).locator('[data-field="counts"]')).toContainText(`${NAME} (ưu tiên 110)`);
    }
    await expect(page.locator('[data-field="ratio"]').locator('xpath=..')).toContainText(`${vi(onTime)} / ${vi(truth.received)}`);
    await expect(page.locator('[data-field="not-counted"]')).toContainText('3 giá trị không được tính');
  } finally {
    // Leave the product as found: below the seeded source and off (through its own form, when it was created).
    await page.goto(`${base()}/admin/sources/${KEY}`);
    if (await field(page, 'priority').count()) {
      await field(page, 'priority').fill('0');
      await field(page, 'enabled').uncheck();
      await page.getByTestId('source-save').click();
      await expect(page).toHaveURL(new RegExp(`/admin/sources/${KEY}\\?saved=1$`));
      await expect(field(page, 'enabled')).not.toBeChecked();
    }
  }
});
