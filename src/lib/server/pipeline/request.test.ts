import { describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST, type RequestSpec } from '#db/schema/sources';
import { checkRequest, checkTemplate, describeRequest, exampleUrl, MASK, PLACEHOLDER_HELP, prepareRequest, requestBinding } from './request.ts';
import { SourceError, type Credentials } from './types.ts';
import { shownBody, vendorMessageOf } from './client.ts';

const window = { from: '2026-11-01', to: '2026-11-20' };
const none: Credentials = { kind: 'none' };
const get = (urlTemplate: string, at = {}, credentials: Credentials = none) => prepareRequest({ urlTemplate }, window, at, credentials);
const post = (request: Partial<RequestSpec>, credentials: Credentials = none, at = {}) =>
  prepareRequest({ urlTemplate: 'https://vendor.example/api', request: { ...DEFAULT_REQUEST, method: 'POST', ...request } }, window, at, credentials);

describe('placeholders', () => {
  it('fills every placeholder, with its default format', () => {
    const url = get('https://x.example/a?f={from}&t={to}&fm={fromMonth}&tm={toMonth}&m={month}&q={quarter}&y={year}&p={page}&c={cursor}').url;
    expect(url).toBe('https://x.example/a?f=2026-11-01&t=2026-11-20&fm=2026-11&tm=2026-11&m=11&q=4&y=2026&p=1&c=');
  });

  it('takes any Luxon format after a colon', () => {
    const t = (template: string) => get(`https://x.example/?v=${template}`).url.slice('https://x.example/?v='.length);
    expect(t('{from:dd/MM/yyyy}')).toBe('01%2F11%2F2026');
    expect(t('{to:yyyyMMdd}')).toBe('20261120');
    expect(t('{to:d.M.yy}')).toBe('20.11.26');
    expect(t('{month:MM}')).toBe('11');
    expect(t('{month:MM/yyyy}')).toBe('11%2F2026');
    expect(t('{year:yy}')).toBe('26');
    expect(t('{fromMonth:MM-yyyy}')).toBe('11-2026');
    expect(t("{from:yyyy-MM-dd'T'HH:mm:ss}")).toBe('2026-11-01T00%3A00%3A00');
    // A window across a year: {month} {quarter} {year} are those of its first day.
    const jan = prepareRequest({ urlTemplate: 'https://x.example/{year}/{quarter}/{month:MM}' }, { from: '2026-12-30', to: '2027-01-02' }, {}, none);
    expect(jan.url).toBe('https://x.example/2026/4/12');
  });

  it('fills the page and the cursor', () => {
    expect(get('https://x.example/?page={page}&after={cursor}', { page: 3, cursor: 'a b/c' }).url).toBe('https://x.example/?page=3&after=a%20b%2Fc');
  });

  it('keeps the seeded templates exactly as they were', () => {
    expect(get('http://sim:4010/motcua/api/thong-ke-ngay?tuNgay={from}&denNgay={to}').url).toBe('http://sim:4010/motcua/api/thong-ke-ngay?tuNgay=2026-11-01&denNgay=2026-11-20');
    expect(get('http://sim/ansinh/{fromMonth}/{toMonth}.csv').url).toBe('http://sim/ansinh/2026-11/2026-11.csv');
  });

  it('escapes values for where they go: URL, JSON body, form body, header', () => {
    const cursor = 'x"y&z=1 ü';
    expect(get('https://x.example/?c={cursor}', { cursor }).url).toBe('https://x.example/?c=x%22y%26z%3D1%20%C3%BC');
    const json = post({ body: '{"c": "{cursor}", "tuNgay": "{from:dd/MM/yyyy}", "trang": {page}}', bodyType: 'json' }, none, { cursor: 'a"b\\c\n', page: 2 });
    expect(JSON.parse(json.body!)).toEqual({ c: 'a"b\\c\n', tuNgay: '01/11/2026', trang: 2 });
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const form = post({ body: 'c={cursor}&tu={from:dd/MM/yyyy}', bodyType: 'form' }, none, { cursor });
    expect(form.body).toBe('c=x%22y%26z%3D1+%C3%BC&tu=01%2F11%2F2026');
    expect(Object.fromEntries(new URLSearchParams(form.body!))).toEqual({ c: cursor, tu: '01/11/2026' });
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(post({ headers: { 'X-Ky': '{year}-Q{quarter}', 'X-Cursor': '{cursor}' } }, none, { cursor: 'a b' }).headers).toMatchObject({ 'x-ky': '2026-Q4', 'x-cursor': 'a b' });
  });

  it('refuses a JSON body that the filled values make invalid', () => {
    expect(() => post({ body: '{"trang": {cursor}}' })).toThrow(/thân yêu cầu không phải JSON hợp lệ sau khi điền biến/);
  });

  it('sends a GET without a body', () => {
    const r = prepareRequest({ urlTemplate: 'https://x.example/', request: { ...DEFAULT_REQUEST, body: '{"a":1}' } }, window, {}, none);
    expect(r).toMatchObject({ method: 'GET', body: null });
  });
});

describe('checkTemplate', () => {
  it('accepts every placeholder and format, and braces that are not placeholders', () => {
    expect(checkTemplate('https://x.example/?f={from:dd/MM/yyyy}&t={to:yyyyMMdd}&m={month}&q={quarter}&y={year}&p={page}&c={cursor}')).toEqual([]);
    expect(checkTemplate('{"tuNgay": "{from:dd/MM/yyyy}", "loc": {"a": 1}, "trang": {page}}')).toEqual([]);
    expect(checkTemplate("{from:'ngày' d 'tháng' M}")).toEqual([]);
  });

  it('names an unknown placeholder and an invalid format, in Vietnamese', () => {
    expect(checkTemplate('https://x.example/?f={tuNgay}')).toEqual([expect.stringMatching(/^biến \{tuNgay\} không có \(dùng \{from\}, \{to\}/)]);
    expect(checkTemplate('{from:dd/MM/YYYY}')).toEqual(['biến {from:dd/MM/YYYY}: định dạng không hợp lệ: «YYYY» không phải là ký hiệu ngày tháng (vd. dd/MM/yyyy, yyyyMMdd; chữ thường đặt trong dấu \')']);
    expect(checkTemplate('{to:}')).toEqual(['biến {to:}: định dạng không hợp lệ: định dạng trống']);
    expect(checkTemplate("{to:'abc}")).toEqual(["biến {to:'abc}: định dạng không hợp lệ: dấu ' mở mà không đóng"]);
    expect(checkTemplate('{page:00}')).toEqual(['biến {page} không nhận định dạng ({page:00})']);
    expect(checkTemplate('{quarter:q}')).toEqual(['biến {quarter} không nhận định dạng ({quarter:q})']);
    expect(checkTemplate('{from:dd} {nam}')).toHaveLength(1);
  });

  it('checks a whole request field by field', () => {
    const problems = checkRequest('https://x.example/{x}', { ...DEFAULT_REQUEST, headers: { 'bad name': 'a', 'X-A': '{y}' }, body: '{"a": "{z}"}' });
    expect(problems.map((p) => p.field)).toEqual(['urlTemplate', 'headers', 'headers', 'body']);
  });

  it('never sends a template with a problem', () => {
    expect(() => get('https://x.example/?f={from:dd/MM/YYYY}')).toThrow(SourceError);
    try {
      get('https://x.example/?f={tuNgay}');
    } catch (e) {
      expect(e).toMatchObject({ stage: 'config', message: expect.stringMatching(/^biến \{tuNgay\} không có/) });
    }
  });

  it('has help for every placeholder, in both languages', () => {
    const tokens = PLACEHOLDER_HELP.map((h) => h.token).join(' ');
    for (const name of ['from', 'to', 'fromMonth', 'toMonth', 'month', 'quarter', 'year', 'page', 'cursor']) expect(tokens).toContain(`{${name}`);
    for (const h of PLACEHOLDER_HELP) expect(h.meaning.vi && h.meaning.en && h.example).toBeTruthy();
  });

  it('gives an example URL for shape checks', () => {
    expect(exampleUrl('https://x.example/a?f={from:dd/MM/yyyy}&p={page}&k={apiKey}')).toBe('https://x.example/a?f=01%2F01%2F2026&p=1&k=x');
  });
});

describe('credentials and describeRequest', () => {
  it('adds the standard authentication and masks it', () => {
    const basic = get('https://x.example/', {}, { kind: 'basic', username: 'u', password: 'p' });
    expect(basic.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(describeRequest(basic).headers.authorization).toBe(MASK);
    const key = get('https://x.example/', {}, { kind: 'api_key', header: 'X-Api-Key', key: 's3cret' });
    expect(key.headers['x-api-key']).toBe('s3cret');
    expect(describeRequest(key).headers).toMatchObject({ 'x-api-key': MASK, accept: expect.any(String) });
    expect(describeRequest(get('https://x.example/', {}, { kind: 'bearer', token: 't0k' })).headers.authorization).toBe(MASK);
  });

  it('puts credentials where the templates say, instead of the standard header, and masks them everywhere', () => {
    const creds: Credentials = { kind: 'basic', username: 'donvi01', password: 'mật khẩu"1' };
    const r = post({ headers: { 'X-User': '{username}', 'X-Trace': 'abc' }, body: '{"matKhau": "{password}", "tu": "{from}"}' }, creds);
    expect(r.headers.authorization).toBeUndefined();
    expect(r.headers['x-user']).toBe('donvi01');
    expect(JSON.parse(r.body!).matKhau).toBe('mật khẩu"1');
    const shown = describeRequest(r);
    expect(shown.headers).toMatchObject({ 'x-user': MASK, 'x-trace': 'abc' });
    expect(JSON.parse(shown.body!)).toEqual({ matKhau: MASK, tu: '2026-11-01' });
    expect(JSON.stringify(shown)).not.toContain('mật khẩu');
    const form = post({ body: 'key={apiKey}&a=1', bodyType: 'form' }, { kind: 'api_key', header: 'x-api-key', key: 'k 1/2' });
    expect(form.body).toBe('key=k+1%2F2&a=1');
    expect(describeRequest(form).body).toBe(`key=${MASK}&a=1`);
    expect(form.headers['x-api-key']).toBeUndefined();
  });

  it('says which authentication a credential placeholder needs', () => {
    expect(() => post({ headers: { 'X-T': '{token}' } })).toThrow('biến {token} cần xác thực kiểu bearer, nguồn này không có thông tin đó');
  });
});

describe('$request', () => {
  it('names the period a window is', () => {
    expect(requestBinding({ from: '2026-11-20', to: '2026-11-20' }, 'day', 2)).toEqual({ from: '2026-11-20', to: '2026-11-20', period: { kind: 'day', start: '2026-11-20', end: '2026-11-20' }, page: 2 });
    expect(requestBinding({ from: '2026-10-01', to: '2026-10-31' }, 'day').period).toEqual({ kind: 'month', start: '2026-10-01', end: '2026-10-31' });
    expect(requestBinding({ from: '2026-11-01', to: '2026-11-20' }, 'month').period).toEqual({ kind: 'month', start: '2026-11-01', end: '2026-11-30' });
    expect(requestBinding({ from: '2026-10-01', to: '2026-12-31' }, 'day').period.kind).toBe('quarter');
    expect(requestBinding({ from: '2026-01-01', to: '2026-12-31' }, 'month').period.kind).toBe('year');
    expect(requestBinding({ from: '2026-11-18', to: '2026-11-20' }, 'day').period).toEqual({ kind: 'range', start: '2026-11-18', end: '2026-11-20' });
  });
});

describe('a periodic source\'s piece', () => {
  const piece = (kind: 'month' | 'quarter' | 'year', start: string, end: string) => ({ from: start, to: end, period: { kind, start, end } });
  const body = '{"timeType":"{timeType}","year":{year},"month":{month},"quarter":{quarter},"fromDate":"{from}","toDate":"{to}","currentPage":{page}}';
  const ask = (p: ReturnType<typeof piece>) =>
    JSON.parse(prepareRequest({ urlTemplate: 'https://portal.example/api', request: { ...DEFAULT_REQUEST, method: 'POST', body } }, p, { page: 1 }, none).body!);

  it('fills {timeType} with the period kind and {from} {to} with its first and last day', () => {
    expect(ask(piece('month', '2026-11-01', '2026-11-30'))).toEqual({ timeType: 'month', year: 2026, month: 11, quarter: 4, fromDate: '2026-11-01', toDate: '2026-11-30', currentPage: 1 });
    expect(ask(piece('quarter', '2026-07-01', '2026-09-30'))).toEqual({ timeType: 'quarter', year: 2026, month: 7, quarter: 3, fromDate: '2026-07-01', toDate: '2026-09-30', currentPage: 1 });
    expect(ask(piece('year', '2026-01-01', '2026-12-31'))).toMatchObject({ timeType: 'year', year: 2026, fromDate: '2026-01-01', toDate: '2026-12-31' });
  });

  it('names any other window as $request names it', () => {
    expect(get('https://x.example/?t={timeType}').url).toBe('https://x.example/?t=range');
    expect(prepareRequest({ urlTemplate: 'https://x.example/?t={timeType}' }, { from: '2026-10-01', to: '2026-10-31' }, {}, none).url).toBe('https://x.example/?t=month');
  });

  it('is checked like any placeholder and listed in the help, in Vietnamese and English', () => {
    expect(checkTemplate('{timeType}')).toEqual([]);
    expect(checkTemplate('{timeType:MM}')[0]).toMatch(/không nhận định dạng/);
    const help = PLACEHOLDER_HELP.find((p) => p.token === '{timeType}')!;
    expect(help.meaning.vi).toMatch(/tháng/);
    expect(help.meaning.en).toMatch(/quarter/);
  });

  it('gives the mapping the piece\'s period as $request.period', () => {
    expect(requestBinding(piece('month', '2026-11-01', '2026-11-30'), 'day').period).toEqual({ kind: 'month', start: '2026-11-01', end: '2026-11-30' });
    // A quarter is its own period, even for a monthly source whose window would otherwise be read as one month.
    expect(requestBinding(piece('quarter', '2026-10-01', '2026-12-31'), 'month', 3)).toEqual({
      from: '2026-10-01', to: '2026-12-31', period: { kind: 'quarter', start: '2026-10-01', end: '2026-12-31' }, page: 3
    });
  });
});

describe('responses as shown', () => {
  it("finds the vendor's own words in an error body", () => {
    expect(vendorMessageOf('{"maLoi": 400, "thongBao": "Tham số tuNgay/denNgay phải có dạng dd/MM/yyyy"}', 'application/json')).toBe('Tham số tuNgay/denNgay phải có dạng dd/MM/yyyy');
    expect(vendorMessageOf('{"error": {"code": 7, "message": "bad token"}}', 'application/json')).toBe('bad token');
    expect(vendorMessageOf('{"errors": [{"detail": "x"}]}', 'application/json')).toBe('x');
    expect(vendorMessageOf('<html><body><h1>Bad   Gateway</h1></body></html>', 'text/html')).toBe('Bad Gateway');
    expect(vendorMessageOf('', 'text/plain')).toBeNull();
    expect(vendorMessageOf('x'.repeat(900), 'text/plain')).toHaveLength(500);
  });

  it('pretty-prints JSON and cuts at 64 KB', () => {
    expect(shownBody('{"a":[1,2]}', 'application/json')).toEqual({ body: '{\n  "a": [\n    1,\n    2\n  ]\n}', truncated: false });
    expect(shownBody('not json', 'text/plain')).toEqual({ body: 'not json', truncated: false });
    const big = shownBody(JSON.stringify({ rows: Array.from({ length: 20_000 }, (_, i) => ({ i })) }), 'application/json');
    expect(big.truncated).toBe(true);
    expect(big.body.length).toBe(64 * 1024);
    expect(big.body.startsWith('{\n  "rows": [\n')).toBe(true);
  });
});
