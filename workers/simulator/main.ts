/** `npm run simulator`: the demo city's district systems on SIMULATOR_PORT (default 4010). */
import { config } from '#server/config';
import { logger } from '#server/log';
import { today } from '#domain/periods';
import { hanoiSimUnits, Register } from './register.ts';
import { createSimulator } from './server.ts';

const cfg = config();
// Hà Nội before and since the reform of 01/07/2025: each system answers for the units in force on each day.
const units = hanoiSimUnits();
// SIM_FAULTS="eid:http_5xx,payment:latency:2000,task:timeout" starts with those faults (an invalid value stops the start).
// SIM_PORTAL_RUSH=off: the portal never answers 5xx at the month's end (the end-to-end tests' product; a test asks for the fault `portal:rush`).
const sim = createSimulator({ seed: cfg.SIMULATOR_SEED, units, faults: cfg.SIM_FAULTS, portalRush: cfg.SIM_PORTAL_RUSH === 'on' });
const port = await sim.listen(cfg.SIMULATOR_PORT);
const now = new Register(units).on(today());
const count = (level: string) => now.filter((u) => u.level === level).length;
logger('simulator').info(
  { today: { districts: count('district'), communes: count('commune'), departments: count('department') }, units: units.length, seed: cfg.SIMULATOR_SEED, faults: cfg.SIM_FAULTS },
  `listening on http://127.0.0.1:${port}`
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
}
