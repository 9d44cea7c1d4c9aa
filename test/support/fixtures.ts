/** The demo world on a test database: units, catalogue, the four demo sources, and a simulator on port 0. */
import type { PgBoss } from 'pg-boss';
import type { Sql } from '../../db/client.ts';
import { seedCatalogue, seedDemoSources, syntheticPopulation, upsertUnits } from '#server/seed/seed';
import { seedDemoUnits } from '#server/seed/reform';
import { hanoiRegister } from '#server/seed/hanoi-2025';
import { hanoiSimUnits } from '../../workers/simulator/register.ts';
import { loadUnitsCsv } from '#server/seed/units-csv';
import { newKeyHex } from '../../src/lib/server/secrets.ts';
import { SESSION_COOKIE, signIn } from '../../src/lib/server/auth/sessions.ts';
import { createUserIfMissing } from '#server/seed/users';
import { loadSource, pollSource, type SourceRow } from '#server/pipeline/poll';
import { DEMO_KEYS } from '#server/seed/demo-keys';
import { createSimulator } from '../../workers/simulator/server.ts';

export const SIM_SEED = 'test-seed';

/**
 * `map`: '2024' (the default) is Hà Nội's 2024 map in force always, as most tests want it; '2025' is
 * the demo's register as `npm start` seeds it (the old map until 30/06/2025, the 126 communes and the
 * departments since, with their lineage), `units` then being the units in force today.
 */
export async function demoWorld(sql: Sql, options: { now?: () => Date; map?: '2024' | '2025' } = {}) {
  const map2025 = options.map === '2025';
  const register = hanoiRegister();
  const units = map2025 ? [register.city, ...register.communes, ...register.departments] : loadUnitsCsv();
  const communeCodes = units.filter((u) => u.level === 'commune').map((u) => u.gsoCode);
  const simulator = createSimulator({
    seed: SIM_SEED,
    units: map2025
      ? hanoiSimUnits()
      : units
          .filter((u) => u.level === 'district' || u.level === 'commune')
          .map((u) => ({ code: u.gsoCode, name: u.name, level: u.level as 'district' | 'commune', parentCode: u.parentGsoCode })),
    keys: DEMO_KEYS,
    now: options.now,
    // Deterministic on any day: a test that wants the portal's end-of-month rush sets the fault `portal:rush`.
    portalRush: false
  });
  const port = await simulator.listen(0);
  const simulatorUrl = `http://127.0.0.1:${port}`;
  const secretKeyHex = newKeyHex();
  if (map2025) await sql.begin((tx) => seedDemoUnits(tx, syntheticPopulation));
  else await upsertUnits(sql, units);
  await seedCatalogue(sql);
  const ids = await seedDemoSources(sql, { simulatorUrl, secretKeyHex, intervalSeconds: 1 });
  const sources: Record<string, SourceRow> = {};
  for (const id of ids) {
    const row = (await loadSource(sql, id))!;
    sources[row.key] = row;
  }
  /** Polls every source once (so every family has data and the boards rank); `jobs`: where the long boards are queued. */
  async function pollAll(now?: Date, options: { jobs?: PgBoss } = {}) {
    for (const source of Object.values(sources)) {
      if (source.kind === 'upload') continue;
      const outcome = await pollSource(sql, source, { secretKeyHex, now, jobs: options.jobs });
      if (outcome.outcome !== 'success') throw new Error(`poll of ${source.key} in the fixture: ${outcome.outcome} ${outcome.error ?? ''}`);
    }
  }
  return { units, communeCodes, simulator, simulatorUrl, secretKeyHex, sources, source: sources.motcua!, pollAll };
}

async function control(simulatorUrl: string, path: string, method: string, body?: unknown) {
  const r = await fetch(`${simulatorUrl}${path}`, {
    method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' }
  });
  if (!r.ok) throw new Error(`simulator refused ${method} ${path}: ${await r.text()}`);
}

/** Switches a fault on in one simulated system (see workers/simulator/faults.ts). */
export const setFault = (simulatorUrl: string, body: Record<string, unknown>) => control(simulatorUrl, '/_sim/faults', 'POST', body);
export const clearFaults = (simulatorUrl: string) => control(simulatorUrl, '/_sim/faults', 'DELETE');

export async function setOverride(simulatorUrl: string, body: Record<string, unknown>) {
  const r = await fetch(`${simulatorUrl}/_sim/overrides`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!r.ok) throw new Error(`override refused: ${await r.text()}`);
}

/** A signed-in person on the test database: their session cookie (name=value), for HTTP and Socket.IO clients. */
export async function sessionCookie(sql: Sql, user: { username: string; role: 'leader' | 'officer' | 'admin'; unitCode?: string }): Promise<string> {
  await createUserIfMissing(sql, { username: user.username, displayName: user.username, password: 'correct horse battery', role: user.role, unitCode: user.unitCode });
  const result = await signIn(sql, { username: user.username, password: 'correct horse battery', ip: '127.0.0.1' });
  if (!result.ok) throw new Error(`sign-in of ${user.username} failed: ${result.message}`);
  return `${SESSION_COOKIE}=${result.token}`;
}
