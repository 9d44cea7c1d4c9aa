import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierDay } from './dossiers.ts';
import { FAULT_OFFSETS } from './faults.ts';
import {
  ONE_STOP_DATE_MESSAGE, ONE_STOP_FIELDS, ONE_STOP_PAGE_SIZE, ONE_STOP_PATH, isoOfViDate, oneStopDay, oneStopItem, viDate, viNumber, type OneStopItem
} from './mot-cua-api.ts';
import { AUTH, NOON, someUnits, startSimulator } from './test-kit.ts';

const units = someUnits(4);
const communes = units.filter((u) => u.level === 'commune');
const districtName = new Map(units.filter((u) => u.level === 'district').map((u) => [u.code, u.name]));
let s: Awaited<ReturnType<typeof startSimulator>>;
beforeAll(async () => {
  s = await startSimulator({ units });
});
afterAll(() => s.sim.close());

type Page = { thanhCong: boolean; trang: number; tongSoTrang: number; soXaMoiTrang: number; duLieu: { dsHuyen: { maHuyen: string; tenHuyen: string; dsXa: OneStopItem[] }[] } };

const post = (body: unknown, headers: Record<string, string> = AUTH.motCua, raw = false) =>
  fetch(s.base + ONE_STOP_PATH, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw ? (body as string) : JSON.stringify(body) });

describe('the fifth vendor, a one-stop-shop reporting system (POST, pages, HTTP Basic)', () => {
  it('writes numbers and dates the Vietnamese way', () => {
    expect([0, 7, 999, 1000, 1234, 1234567].map(viNumber)).toEqual(['0', '7', '999', '1.000', '1.234', '1.234.567']);
    expect(viDate('2026-11-08')).toBe('08/11/2026');
    expect(isoOfViDate('08/11/2026')).toBe('2026-11-08');
    for (const bad of ['8/11/2026', '2026-11-08', '30/02/2026', '', 20261108, null]) expect(isoOfViDate(bad)).toBeNull();
  });

  it('answers page 1: nested district → commune, one item per commune and day, as oneStopDay says', async () => {
    const r = await post({ tuNgay: '18/11/2026', denNgay: '20/11/2026', trang: 1 });
    expect(r.status).toBe(200);
    const body = (await r.json()) as Page;
    const pages = Math.ceil(communes.length / ONE_STOP_PAGE_SIZE);
    expect(pages).toBeGreaterThan(1);
    expect(body).toMatchObject({ thanhCong: true, trang: 1, tongSoTrang: pages, soXaMoiTrang: 50 });
    const onPage = communes.slice(0, ONE_STOP_PAGE_SIZE);
    const items = body.duLieu.dsHuyen.flatMap((h) => h.dsXa);
    expect(items).toEqual(
      onPage.flatMap((u) => ['2026-11-18', '2026-11-19', '2026-11-20'].map((d) => oneStopItem(u.code, u.name, d, oneStopDay('test', u.code, d, NOON))))
    );
    for (const h of body.duLieu.dsHuyen) {
      expect(h.tenHuyen).toBe(districtName.get(h.maHuyen));
      for (const x of h.dsXa) expect(communes.find((u) => u.code === x.maXa)!.parentCode).toBe(h.maHuyen);
    }
    expect(Object.keys(items[0]!)).toEqual(['maXa', 'tenXa', 'ngay', ...Object.keys(ONE_STOP_FIELDS)]);
    expect(items[0]!.ngay).toBe('18/11/2026');
    for (const x of items) for (const f of Object.keys(ONE_STOP_FIELDS)) expect(x[f as keyof OneStopItem]).toMatch(/^\d{1,3}(\.\d{3})*$/);
  });

  it('pages through every commune once, then answers an empty page', async () => {
    const seen: string[] = [];
    let page = 1;
    for (; ; page++) {
      const body = (await (await post({ tuNgay: '20/11/2026', denNgay: '20/11/2026', trang: page })).json()) as Page;
      if (!body.duLieu.dsHuyen.length) break;
      expect(body.trang).toBe(page);
      seen.push(...body.duLieu.dsHuyen.flatMap((h) => h.dsXa.map((x) => x.maXa)));
    }
    expect(page).toBe(Math.ceil(communes.length / ONE_STOP_PAGE_SIZE) + 1);
    expect(seen).toEqual(communes.map((u) => u.code));
    // "trang" as a string is read too, and left out it is page 1.
    expect(((await (await post({ tuNgay: '20/11/2026', denNgay: '20/11/2026', trang: '2' })).json()) as Page).trang).toBe(2);
    expect(((await (await post({ tuNgay: '20/11/2026', denNgay: '20/11/2026' })).json()) as Page).trang).toBe(1);
  });

  it('counts differently from the seeded dossier API, and realistically', () => {
    let differ = 0;
    let days = 0;
    for (const u of communes.slice(0, 20)) {
      for (const d of ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19']) {
        const mine = oneStopDay('test', u.code, d, NOON);
        const seeded = dossierDay('test', u.code, d, NOON);
        days++;
        if (mine.received !== seeded.received || mine.resolvedOnTime !== seeded.resolvedOnTime) differ++;
        expect(mine.receivedOnline).toBeLessThanOrEqual(mine.received);
        expect(mine.resolvedOnTime).toBeLessThanOrEqual(mine.resolved);
        expect(mine.paidOnline).toBeLessThanOrEqual(mine.withFee);
        expect(mine.resolved + mine.pendingOnTime + mine.pendingOverdue).toBe(mine.received);
        expect(mine.received).toBeLessThan(300);
      }
    }
    expect(differ).toBeGreaterThan(days * 0.9);
  });

  it('answers any past 31 days (a backfill), and no day after today', async () => {
    const old = (await (await post({ tuNgay: '01/10/2025', denNgay: '31/10/2025', trang: 1 })).json()) as Page;
    expect(old.duLieu.dsHuyen.flatMap((h) => h.dsXa)).toHaveLength(Math.min(ONE_STOP_PAGE_SIZE, communes.length) * 31);
    const future = (await (await post({ tuNgay: '19/11/2026', denNgay: '10/12/2026', trang: 1 })).json()) as Page;
    expect(new Set(future.duLieu.dsHuyen.flatMap((h) => h.dsXa.map((x) => x.ngay)))).toEqual(new Set(['19/11/2026', '20/11/2026']));
  });

  it('answers 400 with its own Vietnamese message on a bad parameter', async () => {
    const cases: [unknown, string | RegExp][] = [
      [{ tuNgay: '2026-11-18', denNgay: '20/11/2026', trang: 1 }, ONE_STOP_DATE_MESSAGE],
      [{ tuNgay: '18/11/2026', trang: 1 }, ONE_STOP_DATE_MESSAGE],
      [{ tuNgay: '31/02/2026', denNgay: '20/11/2026', trang: 1 }, ONE_STOP_DATE_MESSAGE],
      [{ tuNgay: '20/11/2026', denNgay: '18/11/2026' }, 'tuNgay phải trước hoặc bằng denNgay'],
      [{ tuNgay: '01/10/2026', denNgay: '01/11/2026' }, /tối đa 31 ngày, yêu cầu 32 ngày/],
      [{ tuNgay: '31/12/2019', denNgay: '10/01/2020' }, 'Hệ thống vận hành từ 01/01/2020: không có số liệu trước ngày này'],
      [{ tuNgay: '18/11/2026', denNgay: '20/11/2026', trang: 0 }, /Tham số trang phải là số nguyên/],
      [[1, 2], /đối tượng JSON/]
    ];
    for (const [body, message] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      const answer = await r.json();
      expect(answer).toMatchObject({ thanhCong: false, maLoi: 'THAM_SO_KHONG_HOP_LE' });
      expect(answer.thongBao).toMatch(message);
    }
    const notJson = await post('tuNgay=18/11/2026', AUTH.motCua, true);
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).thongBao).toMatch(/phải là JSON/);
    expect(await (await post({ tuNgay: '2026-11-18', denNgay: '2026-11-20' })).json()).toEqual({
      thanhCong: false, maLoi: 'THAM_SO_KHONG_HOP_LE', thongBao: 'Tham số tuNgay/denNgay phải có dạng dd/MM/yyyy'
    });
  });

  it('takes HTTP Basic only with its own credentials (401 otherwise), and POST only', async () => {
    const body = { tuNgay: '20/11/2026', denNgay: '20/11/2026', trang: 1 };
    const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    for (const headers of [{}, basic('motcua5', 'sai'), basic('cityops', 'demo-vneid-2026'), AUTH.dossier]) {
      const r = await post(body, headers);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(await r.json()).toEqual({ thanhCong: false, maLoi: 'CHUA_XAC_THUC', thongBao: 'Sai tên đăng nhập hoặc mật khẩu' });
    }
    // Credentials are checked before the parameters: a stranger learns nothing about them.
    expect((await post({ tuNgay: 'x' }, {})).status).toBe(401);
    const get = await fetch(s.base + ONE_STOP_PATH, { headers: AUTH.motCua });
    expect(get.status).toBe(405);
    expect((await get.json()).thongBao).toMatch(/dùng POST/);
    const other = await startSimulator({ units, keys: { motCua: { username: 'tinh', password: 'khac' } } });
    try {
      const r = await fetch(other.base + ONE_STOP_PATH, { method: 'POST', headers: basic('tinh', 'khac'), body: JSON.stringify(body) });
      expect(r.status).toBe(200);
    } finally {
      await other.sim.close();
    }
  });

  it('shares the dossier system’s faults: a row fault touches its items, an outage its answers', async () => {
    const body = { tuNgay: '18/11/2026', denNgay: '20/11/2026', trang: 1 };
    const normal = (await (await post(body)).json()) as Page;
    await s.setFault({ system: 'dossier', fault: 'wrong_types' });
    try {
      const items = ((await (await post(body)).json()) as Page).duLieu.dsHuyen.flatMap((h) => h.dsXa);
      const before = normal.duLieu.dsHuyen.flatMap((h) => h.dsXa);
      expect(items[FAULT_OFFSETS.wrong_types]!.tiepNhan).toBe(`${before[FAULT_OFFSETS.wrong_types]!.tiepNhan} hồ sơ`);
      expect(items[0]).toEqual(before[0]);
      await s.setFault({ system: 'dossier', fault: 'http_5xx' });
      const down = await post(body);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ thanhCong: false, maLoi: 'LOI_HE_THONG', thongBao: '503 Service Unavailable' });
    } finally {
      await s.clearFaults();
    }
  });
});
