import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalRegister, startNationalSimulators } from './national.ts';
import { AUTH, NOON } from './test-kit.ts';

const register = nationalRegister();

describe('the national register as the simulators see it', () => {
  it('has the 34 provinces and their 3,321 communes, each under its own province, from the reform day', () => {
    expect(register).toHaveLength(34);
    expect(register.reduce((n, p) => n + p.units.length, 0)).toBe(3321);
    expect(register.find((p) => p.code === '01')).toMatchObject({ name: 'Thành phố Hà Nội' });
    expect(register.find((p) => p.code === '01')!.units).toHaveLength(126);
    expect(Math.max(...register.map((p) => p.units.length))).toBe(168);
    for (const p of register) {
      for (const u of p.units) expect(u).toMatchObject({ level: 'commune', parentCode: p.code, parentName: p.name, validFrom: '2025-07-01' });
    }
  });
});

describe('one simulator per province', () => {
  // Two small provinces, to keep the answers short.
  const two = [...register].sort((a, b) => a.units.length - b.units.length).slice(0, 2);
  let sims: Awaited<ReturnType<typeof startNationalSimulators>>;
  beforeAll(async () => {
    sims = await startNationalSimulators({ seed: 'test', now: () => NOON, provinces: two });
  });
  afterAll(() => sims.close());

  it('answers on its own port for its own communes only', async () => {
    expect(sims.provinces.map((p) => p.code)).toEqual(two.map((p) => p.code));
    expect(new Set(sims.provinces.map((p) => p.port)).size).toBe(2);
    for (const [i, p] of sims.provinces.entries()) {
      const r = await fetch(`http://127.0.0.1:${p.port}/motcua/api/v1/thong-ke-ngay?tuNgay=2026-11-20&denNgay=2026-11-20`, { headers: AUTH.dossier });
      expect(r.status).toBe(200);
      const body = (await r.json()) as { duLieu: { maDonVi: string }[] };
      expect(body.duLieu.map((row) => row.maDonVi)).toEqual(two[i]!.units.map((u) => u.code));
      expect(p.communes).toBe(two[i]!.units.length);
    }
  });
});
