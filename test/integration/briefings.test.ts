/**
 * GET /api/v1/briefings over real HTTP (SvelteKit's handler, hooks and all, on the real database with
 * the demo's 2024 map polled from the simulator on 20/11/2026, which covers the 19th too), printed by the real
 * Chromium: the PDF is opened with PDF.js and its text checked against the board GET /api/v1/rankings
 * gives for the same query. An officer is refused another unit's briefing in words, a bad parameter
 * is named, a print ticket opens its page once, and a web process without Chromium says so (503).
 * Mailed on a schedule: the real workers' jobs (pg-boss) print through that web and mail to a real
 * SMTP server (smtp-server), the clock driven through the tick's `now`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../../src/lib/contract/dto.ts';
import { newKeyHex } from '../../src/lib/server/secrets.ts';
import { freshDatabase } from '../support/db.ts';
import { demoWorld, sessionCookie } from '../support/fixtures.ts';
import { startWeb } from '../support/web.ts';
import { dispositionName, pdfText } from '../support/pdf.ts';
import { mintTicket, PRINT_TICKET_HEADER } from '../../src/lib/server/briefings/ticket.ts';
import { createSchedule, parseSchedule } from '../../src/lib/server/briefings/schedules.ts';
import { queueMailingNow } from '../../src/lib/server/briefings/mailing.ts';
import { readActiveUser } from '../../src/lib/server/auth/sessions.ts';
import { setContact } from '../../src/lib/server/alerts/read.ts';
import { BRIEFINGS_TICK_QUEUE, MAIL_BRIEFING_QUEUE } from '../../src/lib/server/jobs/queues.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';
import { startSmtp } from '../support/mail.ts';

const NOW = new Date('2026-11-20T05:00:00Z');
const QUERY = 'scope=01&period=day&date=2026-11-20';
const points = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

describe('the monthly briefing as a PDF', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let web: Awaited<ReturnType<typeof startWeb>>;
  const secret = newKeyHex();
  // The web and this test mint and read print tickets with the same key (as the web and the workers would).
  process.env.CITYOPS_SECRET_KEY = secret;
  let leader = '';
  let officer = '';

  beforeAll(async () => {
    db = await freshDatabase();
    // A poll covers the day before too: the day's board has previous ranks (movers and their reasons).
    // The reporting month 15/10–14/11 polled on its last day too (the scheduled mailing's month: the 13th and 14th).
    let clock = new Date('2026-11-14T05:00:00Z');
    world = await demoWorld(db.sql, { now: () => clock });
    await world.pollAll(clock);
    clock = NOW;
    await world.pollAll(NOW);
    web = await startWeb({ DATABASE_URL: db.url, CITYOPS_SECRET_KEY: secret });
    leader = await sessionCookie(db.sql, { username: 'lanh-dao', role: 'leader' });
    officer = await sessionCookie(db.sql, { username: 'can-bo-thanh-oai', role: 'officer', unitCode: '278' });
  }, 180_000);
  afterAll(async () => {
    await web?.close();
    await world?.simulator.close();
    await db?.drop();
  });

  const get = (path: string, cookie: string, headers: Record<string, string> = {}) => fetch(`${web.url}${path}`, { headers: { cookie, ...headers } });

  it('is a PDF of the board the API gives: the first and last units with their totals as shown, the period in words', async () => {
    const res = await get(`/api/v1/briefings?${QUERY}`, leader);
    expect(res.status, await res.clone().text().then((t) => t.slice(0, 300))).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const disposition = res.headers.get('content-disposition');
    expect(disposition).toMatch(/^attachment;/);
    expect(dispositionName(disposition)).toEqual({
      ascii: 'bao-cao-giao-ban-01-day-2026-11-20.pdf',
      words: 'Báo cáo giao ban - Thành phố Hà Nội - Ngày 20-11-2026.pdf'
    });
    const pdf = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/briefing-01-day-2026-11-20.pdf', pdf);
    const text = await pdfText(pdf);

    const board = (await (await get(`/api/v1/rankings?${QUERY}`, leader)).json()) as Board;
    const ranked = board.rows.filter((r) => r.rank !== null);
    expect(ranked.length).toBeGreaterThan(20);
    const first = ranked[0]!;
    const last = ranked.at(-1)!;
    expect(first.rank).toBe(1);
    for (const r of [first, last]) expect(text).toContain(`${r.unitName} ${points.format(r.total!)}`);
    // The board's order: the first unit before the last.
    expect(text.indexOf(`${first.unitName} ${points.format(first.total!)}`)).toBeLessThan(text.indexOf(`${last.unitName} ${points.format(last.total!)}`));
    expect(text).toContain('Báo cáo giao ban');
    expect(text).toContain('Thành phố Hà Nội');
    expect(text).toContain('Ngày 20/11/2026 · từ 20/11/2026 đến 20/11/2026');
    expect(text).toContain('Tổng (điểm)');
    // The movers with why, as the board words it; the weakest unit with its gap in counts.
    const mover = board.rows.filter((r) => (r.change.places ?? 0) > 0).sort((a, b) => b.change.places! - a.change.places!)[0];
    expect(mover, 'a unit that rose since October').toBeDefined();
    expect(text).toContain(mover!.unitName);
    expect(text).toMatch(/Cần thêm \d+,\d\d điểm để (lên hạng|đạt mức)/);
    expect(text).toMatch(/Trang 1\/\d/);
  }, 120_000);

  it('is in English for a reader who chose English', async () => {
    const res = await get(`/api/v1/briefings?${QUERY}`, `${leader}; cityops_locale=en`);
    expect(res.status).toBe(200);
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain('Monthly briefing');
    expect(text).toContain('Total (points)');
    expect(dispositionName(res.headers.get('content-disposition')).words).toBe('Monthly briefing - Thành phố Hà Nội - Day 20-11-2026.pdf');
  }, 90_000);

  it("refuses an officer another unit's briefing in words (403), and gives them their own", async () => {
    const refused = await get(`/api/v1/briefings?${QUERY}`, officer);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      message: 'Bạn không có quyền xem báo cáo giao ban của đơn vị 01: cán bộ chỉ xem được đơn vị mình và các đơn vị trực thuộc.'
    });
    // The print page itself likewise.
    expect((await get(`/briefings/print?${QUERY}`, officer)).status).toBe(403);

    const own = await get('/api/v1/briefings?scope=278&period=day&date=2026-11-20', officer);
    expect(own.status).toBe(200);
    const text = await pdfText(new Uint8Array(await own.arrayBuffer()));
    expect(text).toContain('Huyện Thanh Oai');
    // Its own place among the city's districts.
    expect(text).toMatch(/Hạng \d+\/\d+ trong Thành phố Hà Nội, tổng \d+,\d\d điểm/);
  }, 90_000);

  it('names a bad parameter in words (400), in the reader’s language', async () => {
    const period = await get('/api/v1/briefings?scope=01&period=fortnight&date=2026-11-20', leader);
    expect(period.status).toBe(400);
    expect(((await period.json()) as { message: string }).message).toMatch(/^Tham số period không hợp lệ \("fortnight"\): cần một loại kỳ: day, week, month/);
    const date = await get('/api/v1/briefings?scope=01&period=month&date=20/11/2026', `${leader}; cityops_locale=en`);
    expect(date.status).toBe(400);
    expect(((await date.json()) as { message: string }).message).toBe('The parameter date is not valid ("20/11/2026"): must be a date as YYYY-MM-DD, e.g. 2026-11-14.');
    const leaf = await get('/api/v1/briefings?scope=10114&period=day&date=2026-11-20', leader);
    expect(leaf.status).toBe(404);
    expect(await leaf.json()).toEqual({ message: 'Thị trấn Kim Bài không có đơn vị trực thuộc để xếp hạng, nên không có báo cáo giao ban riêng.' });
  });

  it('asks for a signed-in person; a print ticket opens nothing when forged', async () => {
    expect((await fetch(`${web.url}/api/v1/briefings?${QUERY}`)).status).toBe(401);
    const forged = await fetch(`${web.url}/briefings/print?${QUERY}`, { headers: { 'x-cityops-print-ticket': 'eyJ1c2VySWQiOjF9.AAAA' }, redirect: 'manual' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('Phiếu in báo cáo không hợp lệ, đã hết hạn hoặc đã được dùng.');
  });

  it('opens the print page once per ticket, and only the page the ticket names', async () => {
    const [u] = await db.sql<{ id: number }[]>`select id from users where username = 'lanh-dao'`;
    const open = (ticket: string, query: string) => fetch(`${web.url}/briefings/print?${query}`, { headers: { [PRINT_TICKET_HEADER]: ticket }, redirect: 'manual' });
    const ticket = mintTicket({ scope: '01', period: 'day', date: '2026-11-20' }, u!.id, 'vi');
    const first = await open(ticket, QUERY);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('data-briefing');
    expect((await open(ticket, QUERY)).status).toBe(403);
    const another = mintTicket({ scope: '01', period: 'day', date: '2026-11-20' }, u!.id, 'vi');
    expect((await open(another, 'scope=278&period=day&date=2026-11-20')).status).toBe(403);
    // Expired: made a minute and more ago.
    const old = mintTicket({ scope: '01', period: 'day', date: '2026-11-20' }, u!.id, 'vi', Date.now() - 61_000);
    expect((await open(old, QUERY)).status).toBe(403);
  });

  describe('mailed on a schedule (the 15th at 08:00, the reporting month just closed)', () => {
    let jobs: TestJobs;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    /** The reporting month 15/10–14/11/2026: polled on its last day (the 13th and 14th), so its board ranks. */
    const MONTH = 'scope=01&period=report_month&date=2026-10-15';
    const hn = (iso: string) => `${iso}+07:00`;
    async function tick(now: string) {
      const id = await jobs.boss.send(BRIEFINGS_TICK_QUEUE, { now: hn(now) });
      return (await jobs.settled(BRIEFINGS_TICK_QUEUE, id!)) as { schedules: number; mailings: number };
    }
    /** Every mail job queued so far, settled (done or failed for good). */
    async function mailJobsDone() {
      for (const j of await jobs.boss.findJobs(MAIL_BRIEFING_QUEUE)) await jobs.settled(MAIL_BRIEFING_QUEUE, j.id).catch(() => undefined);
    }

    beforeAll(async () => {
      smtp = await startSmtp();
      jobs = await testJobs(db, 'pgboss_briefings');
      await jobs.work({
        secretKeyHex: secret,
        briefingMail: { smtpUrl: smtp.url, mailFrom: 'City Ops <giao-ban@hanoi.test>', linkBase: 'https://dieuhanh.hanoi.test', printOrigin: web.url }
      });
      const [l] = await db.sql<{ id: number }[]>`select id from users where username = 'lanh-dao'`;
      await setContact(db.sql, l!.id, 'lanh-dao@hanoi.test');
    }, 60_000);
    afterAll(async () => {
      await jobs?.stop();
      await smtp?.close();
    });

    it('refuses a bad schedule naming each field in words, an officer outside the unit included', async () => {
      const parsed = await parseSchedule(db.sql, { name: ' ', scopeCode: '01', periodKind: 'fortnight', dayOfMonth: '31', sendAt: '8h', usernames: 'can-bo-thanh-oai', emails: 'van-phong@' });
      expect(parsed).toEqual({
        ok: false,
        errors: {
          name: 'Cần đặt tên cho lịch.',
          periodKind: 'Cần chọn một loại kỳ báo cáo.',
          dayOfMonth: 'Ngày gửi phải là một số từ 1 đến 28 (tháng nào cũng có ngày đó), không phải “31”.',
          sendAt: 'Giờ gửi phải viết dạng HH:MM, ví dụ 08:00, không phải “8h”.',
          usernames: 'Cán bộ can-bo-thanh-oai chỉ được xem đơn vị mình nên không nhận được báo cáo của đơn vị 01.',
          emails: 'Địa chỉ thư không hợp lệ: van-phong@.'
        }
      });
      const leaf = await parseSchedule(db.sql, { name: 'x', scopeCode: '10114', periodKind: 'report_month', dayOfMonth: '15', sendAt: '08:00', emails: 'a@hanoi.test' });
      expect(leaf).toMatchObject({ ok: false, errors: { scopeCode: 'Thị trấn Kim Bài không có đơn vị trực thuộc để xếp hạng, nên không có báo cáo giao ban riêng.' } });
    });

    it('sends each recipient one mail with the PDF of the reporting month at 08:00 on the 15th — not before, not twice', async () => {
      const admin = await sessionCookie(db.sql, { username: 'quan-tri', role: 'admin' }).then(() => db.sql<{ id: number }[]>`select id from users where username = 'quan-tri'`);
      const owner = (await readActiveUser(db.sql, admin[0]!.id, 'test'))!;
      await sessionCookie(db.sql, { username: 'pho-chu-tich', role: 'leader' }); // no address set
      const made = await createSchedule(db.sql, {
        name: 'Giao ban tháng của Thành phố', scopeCode: '01', periodKind: 'report_month', dayOfMonth: '15', sendAt: '08:00', locale: 'vi',
        usernames: 'lanh-dao, pho-chu-tich', emails: 'van-phong@hanoi.test', enabled: 'on'
      }, owner);
      expect(made.ok).toBe(true);
      const id = (made as { id: number }).id;
      // Made on 20 October: its send time of 15 November counts, that of 15 October does not.
      await db.sql`update briefing_schedules set created_at = '2026-10-20T00:00:00+07:00' where id = ${id}`;

      expect(await tick('2026-11-15T07:59:00')).toEqual({ schedules: 0, mailings: 0 });
      expect(await tick('2026-11-15T08:00:30')).toEqual({ schedules: 1, mailings: 3 });
      const [toLeader, toOffice] = await Promise.all([smtp.mailTo('lanh-dao@hanoi.test'), smtp.mailTo('van-phong@hanoi.test')]);
      // A tick later (and a worker restarted at noon the next day): nothing more — nor for an address
      // added since, which waits for the next period ("Gửi ngay" sends at once).
      expect(await tick('2026-11-15T08:01:00')).toEqual({ schedules: 0, mailings: 0 });
      await db.sql`update briefing_schedules set recipient_emails = recipient_emails || '{moi-them@hanoi.test}' where id = ${id}`;
      expect(await tick('2026-11-16T12:00:00')).toEqual({ schedules: 0, mailings: 0 });
      await mailJobsDone();
      expect(smtp.to('lanh-dao@hanoi.test')).toHaveLength(1);
      expect(smtp.to('van-phong@hanoi.test')).toHaveLength(1);

      for (const mail of [toLeader, toOffice]) {
        expect(mail.subject).toBe('Báo cáo giao ban — Thành phố Hà Nội — Kỳ báo cáo tháng 11/2026 (15/10 – 14/11)');
        expect(mail.text).toContain('City Ops gửi kèm báo cáo giao ban của Thành phố Hà Nội, Kỳ báo cáo tháng 11/2026 (15/10 – 14/11) (tệp PDF).');
        expect(mail.text).toContain('Xem trực tuyến: https://dieuhanh.hanoi.test/?scope=01&period=report_month&date=2026-10-15');
        expect(mail.attachments).toHaveLength(1);
        expect(mail.attachments[0]!.contentType).toBe('application/pdf');
        expect(mail.attachments[0]!.filename).toBe('Báo cáo giao ban - Thành phố Hà Nội - Kỳ báo cáo tháng 11-2026 (15-10 – 14-11).pdf');
      }
      // The PDF is the board of that month: its first and last ranked units with their totals, in order.
      const text = await pdfText(new Uint8Array(toLeader.attachments[0]!.content));
      const board = (await (await get(`/api/v1/rankings?${MONTH}`, leader)).json()) as Board;
      const ranked = board.rows.filter((r) => r.rank !== null);
      expect(ranked.length).toBeGreaterThan(20);
      for (const r of [ranked[0]!, ranked.at(-1)!]) expect(text).toContain(`${r.unitName} ${points.format(r.total!)}`);
      expect(text).toContain('Kỳ báo cáo tháng 11/2026');

      // The person without an address: recorded, in words, and not retried.
      const rows = await db.sql<{ recipient_key: string; status: string; last_error: string | null; pdf_bytes: number | null }[]>`
        select recipient_key, status, last_error, pdf_bytes from briefing_mailings where schedule_id = ${id} order by recipient_key`;
      expect(rows.map((r) => [r.recipient_key.replace(/\d+/, 'N'), r.status])).toEqual([
        ['mail:van-phong@hanoi.test', 'sent'], ['user:N', 'sent'], ['user:N', 'failed']
      ]);
      expect(rows.find((r) => r.status === 'failed')!.last_error).toBe('Người nhận chưa khai địa chỉ thư (ở trang Cảnh báo): không gửi được.');
      expect(rows.find((r) => r.recipient_key.startsWith('mail:'))!.pdf_bytes).toBe(toOffice.attachments[0]!.content.length);

      // "Gửi ngay": the same period again, at once, marked manual.
      const now = await queueMailingNow(db.sql, jobs.boss, id, new Date(hn('2026-11-20T09:00:00')));
      expect(now).toEqual({ mailings: 4, period: { kind: 'report_month', start: '2026-10-15', end: '2026-11-14' } });
      expect((await smtp.mailTo('lanh-dao@hanoi.test', 2)).attachments[0]!.filename).toMatch(/^Báo cáo giao ban - Thành phố Hà Nội/);
    }, 180_000);

    it("mails an officer their own unit's briefing, printed as they may read it", async () => {
      const [o] = await db.sql<{ id: number }[]>`select id from users where username = 'can-bo-thanh-oai'`;
      await setContact(db.sql, o!.id, 'thanh-oai@hanoi.test');
      const [a] = await db.sql<{ id: number }[]>`select id from users where username = 'quan-tri'`;
      const made = await createSchedule(db.sql, {
        name: 'Giao ban huyện Thanh Oai', scopeCode: '278', periodKind: 'report_month', dayOfMonth: '15', sendAt: '08:00', usernames: 'can-bo-thanh-oai'
      }, (await readActiveUser(db.sql, a!.id, 'test'))!);
      expect(made.ok).toBe(true);
      await db.sql`update briefing_schedules set created_at = '2026-10-20T00:00:00+07:00' where id = ${(made as { id: number }).id}`;
      expect(await tick('2026-11-15T08:05:00')).toEqual({ schedules: 1, mailings: 1 });
      const mail = await smtp.mailTo('thanh-oai@hanoi.test');
      expect(mail.subject).toBe('Báo cáo giao ban — Huyện Thanh Oai — Kỳ báo cáo tháng 11/2026 (15/10 – 14/11)');
      const text = await pdfText(new Uint8Array(mail.attachments[0]!.content));
      expect(text).toContain('Huyện Thanh Oai');
      expect(text).toMatch(/Hạng \d+\/\d+ trong Thành phố Hà Nội, tổng \d+,\d\d điểm/);
    }, 120_000);
  });

  // Last: a second web process on the same database, whose CHROMIUM_PATH names nothing.
  it('says in words, in the reader’s language, that Chromium is missing (503), and serves the rest', async () => {
    const bare = await startWeb({ DATABASE_URL: db.url, CITYOPS_SECRET_KEY: secret, CHROMIUM_PATH: '/nonexistent/chromium' });
    try {
      const vi = await fetch(`${bare.url}/api/v1/briefings?${QUERY}`, { headers: { cookie: leader } });
      expect(vi.status).toBe(503);
      expect(vi.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await vi.json()).toEqual({
        message: 'Máy chủ chưa cài trình duyệt Chromium để in báo cáo (không thấy /nonexistent/chromium; đặt CHROMIUM_PATH). Vui lòng báo quản trị viên.'
      });
      const en = await fetch(`${bare.url}/api/v1/briefings?${QUERY}`, { headers: { cookie: `${leader}; cityops_locale=en` } });
      expect(((await en.json()) as { message: string }).message).toMatch(/^The server has no Chromium browser to print the briefing with \(\/nonexistent\/chromium not found/);
      // The print page needs no Chromium: a person can still open and print it.
      expect((await fetch(`${bare.url}/briefings/print?${QUERY}`, { headers: { cookie: leader } })).status).toBe(200);
    } finally {
      await bare.close();
      delete process.env.CHROMIUM_PATH;
    }
  }, 90_000);
});
