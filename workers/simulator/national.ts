/**
 * The country's district systems, one set per province: for each of the 34 provinces of the national
 * register (vietnam-2025.csv, read by the product's own units import parser), a simulator of its own
 * (server.ts) on its own port, answering for that province's communes only, as each province runs its
 * own one-stop shop, e-ID statistics, welfare payments and task tracker. The communes are in force
 * from the reform day (01/07/2025) on and report as units of their own (no predecessors: the country's
 * history before the reform is not simulated).
 *
 * `npx tsx workers/simulator/national.ts` starts them all in this process (SIMULATOR_SEED, SIM_NOW: an
 * ISO instant the systems take as now; default the clock). Forked with an IPC channel (the national
 * bench, test/bench/national.ts), it reports { type: 'ready', provinces } once listening, answers
 * { type: 'usage' } with its CPU time and peak RSS, and { type: 'close' } by closing and exiting.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseUnitsImport } from '#server/admin/units';
import { REFORM_DAY } from '#server/seed/hanoi-2025';
import { createSimulator } from './server.ts';
import type { SimUnit } from './http.ts';

export const NATIONAL_REGISTER_CSV = new URL('../../db/seed/data/vietnam-2025.csv', import.meta.url);

export interface ProvinceRegister {
  code: string;
  name: string;
  /** The province's communes, as its systems know them. */
  units: SimUnit[];
}

/** The national register, province by province in the register's order (throws if the file has a problem). */
export function nationalRegister(text: string = readFileSync(NATIONAL_REGISTER_CSV, 'utf8')): ProvinceRegister[] {
  const parsed = parseUnitsImport(text, { mode: 'register', lang: 'en', file: 'vietnam-2025.csv' });
  if (parsed.problems.length) throw new Error(`national register: ${parsed.problems.slice(0, 5).map((p) => p.message).join('; ')}`);
  const provinces = new Map<string, ProvinceRegister>();
  for (const r of parsed.rows) if (r.level === 'province') provinces.set(r.gsoCode, { code: r.gsoCode, name: r.name, units: [] });
  for (const r of parsed.rows) {
    if (r.level !== 'commune') continue;
    const province = r.parentGsoCode === null ? undefined : provinces.get(r.parentGsoCode);
    if (!province) throw new Error(`national register: commune ${r.gsoCode} has no province (${r.parentGsoCode})`);
    province.units.push({ code: r.gsoCode, name: r.name, level: 'commune', parentCode: province.code, parentName: province.name, type: r.type, validFrom: REFORM_DAY });
  }
  return [...provinces.values()];
}

export interface ProvinceSimulator {
  code: string;
  name: string;
  communes: number;
  port: number;
}

/** Every province's simulator listening on a port of its own (0: any free port). */
export async function startNationalSimulators(options: { seed: string; now?: () => Date; host?: string; provinces?: ProvinceRegister[] }) {
  const started: { info: ProvinceSimulator; close: () => Promise<void> }[] = [];
  for (const p of options.provinces ?? nationalRegister()) {
    const sim = createSimulator({ seed: options.seed, units: p.units, now: options.now, portalRush: false });
    const port = await sim.listen(0, options.host);
    started.push({ info: { code: p.code, name: p.name, communes: p.units.length, port }, close: () => sim.close() });
  }
  return {
    provinces: started.map((s) => s.info),
    close: async () => void (await Promise.all(started.map((s) => s.close())))
  };
}

/** What the child reports of itself. */
export interface SimulatorUsage {
  type: 'usage';
  maxRssMb: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

async function main() {
  const fixed = process.env.SIM_NOW ? new Date(process.env.SIM_NOW) : null;
  if (fixed && Number.isNaN(fixed.getTime())) throw new Error(`SIM_NOW: not an instant: ${process.env.SIM_NOW}`);
  const sims = await startNationalSimulators({ seed: process.env.SIMULATOR_SEED ?? 'national-bench', now: fixed ? () => fixed : undefined });
  const usage = (): SimulatorUsage => {
    const u = process.resourceUsage();
    return { type: 'usage', maxRssMb: Math.round(u.maxRSS / 1024), cpuUserMs: Math.round(u.userCPUTime / 1000), cpuSystemMs: Math.round(u.systemCPUTime / 1000) };
  };
  const stop = () => void sims.close().then(() => process.exit(0));
  if (process.send) {
    process.on('message', (m: { type?: string }) => {
      if (m?.type === 'usage') process.send!(usage());
      else if (m?.type === 'close') stop();
    });
    // The parent gone (the bench crashed): go too.
    process.on('disconnect', stop);
    process.send({ type: 'ready', provinces: sims.provinces });
  } else {
    const communes = sims.provinces.reduce((n, p) => n + p.communes, 0);
    console.log(`national simulators: ${sims.provinces.length} provinces, ${communes} communes`);
    for (const p of sims.provinces) console.log(`  ${p.code} ${p.name}: http://127.0.0.1:${p.port} (${p.communes} communes)`);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
