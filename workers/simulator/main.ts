/** `npm run simulator`: the demo city's district systems on SIMULATOR_PORT (default 4010). */
import { config } from '#server/config';
import { logger } from '#server/log';
import { loadUnitsCsv } from '#server/seed/units-csv';
import { createSimulator, type SimUnit } from './server.ts';

const cfg = config();
const units: SimUnit[] = loadUnitsCsv()
  .filter((u) => u.level === 'district' || u.level === 'commune')
  .map((u) => ({ code: u.gsoCode, name: u.name, level: u.level as SimUnit['level'], parentCode: u.parentGsoCode }));
// SIM_FAULTS="eid:http_5xx,payment:latency:2000,task:timeout" starts with those faults (an invalid value stops the start).
const sim = createSimulator({ seed: cfg.SIMULATOR_SEED, units, faults: cfg.SIM_FAULTS });
const port = await sim.listen(cfg.SIMULATOR_PORT);
const communes = units.filter((u) => u.level === 'commune').length;
logger('simulator').info(
  { districts: units.length - communes, communes, seed: cfg.SIMULATOR_SEED, faults: cfg.SIM_FAULTS },
  `listening on http://127.0.0.1:${port}`
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
}
