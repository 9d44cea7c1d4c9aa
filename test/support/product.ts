/**
 * The whole product as `npm start` starts it, for the end-to-end tests: its environment on free
 * ports (web, simulator, embedded PostgreSQL) with a data directory of its own, and the supervisor
 * spawned with it.
 */
import { spawn } from 'node:child_process';
import { freePort } from './ports.ts';

export async function spawnProduct(dataDir: string, options: { backfillDays: number; env?: Record<string, string> }) {
  const [port, simulatorPort, pgPort] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    SIMULATOR_PORT: String(simulatorPort),
    SIMULATOR_URL: `http://127.0.0.1:${simulatorPort}`,
    EMBEDDED_PG_PORT: String(pgPort),
    POLL_INTERVAL_SECONDS: '2',
    BACKFILL_DAYS: String(options.backfillDays),
    // The portal's end-of-month rush would fail a third of its polls on some days of the year: a test asks for it.
    SIM_PORTAL_RUSH: 'off',
    // The screens compare what they show with the API's board of today's month: on the 1st–5th of a
    // month they would open on the month before (EARLY_PERIOD_DAYS; src/lib/domain/periods.test.ts).
    EARLY_PERIOD_DAYS: '0',
    ...options.env
  };
  delete env.DATABASE_URL;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'workers/supervisor/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return { proc, port, simulatorPort, pgPort };
}
