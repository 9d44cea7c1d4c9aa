/** `npm run simulator`: the demo city's district systems on SIMULATOR_PORT (default 4010). */
import { config } from '#server/config';
import { loadUnitsCsv } from '#server/seed/units-csv';
import { createSimulator, type SimUnit } from './server.ts';

const cfg = config();
const units: SimUnit[] = loadUnitsCsv()
  .filter((u) => u.level === 'district' || u.level === 'commune')
  .map((u) => ({ code: u.gsoCode, name: u.name, level: u.level as SimUnit['level'], parentCode: u.parentGsoCode }));
// SIM_FAULTS="eid:http_5xx,payment:latency:2000,task:timeout" starts with those faults (an invalid value stops the start).
const sim = createSimulator({ seed: cfg.SIMULATOR_SEED, units, faults: process.env.SIM_FAULTS });
const port = await sim.listen(cfg.SIMULATOR_PORT);
const communes = units.filter((u) => u.level === 'commune').length;
console.log(
  `simulator: ${units.length - communes} districts, ${communes} communes, seed "${cfg.SIMULATOR_SEED}", http://127.0.0.1:${port}` +
    (process.env.SIM_FAULTS ? `, faults ${process.env.SIM_FAULTS}` : '')
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
}
