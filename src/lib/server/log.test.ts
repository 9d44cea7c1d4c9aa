import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, type LogLevel } from './log.ts';

const root = new URL('../../../', import.meta.url).pathname;

/** A logger whose lines are kept, parsed. */
function captured(level: LogLevel = 'debug') {
  const lines: string[] = [];
  const log = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } });
  return { log, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the logger', () => {
  it('writes one JSON object per line: level as a word, ISO time, name, message and fields', () => {
    const { log, lines, entries } = captured();
    log.child({ name: 'poll' }).child({ source: 'motcua', pollRunId: 42 }).info({ accepted: 10 }, 'poll success');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(entries()[0]).toMatchObject({ level: 'info', name: 'poll', source: 'motcua', pollRunId: 42, accepted: 10, msg: 'poll success' });
    expect(entries()[0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('keeps what is below its level out', () => {
    const { log, entries } = captured('warn');
    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error({ err: new Error('d') }, 'e');
    expect(entries().map((e) => e.msg)).toEqual(['c', 'e']);
    expect(entries()[1]!.err).toMatchObject({ type: 'Error', message: 'd' });
  });

  it('redacts credentials, passwords, authorization, cookies, API keys and tokens wherever they are', () => {
    const secrets = ['pw-top', 'pw-nested', 'basic-user-pw', 'Bearer tok-123', 'cityops_session=abc', 'key-456', 'tok-789', 'display-tok', 'sealed-blob', 'deep-cookie', '0123456789abcdef'];
    const { log, lines, entries } = captured();
    log.info(
      {
        password: 'pw-top',
        user: { name: 'admin', password: 'pw-nested' },
        credentials: { kind: 'basic', username: 'svc', password: 'basic-user-pw' },
        headers: { authorization: 'Bearer tok-123', cookie: 'cityops_session=abc', 'x-api-key': 'key-456', accept: 'application/json' },
        token: 'tok-789',
        screen: { displayToken: 'display-tok' },
        source: { key: 'motcua', credentialsSealed: 'sealed-blob' },
        req: { headers: { Cookie: 'deep-cookie' } },
        secretKeyHex: '0123456789abcdef'
      },
      'a request'
    );
    const line = lines[0]!;
    for (const s of secrets) expect(line).not.toContain(s);
    const e = entries()[0] as Record<string, Record<string, Record<string, unknown>>>;
    expect(e.password).toBe(REDACTED);
    expect(e.user).toEqual({ name: 'admin', password: REDACTED });
    expect(e.credentials).toBe(REDACTED);
    expect(e.headers).toEqual({ authorization: REDACTED, cookie: REDACTED, 'x-api-key': REDACTED, accept: 'application/json' });
    expect(e.source).toEqual({ key: 'motcua', credentialsSealed: REDACTED });
    expect(e.req!.headers).toEqual({ Cookie: REDACTED });
  });

  it("redacts the statement parameters postgres.js may put on an error, and an error's own secret fields", () => {
    const { log, lines } = captured();
    const err = Object.assign(new Error('duplicate key'), { parameters: ['hash-of-a-session'], config: { password: 'pw-in-error' } });
    log.error({ err }, 'insert failed');
    expect(lines[0]).toContain('duplicate key');
    expect(lines[0]).not.toContain('hash-of-a-session');
    expect(lines[0]).not.toContain('pw-in-error');
  });
});

describe('LOG_LEVEL', () => {
  it("sets the level of a process's logger", () => {
    const script = "const { logger } = await import('#server/log'); const log = logger('probe'); log.debug('debug line'); log.info('info line'); log.warn('warn line');";
    const run = (level: string) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: { ...process.env, LOG_LEVEL: level }, encoding: 'utf8', timeout: 30_000 });
    const warn = run('warn');
    expect(warn.status).toBe(0);
    expect(warn.stdout.trim().split('\n').map((l) => JSON.parse(l).msg)).toEqual(['warn line']);
    const debug = run('debug');
    expect(debug.stdout.trim().split('\n').map((l) => JSON.parse(l))).toMatchObject([
      { level: 'debug', name: 'probe', msg: 'debug line' },
      { level: 'info', msg: 'info line' },
      { level: 'warn', msg: 'warn line' }
    ]);
  });
});
