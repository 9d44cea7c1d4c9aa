/** Shared by the simulator's tests (not a test file): units, a running simulator, authenticated GETs. */
import { loadUnitsCsv } from '#server/seed/units-csv';
import { DEMO_KEYS } from '#server/seed/demo-keys';
import { createSimulator, type SimUnit, type SimulatorOptions } from './server.ts';

export { hanoiSimUnits } from './register.ts';

/**
 * Every district and commune of Hà Nội's 2024 map, in force always (no days): the map most tests
 * and the integration world use. main.ts passes the register with its days (hanoiSimUnits).
 */
export function hanoiUnits(): SimUnit[] {
  return loadUnitsCsv()
    .filter((u) => u.level === 'district' || u.level === 'commune')
    .map((u) => ({ code: u.gsoCode, name: u.name, level: u.level as SimUnit['level'], parentCode: u.parentGsoCode }));
}

/** The first `n` districts and their communes: enough rows for the fault stride, small bodies. */
export function someUnits(n: number): SimUnit[] {
  const all = hanoiUnits();
  const districts = new Set(all.filter((u) => u.level === 'district').slice(0, n).map((u) => u.code));
  return all.filter((u) => districts.has(u.code) || (u.parentCode !== null && districts.has(u.parentCode)));
}

/** Friday 20 November 2026, 12:00 ICT: mid-day, lunch break. */
export const NOON = new Date('2026-11-20T05:00:00Z');

export const AUTH = {
  dossier: { 'x-api-key': DEMO_KEYS.dossier },
  eid: { authorization: `Basic ${Buffer.from(`${DEMO_KEYS.eid.username}:${DEMO_KEYS.eid.password}`).toString('base64')}` },
  payment: { authorization: `Bearer ${DEMO_KEYS.payment}` },
  task: { 'x-auth-token': DEMO_KEYS.task },
  motCua: { authorization: `Basic ${Buffer.from(`${DEMO_KEYS.motCua.username}:${DEMO_KEYS.motCua.password}`).toString('base64')}` }
} as const;

export const PATHS = {
  dossier: '/motcua/api/v1/thong-ke-ngay?tuNgay=2026-11-18&denNgay=2026-11-20',
  eid: '/vneid/api/v2/statistics?from=2026-11-18&to=2026-11-20',
  payment: '/ansinh/bao-cao/chi-tra.csv?tuThang=2026-09&denThang=2026-11',
  task: '/qlvb/api/nhiem-vu?tu_ngay=2026-11-01&den_ngay=2026-11-20'
} as const;

export async function startSimulator(options: Partial<SimulatorOptions> = {}) {
  const sim = createSimulator({ seed: 'test', units: someUnits(2), now: () => NOON, ...options });
  const port = await sim.listen(0);
  const base = `http://127.0.0.1:${port}`;
  return {
    sim,
    base,
    get: (system: keyof typeof PATHS, init: RequestInit = {}) => fetch(base + PATHS[system], { headers: AUTH[system], ...init }),
    setFault: async (body: Record<string, unknown>) => {
      const r = await fetch(`${base}/_sim/faults`, { method: 'POST', body: JSON.stringify(body) });
      if (!r.ok) throw new Error(`fault refused: ${await r.text()}`);
    },
    clearFaults: () => fetch(`${base}/_sim/faults`, { method: 'DELETE' })
  };
}
