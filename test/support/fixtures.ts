/** The demo world on a test database: units, catalogue, the dossier source, and a simulator on port 0. */
import type { Sql } from '../../db/client.ts';
import { seedCatalogue, seedDemoSources, upsertUnits } from '../../db/seed/seed.ts';
import { loadUnitsCsv } from '../../db/seed/units-csv.ts';
import { newKeyHex } from '../../src/lib/server/secrets.ts';
import { loadSource } from '../../workers/jobs/poll-source.ts';
import { DEMO_KEYS } from '../../workers/simulator/keys.ts';
import { createSimulator } from '../../workers/simulator/server.ts';

export const SIM_SEED = 'test-seed';

export async function demoWorld(sql: Sql, options: { now?: () => Date } = {}) {
  const units = loadUnitsCsv();
  const communeCodes = units.filter((u) => u.level === 'commune').map((u) => u.gsoCode);
  const simulator = createSimulator({ seed: SIM_SEED, communeCodes, dossierApiKey: DEMO_KEYS.dossier, now: options.now });
  const port = await simulator.listen(0);
  const simulatorUrl = `http://127.0.0.1:${port}`;
  const secretKeyHex = newKeyHex();
  await upsertUnits(sql, units);
  await seedCatalogue(sql);
  const sourceId = await seedDemoSources(sql, { simulatorUrl, secretKeyHex, intervalSeconds: 1 });
  const source = (await loadSource(sql, sourceId))!;
  return { units, communeCodes, simulator, simulatorUrl, secretKeyHex, source };
}

export async function setOverride(simulatorUrl: string, body: Record<string, unknown>) {
  const r = await fetch(`${simulatorUrl}/_sim/overrides`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!r.ok) throw new Error(`override refused: ${await r.text()}`);
}
