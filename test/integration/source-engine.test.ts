/**
 * The source engine against a district system the seed never configured: a small HTTP server in
 * this file plays the vendor (POST with a JSON body of dd/MM/yyyy dates, HTTP Basic, pages, a
 * cursor, a 400 with a Vietnamese message, "1.234" numbers, a body without dates), and sources are
 * rows as an administrator would save them. Polls go through pollSource on the real PostgreSQL;
 * test connection through testConnection.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST, type RequestSpec } from '#db/schema/sources';
import { seal } from '#server/secrets';
import { loadSource, pollSource, type SourceRow } from '#server/pipeline/poll';
import { testConnection } from '#server/pipeline/test-connection';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

// Friday 20 November 2026, 19:00 ICT: the poll window is 18–20 November.
const NOW = new Date('2026-11-20T12:00:00Z');
const BASIC = { kind: 'basic', username: 'donvi', password: 'mật-khẩu' } as const;
const FAST = { attempts: 1, baseDelayMs: 0 };

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** The vendor's communes, 50 a page in real life; 2 a page here. */
const COMMUNES = ['00001', '00004', '00006', '00007', '00008', '00013'];

describe('the source engine, against a vendor it was not built for', () => {
  let db: TestDb;
  let world: TestWorld;
  useDemoWorld((h) => ({ db, world } = h), { now: () => NOW });
  let vendor: Server;
  let base = '';
  const seen: Seen[] = [];
  let made = 0;

  const send = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  };

  beforeAll(async () => {
    vendor = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        const url = new URL(req.url!, 'http://x');
        switch (url.pathname) {
          // The one-stop shop of the issue: POST, Basic, dd/MM/yyyy, pages, nested district → commune, "1.234".
          case '/mot-cua/thong-ke': {
            if (req.headers.authorization !== `Basic ${Buffer.from(`${BASIC.username}:${BASIC.password}`).toString('base64')}`) return send(res, 401, { thongBao: 'Sai tài khoản' });
            const q = JSON.parse(body) as { tuNgay: string; denNgay: string; trang: number };
            if (!/^\d{2}\/\d{2}\/\d{4}$/.test(q.tuNgay) || !/^\d{2}\/\d{2}\/\d{4}$/.test(q.denNgay)) {
              return send(res, 400, { maLoi: 'E_THAM_SO', thongBao: 'Tham số tuNgay/denNgay phải có dạng dd/MM/yyyy' });
            }
            const communes = COMMUNES.slice((q.trang - 1) * 2, q.trang * 2);
            return send(res, 201, {
              trang: q.trang,
              duLieu: communes.length ? [{ maHuyen: '001', xa: communes.map((maXa, i) => ({ maXa, ngay: q.denNgay, soHoSo: i === 0 ? '1.234' : '56' })) }] : []
            });
          }
          // A paginator that never ends.
          case '/vo-tan':
            return send(res, 200, { rows: [{ ma: '00001', n: 1 }] });
          // Cursor pagination: three pages.
          case '/con-tro': {
            const after = url.searchParams.get('after') ?? '';
            const page = after === '' ? 1 : Number(after.slice(1));
            return send(res, 200, { items: [{ ma: COMMUNES[page - 1], n: page * 10 }], next: page < 3 ? `c${page + 1}` : null });
          }
          // One bad cell among good ones; numbers written "1.000".
          case '/mot-o-hong':
            return send(res, 200, { rows: [{ ma: '00001', n: '7' }, { ma: '00004', n: 'abc' }, { ma: '00006', n: '9' }] });
          case '/nghin':
            return send(res, 200, { rows: [{ ma: '00001', n: '1.000' }, { ma: '00004', n: '12' }] });
          // A monthly body without dates: the period lives in the request.
          case '/thang':
            return send(res, 200, { rows: [{ ma: '00001', n: 5 }], next: 'http://elsewhere.example/thang?p=2' });
          default:
            return send(res, 404, { message: 'no such path' });
        }
      });
    });
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    vendor.closeAllConnections();
    await new Promise((resolve) => vendor.close(resolve));
  });

  /** Saves a source as a row (what the form or the API stores) and reads it back as a poll does. */
  async function addSource(over: {
    path: string; expression: string; each?: string; request?: Partial<RequestSpec>; numberLocale?: 'vi' | 'en' | null; granularity?: 'day' | 'month'; basic?: boolean;
  }): Promise<SourceRow> {
    made++;
    const mapping = { expression: over.expression, metrics: ['dossier.received'], ...(over.each ? { each: over.each } : {}) };
    const [row] = await db.sql<{ id: number }[]>`
      insert into data_sources (key, name, family, kind, mapping, url_template, request, number_locale, granularity, auth_kind, credentials_sealed, priority)
      values (${`engine-${made}`}, ${`Nguồn thử ${made}`}, 'dossier', 'json_http', ${JSON.stringify(mapping)}::jsonb, ${base + over.path},
              ${JSON.stringify({ ...DEFAULT_REQUEST, ...over.request })}::jsonb, ${over.numberLocale ?? null}, ${over.granularity ?? 'day'},
              ${over.basic ? 'basic' : 'none'}, ${over.basic ? seal(JSON.stringify(BASIC), world.secretKeyHex) : null}, ${50 + made})
      returning id`;
    return (await loadSource(db.sql, row!.id))!;
  }
  const poll = (source: SourceRow) => pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: NOW, trigger: 'manual', retry: FAST });
  const stored = (source: SourceRow) =>
    db.sql<{ code: string; day: string; value: number }[]>`
      select u.gso_code as code, s.day::text as day, s.value::float8 as value from samples s join units u on u.id = s.unit_id
      where s.source_id = ${source.id} order by 1, 2`;
  const runOf = async (id: number | null) =>
    (await db.sql<{ outcome: string; error: string | null; error_stage: string | null; http_status: number | null; rejections: { index: number; reason: string }[] | null }[]>`
      select outcome, error, error_stage, http_status, rejections from poll_runs where id = ${id}`)[0]!;
  const healthOf = async (source: SourceRow) =>
    (await db.sql<{ last_error: string | null; last_error_stage: string | null }[]>`select last_error, last_error_stage from source_health where source_id = ${source.id}`)[0]!;

  const ONE_STOP = {
    path: '/mot-cua/thong-ke',
    each: 'duLieu.xa',
    expression: '{ "unitCode": maXa, "date": $date(ngay, "dd/MM/yyyy"), "values": { "dossier.received": $number(soHoSo) } }',
    numberLocale: 'vi' as const,
    basic: true
  };
  const POST_BODY = { method: 'POST' as const, bodyType: 'json' as const, body: '{"tuNgay": "{from:dd/MM/yyyy}", "denNgay": "{to:dd/MM/yyyy}", "trang": {page}}' };

  it('POSTs a JSON body with dd/MM/yyyy dates, follows three pages to the empty one, reads "1.234" as vi, and stores every commune', async () => {
    const source = await addSource({ ...ONE_STOP, request: { ...POST_BODY, pagination: { kind: 'page', start: 1, maxPages: 10 } } });
    seen.length = 0;
    const outcome = await poll(source);
    expect(outcome).toMatchObject({ outcome: 'success', accepted: 6, rejected: 0, error: null });
    expect(seen.map((s) => [s.method, JSON.parse(s.body)])).toEqual([1, 2, 3, 4].map((trang) => ['POST', { tuNgay: '18/11/2026', denNgay: '20/11/2026', trang }]));
    expect(seen[0]!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(await stored(source)).toEqual(COMMUNES.map((code, i) => ({ code, day: '2026-11-20', value: i % 2 === 0 ? 1234 : 56 })));
    expect((await runOf(outcome.pollRunId)).http_status).toBe(201);

    // Test connection: the requests as sent (Basic masked), the 201s pretty-printed, counts over every page.
    const report = await testConnection(db.sql, source, BASIC, { now: NOW });
    expect(report).toMatchObject({ ok: true, stage: null, read: 6, accepted: 6, rejectedCount: 0, shown: { samples: 6, rejected: 0 }, window: { from: '2026-11-18', to: '2026-11-20' } });
    expect(report.exchanges).toHaveLength(4);
    expect(report.exchanges[0]!.request).toMatchObject({ method: 'POST', url: `${base}/mot-cua/thong-ke`, body: '{"tuNgay": "18/11/2026", "denNgay": "20/11/2026", "trang": 1}' });
    expect(report.exchanges[0]!.request.headers.authorization).toBe('••••');
    expect(report.exchanges[0]!.response).toMatchObject({ status: 201, contentType: 'application/json; charset=utf-8', truncated: false });
    expect(report.exchanges[0]!.response!.body).toContain('\n  "duLieu": [\n');
    expect(JSON.stringify(report)).not.toContain(BASIC.password);
  });

  it("a 400's own words reach the poll run, the source's health and the test report", async () => {
    // The vendor wants dd/MM/yyyy; the administrator wrote {from}.
    const source = await addSource({ ...ONE_STOP, request: { ...POST_BODY, body: '{"tuNgay": "{from}", "denNgay": "{to}", "trang": {page}}' } });
    const outcome = await poll(source);
    const words = 'HTTP 400 từ nguồn: «Tham số tuNgay/denNgay phải có dạng dd/MM/yyyy»';
    expect(outcome).toMatchObject({ outcome: 'failed', error: words });
    expect(await runOf(outcome.pollRunId)).toMatchObject({ outcome: 'failed', error: words, error_stage: 'http', http_status: 400 });
    expect(await healthOf(source)).toEqual({ last_error: words, last_error_stage: 'http' });

    const report = await testConnection(db.sql, source, BASIC, { now: NOW });
    expect(report).toMatchObject({ ok: false, stage: 'http', error: words, vendorMessage: 'Tham số tuNgay/denNgay phải có dạng dd/MM/yyyy', httpStatus: 400, accepted: 0 });
    expect(report.exchanges).toHaveLength(1);
    expect(report.exchanges[0]!.request.body).toBe('{"tuNgay": "2026-11-18", "denNgay": "2026-11-20", "trang": 1}');
    expect(report.exchanges[0]!.response).toMatchObject({ status: 400, body: '{\n  "maLoi": "E_THAM_SO",\n  "thongBao": "Tham số tuNgay/denNgay phải có dạng dd/MM/yyyy"\n}' });

    // Corrected, the next poll succeeds and the failure's stage is cleared.
    await db.sql`update data_sources set request = ${JSON.stringify({ ...DEFAULT_REQUEST, ...POST_BODY })}::jsonb where id = ${source.id}`;
    const fixed = await poll((await loadSource(db.sql, source.id))!);
    expect(fixed).toMatchObject({ outcome: 'success', accepted: 2 });
    expect(await healthOf(source)).toEqual({ last_error: null, last_error_stage: null });
  });

  it('stops a runaway paginator at the page limit and fails the poll in words, storing nothing', async () => {
    const source = await addSource({ path: '/vo-tan?trang={page}', expression: 'rows.{ "unitCode": ma, "date": $request.to, "values": { "dossier.received": n } }', request: { pagination: { kind: 'page', start: 1, maxPages: 3 } } });
    seen.length = 0;
    const outcome = await poll(source);
    expect(outcome.outcome).toBe('failed');
    expect(outcome.error).toMatch(/^nguồn vẫn còn trang sau 3 trang \(giới hạn số trang mỗi lần lấy\): không lưu một phần dữ liệu/);
    expect(seen.map((s) => s.url)).toEqual(['/vo-tan?trang=1', '/vo-tan?trang=2', '/vo-tan?trang=3']);
    expect(await runOf(outcome.pollRunId)).toMatchObject({ error_stage: 'config' });
    expect(await stored(source)).toEqual([]);
  });

  it("follows a cursor the 'next' expression finds, three pages, and refuses a next link to another host", async () => {
    const source = await addSource({
      path: '/con-tro?after={cursor}', expression: 'items.{ "unitCode": ma, "date": $request.to, "values": { "dossier.received": n } }',
      request: { pagination: { kind: 'next', expression: 'next', maxPages: 5 } }
    });
    seen.length = 0;
    expect(await poll(source)).toMatchObject({ outcome: 'success', accepted: 3 });
    expect(seen.map((s) => s.url)).toEqual(['/con-tro?after=', '/con-tro?after=c2', '/con-tro?after=c3']);
    expect((await stored(source)).map((r) => r.value)).toEqual([10, 20, 30]);

    const foreign = await addSource({
      path: '/thang', expression: 'rows.{ "unitCode": ma, "date": $request.to, "values": { "dossier.received": n } }',
      request: { pagination: { kind: 'next', expression: 'next', maxPages: 5 } }
    });
    const report = await testConnection(db.sql, foreign, { kind: 'none' }, { now: NOW });
    expect(report).toMatchObject({ ok: false, stage: 'config', error: `liên kết trang sau http://elsewhere.example không cùng địa chỉ với nguồn (${base}): bị từ chối` });
    expect(report.exchanges).toHaveLength(1);
  });

  it('one bad cell rejects its row, and the others are stored', async () => {
    // $number("abc") is a sentinel: the row checks reject it with the value quoted.
    const plain = await addSource({ path: '/mot-o-hong', expression: 'rows#$i.{ "row": $i, "unitCode": ma, "date": $request.to, "values": { "dossier.received": $number(n) } }' });
    const outcome = await poll(plain);
    expect(outcome).toMatchObject({ outcome: 'partial', accepted: 2, rejected: 1 });
    expect((await runOf(outcome.pollRunId)).rejections).toEqual([{ index: 1, reason: 'dossier.received: giá trị «abc» không phải là số (đơn vị 00004, 2026-11-20)' }]);
    expect((await stored(plain)).map((r) => [r.code, r.value])).toEqual([['00001', 7], ['00006', 9]]);

    // Arithmetic on it fails JSONata itself: with each:, only that record's row.
    const each = await addSource({ path: '/mot-o-hong', each: 'rows', expression: '{ "unitCode": ma, "date": $request.to, "values": { "dossier.received": $number(n) * 1 } }' });
    const perRecord = await poll(each);
    expect(perRecord).toMatchObject({ outcome: 'partial', accepted: 2, rejected: 1 });
    const [rejection] = (await runOf(perRecord.pollRunId)).rejections!;
    expect(rejection).toMatchObject({ index: 1, reason: expect.stringMatching(/^phép ánh xạ lỗi ở bản ghi này: T20\d\d: /) });
    // Without each:, the same mapping fails the body, at the mapping stage, in words.
    const whole = await addSource({ path: '/mot-o-hong', expression: 'rows.{ "unitCode": ma, "date": $request.to, "values": { "dossier.received": $number(n) * 1 } }' });
    const failed = await poll(whole);
    expect(failed).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^phép ánh xạ lỗi trên dữ liệu này: T20\d\d: /) });
    expect(await runOf(failed.pollRunId)).toMatchObject({ error_stage: 'mapping' });

    // The test report numbers the rejected row by its place in the body.
    const report = await testConnection(db.sql, each, { kind: 'none' }, { now: NOW });
    expect(report).toMatchObject({ ok: true, read: 3, accepted: 2, rejectedCount: 1, rejected: [{ index: 1 }], shown: { samples: 2, rejected: 1 } });
  });

  it('"1.000" is refused, quoted, with no declared locale, and is 1000 with vi', async () => {
    const expression = 'rows#$i.{ "row": $i, "unitCode": ma, "date": $request.to, "values": { "dossier.received": $number(n) } }';
    const undeclared = await addSource({ path: '/nghin', expression });
    const outcome = await poll(undeclared);
    expect(outcome).toMatchObject({ outcome: 'partial', accepted: 1, rejected: 1 });
    expect((await runOf(outcome.pollRunId)).rejections).toEqual([
      { index: 0, reason: 'dossier.received: số «1.000» không rõ cách viết: 1000 (vi) hay 1 (en)? Hãy khai báo cách viết số của nguồn (đơn vị 00001, 2026-11-20)' }
    ]);
    const vi = await addSource({ path: '/nghin', expression, numberLocale: 'vi' });
    expect(await poll(vi)).toMatchObject({ outcome: 'success', accepted: 2 });
    expect((await stored(vi)).map((r) => [r.code, r.value])).toEqual([['00001', 1000], ['00004', 12]]);
    // Nothing stored for a test: the report says the same, over all rows.
    const report = await testConnection(db.sql, undeclared, { kind: 'none' }, { now: NOW });
    expect(report).toMatchObject({ ok: true, read: 2, accepted: 1, rejectedCount: 1 });
    expect(report.rejected[0]!.reason).toContain('«1.000»');
  });

  it('dates a body without dates by $request (a monthly source: the month of the window)', async () => {
    const source = await addSource({
      path: '/thang?thang={month:MM}&nam={year}', granularity: 'month',
      expression: 'rows.{ "unitCode": ma, "date": $request.period.start, "values": { "dossier.received": n } }'
    });
    seen.length = 0;
    expect(await poll(source)).toMatchObject({ outcome: 'success', accepted: 1 });
    expect(seen[0]!.url).toBe('/thang?thang=11&nam=2026');
    expect(await stored(source)).toEqual([{ code: '00001', day: '2026-11-01', value: 5 }]);
  });

  it('says when nothing at all is valid', async () => {
    const source = await addSource({ path: '/nghin', expression: 'rows.{ "unitCode": "99999", "date": $request.to, "values": { "dossier.received": 1 } }' });
    const report = await testConnection(db.sql, source, { kind: 'none' }, { now: NOW });
    expect(report).toMatchObject({ ok: false, stage: 'mapping', read: 2, accepted: 0, rejectedCount: 2 });
    expect(report.error).toMatch(/^không có dòng hợp lệ nào: đọc được 2 dòng, 2 dòng bị từ chối/);
  });
});
