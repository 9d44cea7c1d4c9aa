/**
 * Environment, parsed once at start. A bad value stops the process with the variable's name.
 * Shared by the web server, the workers, the simulator and the seed (imported as #server/config).
 */
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z.url({ error: 'DATABASE_URL must be a postgres:// URL' }).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  SIMULATOR_URL: z.url().default('http://127.0.0.1:4010'),
  /** Deterministic seed of the simulated district systems. */
  SIMULATOR_SEED: z.string().default('hanoi-demo'),
  /** Poll interval the seed gives the demo sources. */
  POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(15),
  /** Days of history the seed backfills on first start. */
  BACKFILL_DAYS: z.coerce.number().int().min(1).max(3660).default(430),
  /** 64 hex characters (AES-256 key) for credentials at rest; in demo mode generated into DATA_DIR. */
  CITYOPS_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'CITYOPS_SECRET_KEY must be 64 hex characters (32 bytes)')
    .optional(),
  /** A bearer token that lets a Prometheus scraper read /metrics without a session. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** Set by `npm start`'s supervisor: where it counts the restarts of the processes it keeps running (read by /metrics). */
  CITYOPS_RESTARTS_FILE: z.string().optional(),
  /** The first administrator, created at start when no user has that name (the password is then hashed; unset it afterwards). */
  CITYOPS_ADMIN_USERNAME: z.string().regex(/^[a-z0-9._-]{3,40}$/, 'CITYOPS_ADMIN_USERNAME: 3–40 of a-z 0-9 . _ -').optional(),
  CITYOPS_ADMIN_PASSWORD: z.string().min(10, 'CITYOPS_ADMIN_PASSWORD must be at least 10 characters').optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')
});

export type Config = z.infer<typeof schema>;

export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= parseConfig();
  return cached;
}

export function databaseUrl(): string {
  const url = config().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run `npm start` (embedded PostgreSQL) or point it at a server');
  return url;
}
