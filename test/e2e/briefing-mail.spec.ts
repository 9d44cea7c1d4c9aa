/**
 * The briefing mailed on a schedule (issue 16, item 8), in Chromium against the real product and a
 * real SMTP server (started by the global setup; what it receives is read from E2E_MAIL_DIR): the
 * leader sets the address they take mail at; the administrator's form names each bad field, saves
 * a schedule (the 15th at 08:00, the reporting month), and "Gửi ngay" has the workers print the
 * briefing and mail it — the PDF read back and checked against the board. With BRIEFING_SHOTS=<dir>
 * the screens are also kept at 1920×1080 and 3840×2160.
 */
import { expect, test } from '@playwright/test';
import type { Board } from '../../src/lib/contract/dto.ts';
import { formatPeriod } from '../../src/lib/format.ts';
import { base, signIn } from './auth.ts';
import { shooter } from './shots.ts';
import { savedMails } from '../support/mail.ts';
import { pdfText } from '../support/pdf.ts';

const shoot = shooter(process.env.BRIEFING_SHOTS);
const points = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

test('an administrator schedules the briefing, a bad field named; "Gửi ngay" mails the PDF of the board to the leader', async ({ browser }) => {
  test.setTimeout(180_000);
  // The leader gives the address they take mail at.
  const leader = await (await browser.newContext()).newPage();
  await signIn(leader.request, 'leader');
  await leader.goto(`${base()}/alerts`);
  await leader.getByLabel(/^Địa chỉ thư của bạn/).fill('lanh-dao@hanoi.test');
  await leader.getByRole('button', { name: 'Lưu địa chỉ' }).click();
  await expect(leader.getByRole('status')).toHaveText('Đã lưu: cảnh báo sẽ gửi tới lanh-dao@hanoi.test.');

  const page = await (await browser.newContext()).newPage();
  await signIn(page.request, 'admin');
  await page.goto(`${base()}/admin/briefings`);
  await expect(page.getByRole('heading', { name: 'Gửi báo cáo giao ban theo lịch' })).toBeVisible();
  await expect(page.getByTestId('no-smtp')).toHaveCount(0);
  await page.waitForSelector('html[data-hydrated]');

  // Blank name, the 31st, "8h", nobody to send to.
  await page.getByLabel('Ngày trong tháng (1–28)').fill('31');
  await page.getByLabel('Giờ gửi (HH:MM, giờ Hà Nội)').fill('8h');
  await page.getByRole('button', { name: 'Lưu lịch' }).click();
  await expect(page.getByTestId('form-message')).toHaveText('Lịch chưa lưu: 4 ô cần sửa, xem dòng đỏ dưới từng ô.');
  await expect(page.locator('[data-field="name"]')).toHaveText('Cần đặt tên cho lịch.');
  await expect(page.locator('[data-field="dayOfMonth"]')).toHaveText('Ngày gửi phải là một số từ 1 đến 28 (tháng nào cũng có ngày đó), không phải “31”.');
  await expect(page.locator('[data-field="sendAt"]')).toHaveText('Giờ gửi phải viết dạng HH:MM, ví dụ 08:00, không phải “8h”.');
  await expect(page.locator('[data-field="usernames"]')).toHaveText('Cần chọn ít nhất một người nhận hoặc nhập một địa chỉ thư.');
  await expect(page.getByLabel('Giờ gửi (HH:MM, giờ Hà Nội)')).toHaveValue('8h');
  await shoot(page, 'admin-briefings-refused');

  await page.getByLabel('Tên lịch').fill('Giao ban tháng của Thành phố (e2e)');
  await page.getByLabel(/^Đơn vị \(báo cáo/).selectOption('01');
  await page.getByLabel('Ngày trong tháng (1–28)').fill('15');
  await page.getByLabel('Giờ gửi (HH:MM, giờ Hà Nội)').fill('08:00');
  const leaderBox = page.getByRole('checkbox', { name: /\(leader · / });
  await expect(leaderBox.locator('xpath=..')).toContainText('lanh-dao@hanoi.test');
  await leaderBox.check();
  await page.getByLabel(/^Các địa chỉ thư khác/).fill('van-phong@hanoi.test');
  await page.getByRole('button', { name: 'Lưu lịch' }).click();
  await expect(page.getByRole('status')).toHaveText('Đã lưu lịch “Giao ban tháng của Thành phố (e2e)”.');
  const row = page.getByTestId('schedules').locator('tr', { hasText: 'Giao ban tháng của Thành phố (e2e)' });
  await expect(row).toContainText('Thành phố Hà Nội (01)');
  await expect(row).toContainText('Ngày 15 hằng tháng, 08:00');
  await expect(row).toContainText(/08:00 15\/\d{2}/);
  await expect(row).toContainText('lanh-dao@hanoi.test');
  await expect(row).toContainText('van-phong@hanoi.test');
  await expect(row).toContainText('Đang bật');

  // "Gửi ngay": the reporting month that ended last, printed by the workers and mailed to both.
  const before = savedMails(process.env.E2E_MAIL_DIR!).length;
  await row.getByRole('button', { name: 'Gửi ngay' }).click();
  await expect(page.getByTestId('done')).toHaveText(/^Đã xếp 2 thư để gửi ngay: Kỳ báo cáo tháng \d{2}\/\d{4} \(15\/\d{2} – 14\/\d{2}\)\./);
  const mailsTo = (address: string) => savedMails(process.env.E2E_MAIL_DIR!).slice(before).filter((m) => m.to.includes(address) && m.subject.startsWith('Báo cáo giao ban'));
  await expect.poll(() => mailsTo('lanh-dao@hanoi.test').length + mailsTo('van-phong@hanoi.test').length, { timeout: 120_000, intervals: [1000] }).toBe(2);
  const mail = mailsTo('lanh-dao@hanoi.test')[0]!;
  const period = /Kỳ báo cáo tháng (\d{2})\/(\d{4}) \(15\/\d{2} – 14\/\d{2}\)/.exec(mail.subject)!;
  expect(mail.subject).toBe(`Báo cáo giao ban — Thành phố Hà Nội — ${period[0]}`);
  expect(mail.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
  expect(mail.attachments[0]!.filename).toBe(`Báo cáo giao ban - Thành phố Hà Nội - ${period[0].replaceAll('/', '-')}.pdf`);

  // The PDF is the board of that month: the first and last ranked communes with their totals, in order.
  const board = (await (await page.request.get(`${base()}/api/v1/rankings?scope=01&period=report_month&date=${period[2]}-${period[1]}-14`)).json()) as Board;
  expect(formatPeriod(board.period.kind, board.period.start, 'vi')).toBe(period[0]);
  const text = await pdfText(new Uint8Array(mail.attachments[0]!.content));
  const communes = board.rows.filter((r) => r.unitLevel === board.groups[0]!.level && r.rank !== null);
  expect(communes.length).toBeGreaterThan(100);
  const [first, last] = [communes[0]!, communes.at(-1)!];
  for (const r of [first, last]) expect(text, r.unitName).toContain(`${r.unitName} ${points.format(r.total!)}`);
  expect(text.indexOf(`${first.unitName} ${points.format(first.total!)}`)).toBeLessThan(text.indexOf(`${last.unitName} ${points.format(last.total!)}`));

  // Listed as sent, with the file's size.
  await page.reload();
  const sent = page.getByTestId('mailings').locator('tr[data-status="sent"]', { hasText: 'Giao ban tháng của Thành phố (e2e)' });
  await expect(sent).toHaveCount(2);
  await expect(sent.first()).toContainText(/đã gửi \(tệp [\d.]+ KB\)/);
  await expect(sent.first()).toContainText('gửi ngay');
  await shoot(page, 'admin-briefings');
});
