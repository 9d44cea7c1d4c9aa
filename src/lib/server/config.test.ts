import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { egressPolicy, parseConfig } from './config.ts';

const root = new URL('../../../', import.meta.url).pathname;

describe('parseConfig', () => {
  it('gives the defaults of an empty environment', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', LOG_LEVEL: 'info', SOURCE_ALLOWED_HOSTS: '', BODY_SIZE_LIMIT: String(11 * 1024 * 1024) });
    expect(c.CITYOPS_RELEASE).toBeUndefined();
    expect(c.SIM_FAULTS).toBeUndefined();
  });

  it('reads every variable the processes use', () => {
    const c = parseConfig({
      PORT: '8080', HOST: '127.0.0.1', LOG_LEVEL: 'warn', CITYOPS_RELEASE: '2026.11.3', SIM_FAULTS: 'eid:http_5xx,payment:latency:2000',
      SOURCE_ALLOWED_HOSTS: '127.0.0.1,igate.hanoi.gov.vn,10.20.0.0/16', ORIGIN: 'https://dieuhanh.hanoi.gov.vn', PROTOCOL_HEADER: 'x-forwarded-proto',
      XFF_DEPTH: '2', BODY_SIZE_LIMIT: '20M'
    });
    expect(c).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', LOG_LEVEL: 'warn', CITYOPS_RELEASE: '2026.11.3', SIM_FAULTS: 'eid:http_5xx,payment:latency:2000',
      ORIGIN: 'https://dieuhanh.hanoi.gov.vn', PROTOCOL_HEADER: 'x-forwarded-proto', XFF_DEPTH: 2, BODY_SIZE_LIMIT: '20M' });
  });

  it('takes an empty optional variable as unset (CITYOPS_RELEASE= in a unit file)', () => {
    expect(parseConfig({ CITYOPS_RELEASE: '', ORIGIN: '', SIM_FAULTS: '' })).toMatchObject({ CITYOPS_RELEASE: undefined, ORIGIN: undefined, SIM_FAULTS: undefined });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['LOG_LEVEL', 'verbose'],
    ['EMBEDDED_PG_PORT', '0'],
    ['SOURCE_ALLOWED_HOSTS', '127.0.0.1,10.0.0.0/40'],
    ['ORIGIN', 'dieuhanh.hanoi.gov.vn'],
    ['BODY_SIZE_LIMIT', '11 MB'],
    ['XFF_DEPTH', 'two'],
    ['PROTOCOL_HEADER', 'x forwarded proto'],
    ['CITYOPS_SECRET_KEY', 'abc']
  ])('refuses %s=%j, naming the variable', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`^Invalid environment:\\n  ${name}: `));
  });

  it('names every wrong variable at once, and says what is wrong with an allow-list entry', () => {
    let message = '';
    try {
      parseConfig({ PORT: 'x', LOG_LEVEL: 'loud', SOURCE_ALLOWED_HOSTS: '*.hanoi.gov.vn' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^ {2}PORT: must be a port number/m);
    expect(message).toMatch(/^ {2}LOG_LEVEL: .*"debug"/m);
    expect(message).toMatch(/^ {2}SOURCE_ALLOWED_HOSTS: "\*\.hanoi\.gov\.vn" is not a host name, an IP address or a CIDR range$/m);
  });
});

describe('egressPolicy', () => {
  it('follows SOURCE_ALLOWED_HOSTS as it changes', () => {
    expect([...egressPolicy({ SOURCE_ALLOWED_HOSTS: 'a.example' }).allowedHosts]).toEqual(['a.example']);
    expect([...egressPolicy({ SOURCE_ALLOWED_HOSTS: 'b.example' }).allowedHosts]).toEqual(['b.example']);
    expect(egressPolicy({}).allowedRanges).toEqual([]);
  });
});

describe('a process started with a bad variable', () => {
  // The real entry: src/server.js reads the configuration before anything else (Node strips the types of config.ts).
  it.each([
    ['PORT', 'eighty'],
    ['LOG_LEVEL', 'chatty']
  ])('stops at once with %s in the error', (name, value) => {
    const r = spawnSync(process.execPath, ['src/server.js'], { cwd: root, env: { ...process.env, [name]: value }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Invalid environment');
    expect(r.stderr).toContain(`${name}: `);
  });
});
