import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './log.ts';
import { readRestarts, renderRestarts } from './metrics.ts';
import { DatabaseOutage, isDatabaseUnavailable, quietWhileDown } from './outage.ts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:54329'), { code: 'ECONNREFUSED', errno: 'ECONNREFUSED' });

describe('isDatabaseUnavailable', () => {
  it('knows the ways a database goes away', () => {
    expect(isDatabaseUnavailable(refused())).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:54329'), { code: 'CONNECTION_CLOSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true); // node-postgres (pg-boss)
    expect(isDatabaseUnavailable(new AggregateError([refused(), refused()], ''))).toBe(true);
    expect(isDatabaseUnavailable(new Error('query failed', { cause: refused() }))).toBe(true);
    expect(isDatabaseUnavailable('the database system is not yet accepting connections')).toBe(true);
  });
  it('leaves every other error alone', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error at or near "selct"'), { code: '42601' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is not a function'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});

describe('DatabaseOutage', () => {
  afterEach(() => void vi.useRealTimers());

  it('says the outage once, sums it up once a minute and says once that it is over', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const outage = new DatabaseOutage({ log: (l) => lines.push(l) });
    const events: string[] = [];
    outage.on('down', () => events.push('down'));
    outage.on('up', () => events.push('up'));
    let back = false;
    // ~11 failures a second for two and a half minutes, as the workers' loops fail.
    for (let s = 0; s < 150; s++) {
      for (let i = 0; i < 10; i++) expect(outage.fail('pg-boss', refused())).toBe(true);
      expect(outage.fail('heartbeat', refused())).toBe(true);
      if (s === 0) void outage.whenUp().then(() => (back = true));
      vi.advanceTimersByTime(1000);
    }
    expect(outage.isDown).toBe(true);
    outage.ok();
    await Promise.resolve();
    expect(back).toBe(true);
    expect(outage.isDown).toBe(false);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^database unavailable \(pg-boss: connect ECONNREFUSED 127\.0\.0\.1:54329\); retrying/);
    expect(lines[1]).toBe('database still unavailable after 60 s (660 failed operations so far: pg-boss 600, heartbeat 60)');
    expect(lines[2]).toBe('database still unavailable after 120 s (1320 failed operations so far: pg-boss 1200, heartbeat 120)');
    expect(lines[3]).toBe('database back after 150.0 s (1650 failed operations: pg-boss 1500, heartbeat 150)');
    expect(events).toEqual(['down', 'up']);
    outage.ok(); // already up: nothing more
    expect(lines).toHaveLength(4);
  });

  it('passes an error that is not about the database back to the caller to log', () => {
    const lines: string[] = [];
    const outage = new DatabaseOutage({ log: (l) => lines.push(l) });
    expect(outage.fail('scheduler tick', Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }))).toBe(false);
    expect(outage.isDown).toBe(false);
    expect(lines).toEqual([]);
  });

  it('keeps a logger quiet about the database while it is away, and only about that', () => {
    const written: { msg: string; name?: string }[] = [];
    const base = createLogger({ level: 'info', destination: { write: (s: string) => void written.push(JSON.parse(s)) } });
    const lines: string[] = [];
    const outage = new DatabaseOutage({ log: (l) => lines.push(l) });
    const log = quietWhileDown(base, outage);
    for (let i = 0; i < 50; i++) log.error({ err: refused() }, 'scheduler tick failed');
    log.child({ name: 'poll' }).warn({ err: refused() }, 'poll now failed');
    log.error({ err: new Error('relation "x" does not exist') }, 'long boards failed');
    log.warn({ source: 'motcua', error: 'could not connect (ECONNREFUSED 10.0.0.5:443)' }, 'poll failed');
    log.info('workers started');
    expect(written.map((w) => w.msg)).toEqual(['long boards failed', 'poll failed', 'workers started']);
    expect(lines).toHaveLength(1);
    outage.ok();
    expect(lines[1]).toBe('database back after 0.0 s (51 failed operations: scheduler tick failed 50, poll now failed 1)');
  });
});

describe('restarts in /metrics', () => {
  it('reads the supervisor\'s counts and renders them as a Prometheus counter', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cityops-restarts-'));
    const file = path.join(dir, 'restarts.json');
    expect(readRestarts(file)).toBeNull(); // not written yet
    expect(readRestarts(undefined)).toBeNull(); // not under the supervisor
    writeFileSync(file, JSON.stringify({ since: '2026-12-02T06:00:00.000Z', processes: { web: 2, workers: 0, postgres: 1, bad: 'x' } }));
    const restarts = readRestarts(file);
    expect(restarts).toEqual({ web: 2, workers: 0, postgres: 1 });
    expect(renderRestarts(restarts).split('\n')).toEqual([
      "# HELP cityops_process_restarts_total Restarts of a process by npm start's supervisor since it started (web, workers, simulator, the embedded postgres).",
      '# TYPE cityops_process_restarts_total counter',
      'cityops_process_restarts_total{process="web"} 2',
      'cityops_process_restarts_total{process="workers"} 0',
      'cityops_process_restarts_total{process="postgres"} 1',
      ''
    ]);
    expect(renderRestarts(null)).toBe('');
  });
});
