/** `npm run simulator`: the demo city's district systems on SIMULATOR_PORT (default 4010). */
import { config } from '#server/config';
import { loadUnitsCsv } from '#db/seed/units-csv';
import { createSimulator } from './server.ts';
import { DEMO_KEYS } from './keys.ts';

const cfg = config();
const communeCodes = loadUnitsCsv()
  .filter((u) => u.level === 'commune')
  .map((u) => u.gsoCode);
const sim = createSimulator({ seed: cfg.SIMULATOR_SEED, communeCodes, dossierApiKey: DEMO_KEYS.dossier });
const port = await sim.listen(cfg.SIMULATOR_PORT);
console.log(`simulator: ${communeCodes.length} communes, seed "${cfg.SIMULATOR_SEED}", http://127.0.0.1:${port}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
}
