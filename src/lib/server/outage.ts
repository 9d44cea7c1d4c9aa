/**
 * The database going away, as one event rather than a flood. When PostgreSQL stops answering,
 * every loop of a process fails at its own pace — the workers' ticker every second, pg-boss's
 * fetch loops twice a second, heartbeats, the web's health pushes and every request — about 650
 * lines a minute with one line per failure. Here the first failure is said once, a summary
 * follows once a minute while it lasts, and the recovery once, with how long it took; errors of
 * any other kind pass through untouched.
 *
 * It is also the process's one view of "is the database there": the web answers 503 with words
 * while it is not, and tells sockets (see realtime/) when it goes and comes back.
 */
import { EventEmitter } from 'node:events';
import { logger, type Logger } from './log.ts';

/** SQLSTATEs that mean the server is gone or going, not that a statement was wrong. */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown: "terminating connection due to administrator command"
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: "the database system is starting up / shutting down / in recovery mode"
  '08000', '08001', '08003', '08004', '08006', '08007' // connection exceptions
]);
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL',
  // postgres.js
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  // a socket written to as it closed
  'ERR_STREAM_WRITE_AFTER_END', 'ERR_STREAM_DESTROYED', 'ERR_SOCKET_CLOSED'
]);
const UNAVAILABLE_TEXT =
  /ECONNREFUSED|ECONNRESET|Connection terminated|connection terminated|terminating connection due to|the database system is (starting up|shutting down|in recovery mode)|CONNECTION_(CLOSED|ENDED|DESTROYED)|CONNECT_TIMEOUT|write EPIPE|server closed the connection unexpectedly|not yet accepting connections|Client has encountered a connection error/;

/** Whether an error (or a logged message) says the database cannot be reached right now. */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && depth < 4; depth++) {
    if (typeof x === 'string') return UNAVAILABLE_TEXT.test(x);
    if (typeof x !== 'object') return false;
    const err = x as { code?: unknown; errno?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof err.code === 'string' && (UNAVAILABLE_STATES.has(err.code) || UNAVAILABLE_CODES.has(err.code))) return true;
    if (typeof err.errno === 'string' && UNAVAILABLE_CODES.has(err.errno)) return true;
    if (typeof err.message === 'string' && UNAVAILABLE_TEXT.test(err.message)) return true;
    // AggregateError (a connection to ::1 and 127.0.0.1 both refused)
    if (Array.isArray(err.errors) && err.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    x = err.cause;
  }
  return false;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);

export interface OutageOptions {
  /** Where the outage's few lines go (the process's logger). */
  log: (line: string) => void;
  /** How often a summary is written while the database stays away. */
  summaryEveryMs?: number;
}

/**
 * up ⇄ down, with `down` and `up` events. `fail(where, e)` reports a failed operation: a database
 * that cannot be reached is counted into the outage (true: the caller logs nothing more); any other
 * error returns false and is the caller's to log. `ok()` reports that a query went through.
 */
export class DatabaseOutage extends EventEmitter<{ down: [error: string]; up: [downMs: number] }> {
  private downSince: number | null = null;
  private counts = new Map<string, number>();
  private total = 0;
  private summary: NodeJS.Timeout | undefined;
  private waiting: (() => void)[] = [];
  private readonly log: (line: string) => void;
  private readonly summaryEveryMs: number;

  constructor(options: OutageOptions) {
    super();
    this.log = options.log;
    this.summaryEveryMs = options.summaryEveryMs ?? 60_000;
  }

  get isDown(): boolean {
    return this.downSince !== null;
  }

  /** When the database was found gone (ISO), or null while it answers. */
  get since(): string | null {
    return this.downSince === null ? null : new Date(this.downSince).toISOString();
  }

  fail(where: string, e: unknown): boolean {
    if (!isDatabaseUnavailable(e)) return false;
    this.total++;
    this.counts.set(where, (this.counts.get(where) ?? 0) + 1);
    if (this.downSince === null) {
      this.downSince = Date.now();
      this.log(`database unavailable (${where}: ${messageOf(e)}); retrying, failures are summarised once a minute until it is back`);
      this.summary = setInterval(() => this.summarise(), this.summaryEveryMs);
      this.summary.unref();
      this.emit('down', messageOf(e));
    }
    return true;
  }

  ok(): void {
    if (this.downSince === null) return;
    const downMs = Date.now() - this.downSince;
    clearInterval(this.summary);
    this.log(`database back after ${(downMs / 1000).toFixed(1)} s (${this.total} failed operations: ${this.breakdown()})`);
    this.downSince = null;
    this.counts.clear();
    this.total = 0;
    for (const resolve of this.waiting.splice(0)) resolve();
    this.emit('up', downMs);
  }

  /** Resolves at once while the database answers, else when it is back. */
  whenUp(): Promise<void> {
    if (this.downSince === null) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private summarise() {
    if (this.downSince === null) return;
    const s = Math.round((Date.now() - this.downSince) / 1000);
    this.log(`database still unavailable after ${s} s (${this.total} failed operations so far: ${this.breakdown()})`);
  }

  private breakdown(): string {
    return [...this.counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
  }
}

let shared: DatabaseOutage | undefined;

/** The process's one outage tracker; `log` is taken from its first caller. */
export function databaseOutage(log: (line: string) => void = (line) => logger('database').warn(line)): DatabaseOutage {
  shared ??= new DatabaseOutage({ log });
  return shared;
}

/**
 * The same logger, except that an error or warning whose `err` only says the database is away is
 * counted into the outage instead of written (children made from it behave the same). A poll's
 * own outcome, which may name a district system that refused a connection, is not an `err`.
 */
export function quietWhileDown(log: Logger, outage: DatabaseOutage): Logger {
  return new Proxy(log, {
    get(target, prop) {
      if (prop === 'error' || prop === 'warn') {
        const write = target[prop].bind(target) as (...args: unknown[]) => void;
        return (obj: unknown, ...rest: unknown[]) => {
          const err = obj instanceof Error ? obj : obj && typeof obj === 'object' && 'err' in obj ? (obj as { err: unknown }).err : undefined;
          if (err !== undefined && outage.fail(typeof rest[0] === 'string' ? rest[0] : String(prop), err)) return;
          write(obj, ...rest);
        };
      }
      if (prop === 'child') return (...args: Parameters<Logger['child']>) => quietWhileDown(target.child(...args) as unknown as Logger, outage);
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    }
  });
}
