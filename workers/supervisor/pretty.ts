/**
 * `npm start` shows its children's log lines to a person: each child writes pino's JSON lines
 * (src/lib/server/log.ts), and the supervisor turns each into one readable line before prefixing
 * it with the child's name:
 *
 *   {"level":"warn","time":"…","name":"poll","source":"vneid","pollRunId":12,"msg":"poll failed","error":"HTTP 503"}
 *   → 13:05:09.412 WARN  poll: poll failed source=vneid pollRunId=12 error="HTTP 503"
 *
 * A line that is not a log object (the web build's output, a crash's stack) is printed as it is.
 */
import { createLogger, type Logger } from '#server/log';

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const COLOURS: Record<string, number> = { trace: 90, debug: 90, info: 32, warn: 33, error: 31, fatal: 31 };
/** Keys every line has, shown in their own places or not at all. */
const OWN_KEYS = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname', 'err']);

const two = (n: number, width = 2) => String(n).padStart(width, '0');

function clock(time: unknown): string {
  const d = new Date(typeof time === 'number' || typeof time === 'string' ? time : Number.NaN);
  if (Number.isNaN(d.getTime())) return '--:--:--.---';
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${two(d.getMilliseconds(), 3)}`;
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** One child's line, readable; `colour` paints the level (as the supervisor's prefixes are painted), `time: false` leaves out the clock. */
export function prettyLine(line: string, options: { colour?: boolean; time?: boolean } = {}): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (entry === null || typeof entry !== 'object' || !('level' in entry) || !('msg' in entry || 'err' in entry)) return line;
  const label = typeof entry.level === 'number' ? (LEVELS[entry.level] ?? String(entry.level)) : String(entry.level);
  const level = label.toUpperCase().padEnd(5);
  const painted = options.colour === false ? level : `\x1b[${COLOURS[label] ?? 0}m${level}\x1b[0m`;
  const err = entry.err as { message?: unknown; stack?: unknown } | undefined;
  const message = typeof entry.msg === 'string' ? entry.msg : String(err?.message ?? '');
  // The name, unless the message already starts with it ("web: http://localhost:3000").
  const name = typeof entry.name === 'string' && !message.startsWith(`${entry.name}:`) ? `${entry.name}: ` : '';
  const fields = Object.entries(entry)
    .filter(([k, v]) => !OWN_KEYS.has(k) && v !== undefined)
    .map(([k, v]) => ` ${k}=${fieldText(v)}`)
    .join('');
  let out = `${options.time === false ? '' : `${clock(entry.time)} `}${painted} ${name}${message}${fields}`;
  if (err && typeof err === 'object') {
    // The error's own lines (its stack starts with its message), indented under the line they belong to.
    const detail = typeof err.stack === 'string' ? err.stack : String(err.message ?? '');
    if (detail && detail !== message) out += `\n    ${detail.split('\n').join('\n    ')}`;
  }
  return out;
}

/** A logger for the work the supervisor does itself (the seed): each line made readable and handed to `print`. */
export function printingLogger(print: (line: string) => void): Logger {
  return createLogger({ destination: { write: (json: string) => print(prettyLine(json.trimEnd(), { time: false })) } });
}
