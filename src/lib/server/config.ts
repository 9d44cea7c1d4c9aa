/**
 * Environment, parsed once at start. A bad value stops the process with the variable's name.
 * Shared by the web server (src/server.js too), the workers, the simulator and the seed (imported
 * as #server/config). Nothing else reads process.env: every variable the product reads is here.
 */
import { z } from 'zod';
import { PERIOD_KINDS } from '#domain/periods';
import { REQUEST_BODY_MAX_BYTES } from './limits.ts';
import { parsePolicy, type EgressPolicy } from './pipeline/ssrf.ts';

/** An optional variable set to the empty string counts as unset (`CITYOPS_RELEASE=` in a unit file). */
const unsetIfEmpty = <T extends z.ZodType>(inner: T) => z.preprocess((v) => (v === '' ? undefined : v), inner.optional());
const port = z.coerce.number({ error: 'must be a port number (0–65535)' }).int('must be a port number (0–65535)').min(0).max(65535);
const headerName = z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name');

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const schema = z.object({
  DATABASE_URL: z.url({ error: 'DATABASE_URL must be a postgres:// URL' }).optional(),
  /** The web server's port and address (src/server.js). */
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: port.min(1).default(54329),
  SIMULATOR_PORT: port.default(4010),
  SIMULATOR_URL: z.url().default('http://127.0.0.1:4010'),
  /** Deterministic seed of the simulated district systems. */
  SIMULATOR_SEED: z.string().default('hanoi-demo'),
  /**
   * Faults the simulator starts with, e.g. `eid:http_5xx,payment:latency:2000` (the simulator parses
   * the list when it starts and stops with the item's name when one is wrong).
   */
  SIM_FAULTS: unsetIfEmpty(z.string().regex(/^[\w\s:,]*$/, 'a comma-separated list of system:fault[:number]')),
  /** The simulated portal's end-of-month rush (5xx on the last two days of a month and the 1st): on, or off (the tests' product). */
  SIM_PORTAL_RUSH: z.enum(['on', 'off']).default('on'),
  /** Poll interval the seed gives the demo sources. */
  POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(15),
  /**
   * The period an officer's unit page opens on without one in its address: the one they are judged
   * by. Default the reporting month (Decree 09: the 15th to the 14th); an installation that judges by
   * the calendar month sets `month`.
   */
  OFFICER_PERIOD: z.enum(PERIOD_KINDS, { error: `OFFICER_PERIOD must be one of ${PERIOD_KINDS.join(', ')}` }).default('report_month'),
  /**
   * The first days of a month on which the overview and the wall open on the month before (whole)
   * instead of the month just begun, and say so; 0: always the current month.
   */
  EARLY_PERIOD_DAYS: z.coerce.number({ error: 'EARLY_PERIOD_DAYS must be a whole number of days from 0 to 27' }).int().min(0).max(27).default(5),
  /**
   * Days of history the seed backfills on first start; unset: from 15/12/2024 (the reporting year
   * 2025, across the reform of 01/07/2025), or 430 days when that is longer (seed/hanoi-2025.ts).
   */
  BACKFILL_DAYS: unsetIfEmpty(z.coerce.number().int().min(1).max(3660)),
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
  /** Which deployment this is (wall screens reload when it changes); unset: the build's version. */
  CITYOPS_RELEASE: unsetIfEmpty(z.string().max(200)),
  /**
   * The Chromium the web process prints briefings with (src/lib/server/briefings/): Debian's by default.
   * Checked when a briefing is asked for, not at start: a web node without it answers those requests
   * 503 in words and serves everything else.
   */
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** The SMTP server alert mail goes through (nodemailer's URL: smtp://user:pass@host:587, smtps://… for TLS from the start); unset: no mail. */
  SMTP_URL: unsetIfEmpty(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL such as smtp://user:pass@mail.hanoi.gov.vn:587' })),
  /** The From of alert mail and of the briefing's mailing. */
  ALERT_MAIL_FROM: z.string().min(3).default('City Ops <canh-bao@localhost>'),
  /**
   * A web node as the workers reach it, to print the briefing's mailing (its print page, with a print
   * ticket signed with CITYOPS_SECRET_KEY): one node, not the proxy in front of several (the ticket is
   * spent in the node that reads it). Unset: http://127.0.0.1:PORT. `npm start` sets it.
   */
  BRIEFING_PRINT_ORIGIN: unsetIfEmpty(z.url({ protocol: /^https?$/, error: 'must be an http(s) address such as http://127.0.0.1:3001' })),
  /**
   * A YAML or JSON file declaring data sources (`sources: [...]`, the admin API's fields, `${VAR}`
   * for secrets), applied by the workers at start (src/lib/server/admin/provisioning.ts).
   */
  CITYOPS_PROVISIONING: unsetIfEmpty(z.string().max(4096)),
  /**
   * Host names, IP addresses and CIDR ranges a data source may reach although private or loopback
   * (see pipeline/ssrf.ts). Read again at each fetch through `egressPolicy()`: the supervisor sets it
   * for its own seed after start, and tests change it.
   */
  SOURCE_ALLOWED_HOSTS: z
    .string()
    .default('')
    .superRefine((list, ctx) => {
      try {
        parsePolicy(list);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message.replace(/^SOURCE_ALLOWED_HOSTS: /, '') });
      }
    }),
  // adapter-node reads these itself when src/server.js loads the handler; they are checked here so a typo fails at start.
  /** The public origin behind a TLS proxy (https://…), so form posts pass SvelteKit's origin check. */
  ORIGIN: unsetIfEmpty(z.url({ protocol: /^https?$/, error: 'must be an http(s) origin such as https://dieuhanh.hanoi.gov.vn' })),
  PROTOCOL_HEADER: unsetIfEmpty(headerName),
  HOST_HEADER: unsetIfEmpty(headerName),
  PORT_HEADER: unsetIfEmpty(headerName),
  ADDRESS_HEADER: unsetIfEmpty(headerName),
  XFF_DEPTH: unsetIfEmpty(z.coerce.number().int().min(1)),
  /** Largest request body (adapter-node syntax: bytes, or with K, M or G). Uploads are up to 10 MB. */
  BODY_SIZE_LIMIT: z
    .string()
    .regex(/^(\d+[KMG]?|Infinity)$/i, 'must be a number of bytes, optionally with K, M or G (e.g. 11M)')
    .default(String(REQUEST_BODY_MAX_BYTES))
});

export type Config = z.infer<typeof schema>;

/** The environment as configuration; throws one error naming every variable that is wrong, and why. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = i.path.join('.');
      return `  ${name}: ${i.message.startsWith(`${name} `) || i.message.startsWith(`${name}:`) ? i.message.slice(name.length + 1).trim() : i.message}`;
    });
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: Config | undefined;
/** The configuration, parsed at the first call (each process's entry calls it first, so a bad value stops the start). */
export function config(): Config {
  cached ??= parseConfig();
  return cached;
}

export function databaseUrl(): string {
  const url = config().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run `npm start` (embedded PostgreSQL) or point it at a server');
  return url;
}

let policyCache: { list: string; policy: EgressPolicy } | undefined;
/**
 * SOURCE_ALLOWED_HOSTS as the egress policy of the source client, read at each call (and parsed
 * only when it changed): `npm start` sets it for the seed it runs itself, and tests change it.
 * Throws an EgressPolicyError naming the bad entry.
 */
export function egressPolicy(env: NodeJS.ProcessEnv = process.env): EgressPolicy {
  const list = env.SOURCE_ALLOWED_HOSTS ?? '';
  if (policyCache?.list !== list) policyCache = { list, policy: parsePolicy(list) };
  return policyCache.policy;
}

/** How the workers print and mail the briefing on its schedules. */
export function briefingMail(cfg: Config = config()) {
  return { ...alertDelivery(cfg), printOrigin: cfg.BRIEFING_PRINT_ORIGIN ?? `http://127.0.0.1:${cfg.PORT}` };
}

/** Where alert mail and webhooks go and whose links they carry (the workers' delivery jobs). */
export function alertDelivery(cfg: Config = config()) {
  return { smtpUrl: cfg.SMTP_URL, mailFrom: cfg.ALERT_MAIL_FROM, linkBase: cfg.ORIGIN ?? `http://localhost:${cfg.PORT}` };
}
