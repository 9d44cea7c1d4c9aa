/**
 * The demo's systems across the reform of 01/07/2025: the units in force on each day, and a new
 * commune's figures as its predecessors' ground truth continued, times the lineage's shares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hanoiRegister } from '#server/seed/hanoi-2025';
import { daysBetween } from './calendar.ts';
import { dossierDay, type DossierDay } from './dossiers.ts';
import { eidDay } from './eid.ts';
import type { SimUnit } from './http.ts';
import { paymentMonth } from './payments.ts';
import { hanoiSimUnits, Register } from './register.ts';
import { registerTasks } from './tasks-api.ts';
import { tasksOf } from './tasks.ts';
import { AUTH, NOON, startSimulator } from './test-kit.ts';
import { unitDossiers, unitEid, unitPayments } from './truth.ts';

const units = hanoiSimUnits();
const register = new Register(units);
const reg = hanoiRegister();
const oldCommunes = new Set(reg.before.filter((u) => u.level === 'commune').map((u) => u.gsoCode));
const oldDistricts = new Set(reg.before.filter((u) => u.level === 'district').map((u) => u.gsoCode));
const newCommunes = new Set(reg.communes.map((u) => u.gsoCode));
const departments = new Set(reg.departments.map((u) => u.gsoCode));
const SEED = 'reform';
const byCode = (code: string) => units.find((u) => u.code === code && u.validFrom)!; // a new commune or department
const sorted = (xs: Iterable<string>) => [...xs].sort();

let s: Awaited<ReturnType<typeof startSimulator>>;
beforeAll(async () => {
  s = await startSimulator({ seed: SEED, units });
});
afterAll(() => s.sim.close());

const get = async (path: string, auth: Record<string, string>) => {
  const r = await fetch(s.base + path, { headers: auth });
  expect(r.status).toBe(200);
  return r;
};

describe('the demo register the systems report', () => {
  it('holds the old map until 30/06/2025, then 126 communes with their predecessors and the departments', () => {
    expect(register.on('2025-06-30').length).toBe(30 + 526);
    expect(register.on('2025-07-01').length).toBe(126 + reg.departments.length);
    expect(reg.departments.length).toBeGreaterThanOrEqual(15);
    expect(reg.departments.length).toBeLessThanOrEqual(20);
    expect(reg.lineage.length).toBe(795);
    // Every old commune's shares add up to 1: its figures are neither dropped nor counted twice.
    const total = new Map<string, number>();
    for (const u of units) for (const p of u.predecessors ?? []) total.set(p.code, (total.get(p.code) ?? 0) + p.share);
    expect(sorted(total.keys())).toEqual(sorted(oldCommunes));
    for (const share of total.values()) expect(share).toBeCloseTo(1, 12);
    // Xã Thanh Oai kept the code of Thị trấn Kim Bài, which went into it whole.
    expect(byCode('10114')).toMatchObject({ name: 'Xã Thanh Oai', validFrom: '2025-07-01' });
    expect(byCode('10114').predecessors).toContainEqual({ code: '10114', share: 1 });
  });
});

describe('a day before the reform: the old codes only', () => {
  const day = '2025-06-30'; // a Monday
  it('in every system', async () => {
    const dossier = await (await get(`/motcua/api/v1/thong-ke-ngay?tuNgay=${day}&denNgay=${day}`, AUTH.dossier)).json();
    expect(sorted(dossier.duLieu.map((r: { maDonVi: string }) => r.maDonVi))).toEqual(sorted(oldCommunes));
    const eid = await (await get(`/vneid/api/v2/statistics?from=${day}&to=${day}`, AUTH.eid)).json();
    expect(sorted(eid.payload.items.map((r: { areaCode: string }) => r.areaCode))).toEqual(sorted(oldCommunes));
    const csv = await (await get('/ansinh/bao-cao/chi-tra.csv?tuThang=2025-06&denThang=2025-06', AUTH.payment)).text();
    expect(sorted(csv.trim().split('\r\n').slice(1).map((l) => l.split(',')[0]!))).toEqual(sorted(oldCommunes));
    const tasks = await (await get(`/qlvb/api/nhiem-vu?tu_ngay=${day}&den_ngay=${day}`, AUTH.task)).json();
    const owners = new Set<string>(tasks.nhiemVu.map((t: { donViThucHien: string }) => t.donViThucHien));
    expect(owners.size).toBeGreaterThan(400);
    for (const code of owners) expect(oldCommunes.has(code) || oldDistricts.has(code)).toBe(true);
    // The old units' own figures, as before the reform was known.
    const first = dossier.duLieu[0];
    expect(first.tiepNhan).toBe(dossierDay(SEED, first.maDonVi, day, NOON).received);
  });
});

describe('a day after the reform: the new codes and the departments', () => {
  const day = '2025-07-01'; // a Tuesday
  it('in every system; departments report dossiers and tasks, not e-ID nor payments', async () => {
    const dossier = await (await get(`/motcua/api/v1/thong-ke-ngay?tuNgay=${day}&denNgay=${day}`, AUTH.dossier)).json();
    const dossierCodes: string[] = dossier.duLieu.map((r: { maDonVi: string }) => r.maDonVi);
    expect(sorted(dossierCodes)).toEqual(sorted([...newCommunes, ...departments]));
    const eid = await (await get(`/vneid/api/v2/statistics?from=${day}&to=${day}`, AUTH.eid)).json();
    expect(sorted(eid.payload.items.map((r: { areaCode: string }) => r.areaCode))).toEqual(sorted(newCommunes));
    const csv = await (await get('/ansinh/bao-cao/chi-tra.csv?tuThang=2025-07&denThang=2025-07', AUTH.payment)).text();
    expect(sorted(csv.trim().split('\r\n').slice(1).map((l) => l.split(',')[0]!))).toEqual(sorted(newCommunes));
    const tasks = await (await get(`/qlvb/api/nhiem-vu?tu_ngay=${day}&den_ngay=${day}`, AUTH.task)).json();
    const owners = new Set<string>(tasks.nhiemVu.map((t: { donViThucHien: string }) => t.donViThucHien));
    for (const code of owners) expect(newCommunes.has(code) || departments.has(code)).toBe(true);
    expect([...owners].filter((c) => departments.has(c)).length).toBeGreaterThan(0);
    expect([...owners].filter((c) => newCommunes.has(c)).length).toBeGreaterThan(100); // the tasks handed over
    // Unique ids, no task before its unit began, none completed before it.
    expect(new Set(tasks.nhiemVu.map((t: { id: string }) => t.id)).size).toBe(tasks.nhiemVu.length);
    for (const t of tasks.nhiemVu) {
      expect(t.ngayGiao >= day).toBe(true);
      expect(t.hanXuLy >= t.ngayGiao).toBe(true);
      if (t.ngayHoanThanh !== null) expect(t.ngayHoanThanh >= day).toBe(true);
    }
  });
  it('the fifth vendor lists the new communes under the city', async () => {
    const r = await fetch(`${s.base}/mot-cua/api/bao-cao`, {
      method: 'POST', headers: { ...AUTH.motCua, 'content-type': 'application/json' },
      body: JSON.stringify({ tuNgay: '01/07/2025', denNgay: '01/07/2025', trang: 1 })
    });
    const body = await r.json();
    expect(body).toMatchObject({ thanhCong: true, tongSoTrang: 3 });
    expect(body.duLieu.dsHuyen).toEqual([expect.objectContaining({ maHuyen: '01', tenHuyen: 'Thành phố Hà Nội' })]);
    expect(body.duLieu.dsHuyen[0].dsXa).toHaveLength(50);
  });
});

// Over HTTP before the long computations below: an idle keep-alive connection closed by the server
// while the event loop is busy would be reused and reset.
describe('across the reform in one query', () => {
  it('each day has its own units, in the same wire format', async () => {
    const body = await (await get('/motcua/api/v1/thong-ke-ngay?tuNgay=2025-06-29&denNgay=2025-07-02', AUTH.dossier)).json();
    expect(body.soBanGhi).toBe(2 * 526 + 2 * (126 + reg.departments.length));
    const codesOn = (day: string) => new Set(body.duLieu.filter((r: { ngay: string }) => r.ngay === day).map((r: { maDonVi: string }) => r.maDonVi));
    expect(codesOn('2025-06-30').has('10147')).toBe(true); // Xã Thanh Mai, until 30/06
    expect(codesOn('2025-07-01').has('10147')).toBe(false);
    expect(codesOn('2025-07-01').has('01-S02')).toBe(true); // Sở Nội vụ
  });
});

describe("a new commune's figures are its predecessors' shares", () => {
  const days = daysBetween('2025-07-01', '2025-07-14');
  const fields: (keyof DossierDay)[] = ['received', 'receivedOnline', 'resolved', 'resolvedOnTime', 'pendingOnTime', 'pendingOverdue', 'digitized', 'withFee', 'paidOnline'];
  const communes = units.filter((u) => u.predecessors?.length);

  it('dossiers: within rounding, whole numbers, no part above its whole', () => {
    let split = 0;
    for (const u of communes) {
      if (u.predecessors!.some((p) => p.share < 1)) split++;
      for (const date of days) {
        const d = unitDossiers(SEED, u, date, NOON);
        for (const f of fields) {
          const exact = u.predecessors!.reduce((sum, p) => sum + p.share * dossierDay(SEED, p.code, date, NOON)[f], 0);
          expect(Number.isInteger(d[f])).toBe(true);
          // Each count rounded once (±0.5); the pending ones are held within what is pending, a difference (±1.5).
          expect(Math.abs(d[f] - exact), `${u.code} ${date} ${f}`).toBeLessThanOrEqual(f.startsWith('pending') ? 1.5 : 0.5);
        }
        expect(d.receivedOnline).toBeLessThanOrEqual(d.received);
        expect(d.resolved).toBeLessThanOrEqual(d.received);
        expect(d.resolvedOnTime).toBeLessThanOrEqual(d.resolved);
        expect(d.pendingOnTime + d.pendingOverdue).toBe(d.received - d.resolved);
        expect(d.digitized).toBeLessThanOrEqual(d.received);
        expect(d.withFee).toBeLessThanOrEqual(d.received);
        expect(d.paidOnline).toBeLessThanOrEqual(d.withFee);
      }
    }
    expect(split).toBeGreaterThan(10); // the shares are tested, not only whole merges
    // A commune whose predecessors all went in whole: exactly their sum.
    const whole = communes.find((u) => u.predecessors!.length > 2 && u.predecessors!.every((p) => p.share === 1))!;
    const sum = whole.predecessors!.reduce((n, p) => n + dossierDay(SEED, p.code, '2025-07-02', NOON).received, 0);
    expect(unitDossiers(SEED, whole, '2025-07-02', NOON).received).toBe(sum);
  });

  it('e-ID stocks: within rounding, ordered, never going down', () => {
    for (const u of communes) {
      let before = { eligible: 0, level2Collected: 0, activated: 0 };
      for (const date of days) {
        const d = unitEid(SEED, u, date, NOON);
        for (const f of ['eligible', 'level2Collected', 'activated'] as const) {
          const exact = u.predecessors!.reduce((sum, p) => sum + p.share * eidDay(SEED, p.code, date, NOON)[f], 0);
          expect(Math.abs(d[f] - exact)).toBeLessThanOrEqual(0.5);
          expect(d[f]).toBeGreaterThanOrEqual(before[f]);
        }
        expect(d.activated).toBeLessThanOrEqual(d.level2Collected);
        expect(d.level2Collected).toBeLessThanOrEqual(d.eligible);
        before = d;
      }
    }
  });

  it('payments: people within rounding, money in thousands, the cashless part within the whole', () => {
    for (const u of communes) {
      const m = unitPayments(SEED, u, '2025-08', NOON)!;
      const exact = (f: (x: NonNullable<ReturnType<typeof paymentMonth>>) => number) =>
        u.predecessors!.reduce((sum, p) => sum + p.share * f(paymentMonth(SEED, p.code, '2025-08', NOON)!), 0);
      expect(Math.abs(m.recipients - exact((x) => x.recipients))).toBeLessThanOrEqual(0.5);
      expect(Math.abs(m.cashless - exact((x) => x.cashless))).toBeLessThanOrEqual(0.5);
      expect(Math.abs(m.amount - exact((x) => x.amount))).toBeLessThanOrEqual(500);
      expect(m.amount % 1000).toBe(0);
      expect(m.cashless).toBeLessThanOrEqual(m.recipients);
      expect(m.amountCashless).toBeLessThanOrEqual(m.amount);
    }
  });

  it("tasks: each old commune's tasks go to exactly one of its new communes, whole merges exactly", () => {
    const [from, to] = ['2025-09-01', '2025-09-30'];
    const all = registerTasks(SEED, register, from, to, NOON);
    const ofOld = (code: string) => all.filter((t) => t.id.includes(`-${code}.`));
    for (const old of ['10114', '10159', '00016', '09619']) {
      const truth = tasksOf(SEED, old, from, to, NOON, 'commune');
      const handed = ofOld(old);
      expect(handed.length).toBe(truth.length); // none lost, none twice
      const successors = new Set(units.filter((u) => u.predecessors?.some((p) => p.code === old)).map((u) => u.code));
      for (const t of handed) expect(successors.has(t.donViThucHien)).toBe(true);
      // Same completions (a task assigned after the reform keeps its dates).
      expect(handed.map((t) => t.ngayHoanThanh).sort()).toEqual(truth.map((t) => t.ngayHoanThanh).sort());
    }
    // Xã Thanh Oai: five communes whole and part of a sixth.
    const thanhOai = all.filter((t) => t.donViThucHien === '10114');
    const whole = byCode('10114').predecessors!.filter((p) => p.share === 1);
    for (const p of whole) expect(thanhOai.filter((t) => t.id.includes(`-${p.code}.`)).length).toBe(tasksOf(SEED, p.code, from, to, NOON, 'commune').length);
  });

  it('the old units report an open task at the reform as still open, never completed after their last day', () => {
    const tasks = registerTasks(SEED, register, '2025-06-20', '2025-06-30', NOON);
    const open = tasks.filter((t) => t.ngayHoanThanh === null);
    expect(open.length).toBeGreaterThan(100);
    for (const t of tasks) if (t.ngayHoanThanh !== null) expect(t.ngayHoanThanh <= '2025-06-30').toBe(true);
  });
});

describe('departments', () => {
  it('handle dossiers in a sở’s magnitudes, and get tasks from the city', () => {
    const month = daysBetween('2025-09-01', '2025-09-30');
    const depts = units.filter((u) => u.level === 'department');
    const monthly = depts.map((u) => month.reduce((n, date) => n + unitDossiers(SEED, u, date, NOON).received, 0));
    for (const n of monthly) {
      expect(n).toBeGreaterThan(20);
      expect(n).toBeLessThan(80_000);
    }
    const median = [...monthly].sort((a, b) => a - b)[Math.floor(monthly.length / 2)]!;
    expect(median).toBeGreaterThan(300);
    expect(median).toBeLessThan(10_000);
    const tasks = registerTasks(SEED, register, '2025-09-01', '2025-09-30', NOON).filter((t) => departments.has(t.donViThucHien));
    expect(tasks.filter((t) => t.ngayGiao >= '2025-09-01').length / depts.length).toBeGreaterThan(15); // ~1.5 a working day
    const d: SimUnit = depts[0]!;
    expect(registerTasks(SEED, register, '2025-06-01', '2025-06-30', NOON).some((t) => t.donViThucHien === d.code)).toBe(false);
  });
});
