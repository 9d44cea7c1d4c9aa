import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISPLAY_COOKIE as PRODUCT_DISPLAY_COOKIE } from '#server/auth/request';
import { SESSION_COOKIE } from '#server/auth/sessions';
import { DISPLAY_COOKIE, nginxConfig, nginxSite, webEnvBehindProxy } from './nginx.ts';

const layout = {
  dir: '/srv/data/nginx',
  listenHost: '0.0.0.0',
  listenPort: 3000,
  webs: [
    { host: '127.0.0.1', port: 3001 },
    { host: '127.0.0.1', port: 3002 }
  ]
};

/** The directives of one block (`location /socket.io/ {` …), for the lines it holds. */
function block(config: string, opening: string): string {
  const start = config.indexOf(opening);
  expect(start, opening).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = start; i < config.length; i++) {
    if (config[i] === '{') depth++;
    if (config[i] === '}' && --depth === 0) return config.slice(start, i + 1);
  }
  throw new Error(`${opening} is not closed`);
}

describe('the nginx configuration of a cluster', () => {
  const config = nginxConfig(layout);

  it('hashes Socket.IO on the product\'s own session and display cookies', () => {
    expect(DISPLAY_COOKIE).toBe(PRODUCT_DISPLAY_COOKIE);
    expect(config).toContain(`map "$cookie_${SESSION_COOKIE}$cookie_${DISPLAY_COOKIE}" $cityops_sticky`);
    const live = block(config, 'upstream cityops_live {');
    expect(live).toContain('hash $cityops_sticky consistent;');
    expect(live).toContain('server 127.0.0.1:3001 max_fails=1 fail_timeout=5s;');
    expect(live).toContain('server 127.0.0.1:3002 max_fails=1 fail_timeout=5s;');
    expect(block(config, 'upstream cityops_pages {')).toContain('least_conn;');
  });

  it('upgrades websockets and forwards the address and scheme in every location', () => {
    const socket = block(config, 'location /socket.io/ {');
    expect(socket).toContain('proxy_pass http://cityops_live;');
    expect(socket).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(socket).toContain('proxy_set_header Connection $connection_upgrade;');
    expect(socket).toMatch(/proxy_read_timeout 1h;/);
    const pages = block(config, 'location / {');
    expect(pages).toContain('proxy_pass http://cityops_pages;');
    // nginx inherits no proxy_set_header into a level that sets one: each location says them all.
    for (const b of [socket, pages]) {
      expect(b).toContain('proxy_set_header Host $http_host;');
      expect(b).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
      expect(b).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
    }
    expect(webEnvBehindProxy({})).toEqual({ PROTOCOL_HEADER: 'x-forwarded-proto', ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
    expect(webEnvBehindProxy({ ORIGIN: 'https://dieuhanh.example.gov.vn', ADDRESS_HEADER: 'x-real-ip' })).toEqual({});
  });

  it('keeps every file it writes in its own directory, and runs in the foreground', () => {
    expect(config).toMatch(/^daemon off;$/m);
    const paths = [...config.matchAll(/^\s*(?:pid|access_log|\w+_temp_path) (\S+)(?: cityops)?;$/gm)].map((m) => m[1]!).filter((p) => p !== 'off');
    expect(paths).toHaveLength(7);
    for (const p of paths) expect(p.startsWith('/srv/data/nginx/')).toBe(true);
    expect(config).toMatch(/^error_log stderr warn;$/m);
    expect(config).toContain('listen 0.0.0.0:3000;');
    expect(nginxConfig({ ...layout, listenHost: '::' })).toContain('listen [::]:3000;');
  });
});

describe('docs/deploy/nginx-cityops.conf', () => {
  it('keeps every directive the supervisor generates (addresses, listen and log paths aside)', () => {
    const doc = new Set(readFileSync(path.resolve(import.meta.dirname, '../../docs/deploy/nginx-cityops.conf'), 'utf8').split('\n').map((l) => l.trim()));
    const generated = nginxSite({ ...layout, accessLog: '/x' })
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !/^(server [\d.]+:\d+ |listen |access_log )/.test(l));
    expect(generated.length).toBeGreaterThan(30);
    expect(generated.filter((l) => !doc.has(l))).toEqual([]);
  });
});
