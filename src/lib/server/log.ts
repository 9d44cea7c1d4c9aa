/**
 * The one logger of every process (web, workers, simulator, supervisor's tools): pino, one JSON
 * object per line on stdout (level as a word, ISO time), at LOG_LEVEL. `npm start` formats the
 * children's lines for a person (workers/supervisor/pretty.ts); in production they go as they are
 * to the journal or the container's log.
 *
 * Each part of a process logs through a named child (`logger('realtime')`), and a job through a
 * child of that carrying what it works on (`log.child({ source, pollRunId })`).
 *
 * Nothing secret reaches a line: the values of the keys in SECRET_KEYS are replaced by
 * `[redacted]` at the top level and two levels down (`credentials`, `headers.authorization`,
 * `req.headers.cookie`, `err.config.password`, …). Messages are written by us and carry no secret.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { config, type LOG_LEVELS } from './config.ts';

export type { Logger };
export type LogLevel = (typeof LOG_LEVELS)[number];

export const REDACTED = '[redacted]';

/** Keys whose values are never logged, whatever object they are found in. */
export const SECRET_KEYS = [
  'password', 'passwordHash', 'password_hash', 'newPassword', 'currentPassword',
  'credentials', 'credentialsSealed', 'credentials_sealed',
  'authorization', 'Authorization', 'proxy-authorization', 'cookie', 'Cookie', 'set-cookie', 'Set-Cookie',
  'x-api-key', 'X-Api-Key', 'X-API-Key', 'apiKey', 'api_key',
  'token', 'accessToken', 'access_token', 'refreshToken', 'refresh_token', 'displayToken', 'sessionToken', 'bearer',
  'secret', 'secretKey', 'secretKeyHex', 'CITYOPS_SECRET_KEY', 'CITYOPS_ADMIN_PASSWORD', 'METRICS_TOKEN', 'DATABASE_URL',
  // postgres.js puts a failed statement's parameters on its errors (session token hashes, password hashes).
  'parameters'
] as const;

const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `["${k}"]`);
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [key(k).replace(/^\./, ''), `*${key(k)}`, `*.*${key(k)}`]);

/** A logger of its own (tests give a destination to read what it wrote); the processes use `logger()`. */
export function createLogger(options: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? config().LOG_LEVEL,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) }
    },
    options.destination ?? pino.destination({ dest: 1, sync: true })
  );
}

let root: Logger | undefined;

/** The process's logger, or a named child of it for one part of the process (`"name":"realtime"`). */
export function logger(name?: string): Logger {
  root ??= createLogger();
  return name ? root.child({ name }) : root;
}
