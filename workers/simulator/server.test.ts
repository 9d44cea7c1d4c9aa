import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierRow } from './dossiers-api.ts';
import { dossierDay } from './dossiers.ts';
import { eidRow } from './eid-api.ts';
import { eidDay } from './eid.ts';
import { PAYMENT_CSV_HEADER, csvLine, paymentRow } from './payments-api.ts';
import { paymentMonth } from './payments.ts';
import { tasksOf } from './tasks.ts';
import { AUTH, NOON, PATHS, someUnits, startSimulator } from './test-kit.ts';

const units = someUnits(2);
const communes = units.filter((u) => u.level === 'commune');
let s: Awaited<ReturnType<typeof startSimulator>>;
beforeAll(async () => {
  s = await startSimulator({ units });
});
afterAll(() => s.sim.close());

describe('the simulator over HTTP', () => {
  it('serves the dossier system: rows per commune and day, as dossierDay says', async () => {
    const r = await s.get('dossier');
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ maHeThong: 'MOTCUA', thoiDiem: NOON.toISOString(), soBanGhi: 3 * communes.length });
    const expected = ['2026-11-18', '2026-11-19', '2026-11-20'].flatMap((d) => communes.map((u) => dossierRow(u.code, d, dossierDay('test', u.code, d, NOON))));
    expect(body.duLieu).toEqual(expected);
    expect(Object.keys(body.duLieu[0])).toEqual([
      'maDonVi', 'ngay', 'tiepNhan', 'tiepNhanTrucTuyen', 'daGiaiQuyet', 'giaiQuyetDungHan',
      'dangGiaiQuyetTrongHan', 'dangGiaiQuyetQuaHan', 'soHoaThanhPhan', 'coPhiLePhi', 'thanhToanTrucTuyen'
    ]);
    const denied = await fetch(s.base + PATHS.dossier, { headers: { 'x-api-key': 'wrong' } });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({ maLoi: 'XAC_THUC', thongBao: 'API key không hợp lệ' });
  });
  it('serves the e-ID statistics: every commune and day, HTTP Basic', async () => {
    const r = await s.get('eid');
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ code: 0, message: 'success', payload: { asOf: NOON.toISOString() } });
    const expected = ['2026-11-18', '2026-11-19', '2026-11-20'].flatMap((d) => communes.map((u) => eidRow(u.code, d, eidDay('test', u.code, d, NOON))));
    expect(body.payload.items).toEqual(expected);
    expect(body.payload.items[0]).toEqual({ areaCode: communes[0]!.code, date: '2026-11-18', stats: expect.objectContaining({ eligible: expect.any(Number) }) });
    const wrong: Record<string, string>[] = [{}, { authorization: `Basic ${Buffer.from('cityops:nope').toString('base64')}` }, AUTH.dossier];
    for (const headers of wrong) {
      const denied = await fetch(s.base + PATHS.eid, { headers });
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(await denied.json()).toMatchObject({ code: 401, payload: null });
    }
  });
  it('serves the welfare payments as CSV: CRLF, quoted names, MM/YYYY, no month after now', async () => {
    const r = await s.get('payment');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]); // no BOM
    const text = new TextDecoder().decode(bytes);
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(0, -2).split('\r\n');
    expect(lines[0]).toBe(PAYMENT_CSV_HEADER);
    expect(text.replaceAll('\r\n', '').includes('\n')).toBe(false);
    const months = ['2026-09', '2026-10', '2026-11']; // asked up to 2026-11; it is 20 November
    const expected = months.flatMap((m) => communes.map((u) => csvLine(paymentRow(u.code, u.name, m, paymentMonth('test', u.code, m, NOON)!))));
    expect(lines.slice(1)).toEqual(expected);
    expect(lines[1]).toMatch(/^\d{5},"[^"]+",09\/2026,\d+,\d+,\d+,\d+$/);
    const future = await fetch(`${s.base}/ansinh/bao-cao/chi-tra.csv?tuThang=2026-11&denThang=2027-01`, { headers: AUTH.payment });
    expect((await future.text()).trim().split('\r\n')).toHaveLength(1 + communes.length);
    const denied = await fetch(s.base + PATHS.payment, { headers: { authorization: 'Bearer wrong' } });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ trang_thai: 'loi', ma_loi: 'KHONG_XAC_THUC' });
  });
  it('serves the task tracker: every district and commune, as tasksOf says', async () => {
    const r = await s.get('task');
    expect(r.status).toBe(200);
    const body = await r.json();
    const expected = units.flatMap((u) => tasksOf('test', u.code, '2026-11-01', '2026-11-20', NOON));
    expect(body).toEqual({ tongSo: expected.length, nhiemVu: expected });
    expect(expected.some((t) => t.donViThucHien.length === 3)).toBe(true);
    expect(expected.some((t) => t.donViThucHien.length === 5)).toBe(true);
    expect(expected.some((t) => t.ngayHoanThanh === null)).toBe(true);
    const denied = await fetch(s.base + PATHS.task, { headers: {} });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ loi: { ma: 'TOKEN_KHONG_HOP_LE' } });
  });
  it('answers 400 with a message for bad or too long ranges, in each system’s style', async () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['/motcua/api/v1/thong-ke-ngay?tuNgay=2026-11-01', AUTH.dossier, /denNgay/],
      ['/motcua/api/v1/thong-ke-ngay?tuNgay=2025-01-01&denNgay=2026-11-20', AUTH.dossier, /tối đa 400 ngày/],
      ['/vneid/api/v2/statistics?from=2026-02-30&to=2026-03-01', AUTH.eid, /invalid from/],
      ['/vneid/api/v2/statistics?from=2025-01-01&to=2026-11-20', AUTH.eid, /at most 400/],
      ['/ansinh/bao-cao/chi-tra.csv?tuThang=2026-1&denThang=2026-11', AUTH.payment, /tuThang/],
      ['/ansinh/bao-cao/chi-tra.csv?tuThang=2025-09&denThang=2026-11', AUTH.payment, /tối đa 14 tháng/],
      ['/qlvb/api/nhiem-vu?tu_ngay=2026-11-20&den_ngay=2026-11-01', AUTH.task, /tu_ngay phải trước/],
      ['/qlvb/api/nhiem-vu?tu_ngay=2025-01-01&den_ngay=2026-11-20', AUTH.task, /tối đa 400 ngày/]
    ];
    for (const [path, headers, message] of cases) {
      const r = await fetch(s.base + path, { headers });
      expect(r.status, path).toBe(400);
      expect(JSON.stringify(await r.json()), path).toMatch(message);
    }
    // 400 days that exist are fine, however far `to` reaches into the future.
    const r = await fetch(`${s.base}/vneid/api/v2/statistics?from=2025-10-17&to=2027-01-01`, { headers: AUTH.eid });
    expect(r.status).toBe(200);
  });
  it('still takes dossier overrides', async () => {
    const before = dossierDay('test', communes[0]!.code, '2026-11-19', NOON).received;
    const set = await fetch(`${s.base}/_sim/overrides`, { method: 'POST', body: JSON.stringify({ unitCode: communes[0]!.code, date: '2026-11-19', receivedDelta: 7 }) });
    expect(set.status).toBe(200);
    const row = (await (await s.get('dossier')).json()).duLieu.find((d: { maDonVi: string; ngay: string }) => d.maDonVi === communes[0]!.code && d.ngay === '2026-11-19');
    expect(row.tiepNhan).toBe(before + 7);
    expect((await fetch(`${s.base}/_sim/overrides`, { method: 'DELETE' })).status).toBe(200);
  });
  it('switches faults through /_sim/faults, and refuses bad bodies naming the field', async () => {
    const list = async () => (await fetch(`${s.base}/_sim/faults`)).json();
    expect(await list()).toEqual({ dossier: null, eid: null, payment: null, task: null, portal: null });
    await s.setFault({ system: 'eid', fault: 'http_5xx' });
    await s.setFault({ system: 'task', fault: 'latency', ms: 10 });
    expect(await list()).toEqual({ dossier: null, eid: { fault: 'http_5xx', status: 503 }, payment: null, task: { fault: 'latency', ms: 10 }, portal: null });
    const bad = await fetch(`${s.base}/_sim/faults`, { method: 'POST', body: JSON.stringify({ system: 'eid', fault: 'slow' }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^fault: /);
    const notJson = await fetch(`${s.base}/_sim/faults`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect((await fetch(`${s.base}/_sim/faults?system=bank`, { method: 'DELETE' })).status).toBe(400);
    expect(await (await fetch(`${s.base}/_sim/faults?system=eid`, { method: 'DELETE' })).json()).toEqual({
      dossier: null, eid: null, payment: null, task: { fault: 'latency', ms: 10 }, portal: null
    });
    await s.clearFaults();
    expect(await list()).toEqual({ dossier: null, eid: null, payment: null, task: null, portal: null });
  });
});

describe('a simulator started with SIM_FAULTS', () => {
  it('has those faults from the start and keeps /healthz healthy', async () => {
    const t = await startSimulator({ units, faults: 'eid:http_5xx:502,dossier:timeout,payment:reset,task:drip' });
    try {
      expect((await fetch(`${t.base}/_sim/faults`).then((r) => r.json())).eid).toEqual({ fault: 'http_5xx', status: 502 });
      expect((await t.get('eid')).status).toBe(502);
      const health = await fetch(`${t.base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
    } finally {
      await t.sim.close();
    }
  });
  it('refuses to start with an invalid SIM_FAULTS', async () => {
    await expect(startSimulator({ units, faults: 'eid:flaky' })).rejects.toThrow(/SIM_FAULTS: "eid:flaky"/);
  });
});
