/**
 * nginx in front of several web nodes, as `npm run start:cluster` runs it and as
 * test/integration/cluster.test.ts tests it: Debian's nginx (`apt-get install nginx`), its whole
 * configuration generated into a directory of its own (config, pid, temp files, access log), run
 * in the foreground as a supervised child, so it needs no root path and no system service.
 *
 * What the configuration does (docs/deploy.md, "Several nodes"):
 *  - pages and the JSON API go to the least busy node (`least_conn`): they keep no state in a node;
 *  - /socket.io/ is proxied with the websocket upgrade, and sticky by session: hashed on the
 *    session cookie (a wall: its display cookie; neither: the client's address), so every socket of
 *    one browser reaches the same node whatever its transport (long-polling needs its requests on
 *    the node that holds its session; Socket.IO's connection-state recovery replays missed events
 *    only on that node). Not `ip_hash`: it hashes an IPv4 address's first three bytes, so a
 *    ministry's office behind one NAT (every wall in it) would land on a single node;
 *  - a dead node is skipped: a refused connection goes to the next node, and the dead one is left
 *    out for a few seconds (`max_fails=1 fail_timeout=5s`); its sockets reconnect to the others;
 *  - the client's address and scheme are forwarded (X-Forwarded-For, appended to; X-Forwarded-Proto,
 *    overwritten), for the web's ADDRESS_HEADER / XFF_DEPTH=1 / PROTOCOL_HEADER (src/server.js).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { REQUEST_BODY_MAX_BYTES } from '#server/limits';
import { SESSION_COOKIE } from '#server/auth/sessions';

/**
 * A wall screen's cookie (src/lib/server/auth/request.ts's DISPLAY_COOKIE, which imports SvelteKit:
 * named here again, and nginx.test.ts checks the two agree).
 */
export const DISPLAY_COOKIE = 'cityops_display';

export interface ProxyLayout {
  /** Where the configuration, pid, temp files and access log go (created if missing). */
  dir: string;
  /** The address and port nginx listens on (the product's public port). */
  listenHost: string;
  listenPort: number;
  /** The web nodes, each `node src/server.js` on its own port. */
  webs: { host: string; port: number }[];
}

/** The environment a web node needs behind this proxy (unless the operator set these already). */
export function webEnvBehindProxy(env: { ORIGIN?: string; PROTOCOL_HEADER?: string; ADDRESS_HEADER?: string }): Record<string, string> {
  const out: Record<string, string> = {};
  // The scheme the browser used, as nginx saw it (overwritten by nginx, never the client's own).
  if (!env.ORIGIN && !env.PROTOCOL_HEADER) out.PROTOCOL_HEADER = 'x-forwarded-proto';
  // The client's address: the last entry of X-Forwarded-For, the one nginx appended.
  if (!env.ADDRESS_HEADER) Object.assign(out, { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
  return out;
}

/** Debian's nginx, or one on the PATH; undefined when there is none (`sudo apt-get install -y nginx`). */
export function findNginx(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) {
    if (existsSync(candidate)) return candidate;
  }
  const onPath = spawnSync('nginx', ['-v'], { stdio: 'ignore' });
  return onPath.error ? undefined : 'nginx';
}

/** The headers every proxied request carries (repeated in each location: nginx inherits none once a level sets one). */
const FORWARDED = [
  'proxy_set_header Host $http_host;',
  'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  'proxy_set_header X-Forwarded-Proto $scheme;',
  'proxy_set_header X-Forwarded-Host $http_host;'
];

/**
 * The http-level part: the stickiness key, the two upstreams (same nodes) and the server. The same
 * text serves a system nginx (docs/deploy/nginx-cityops.conf is it, with TLS added).
 */
export function nginxSite(layout: Pick<ProxyLayout, 'listenHost' | 'listenPort' | 'webs'> & { accessLog: string }): string {
  const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const nodes = (indent: string) => layout.webs.map((w) => `${indent}server ${hostPort(w.host, w.port)} max_fails=1 fail_timeout=5s;`).join('\n');
  const bodyMb = Math.ceil(REQUEST_BODY_MAX_BYTES / (1024 * 1024));
  return `# Which node answered, and how long it took: the first thing to look at when one node misbehaves.
log_format cityops '$remote_addr [$time_local] "$request" $status $body_bytes_sent $request_time upstream=$upstream_addr upstream_status=$upstream_status';

# The websocket upgrade: "Connection: upgrade" when the client asks for it, else none (keeps upstream connections alive).
map $http_upgrade $connection_upgrade {
  default upgrade;
  ''      '';
}

# Sticky key of a live connection: the person's session cookie, a wall's display cookie, else the address.
map "$cookie_${SESSION_COOKIE}$cookie_${DISPLAY_COOKIE}" $cityops_sticky {
  ''      $remote_addr;
  default "$cookie_${SESSION_COOKIE}$cookie_${DISPLAY_COOKIE}";
}

# Pages, the JSON API, exports, uploads: any node will do; the least busy one.
upstream cityops_pages {
  least_conn;
${nodes('  ')}
  keepalive 16;
}

# Socket.IO: every connection of one session on one node (consistent hashing: a node that leaves
# moves only its own sessions).
upstream cityops_live {
  hash $cityops_sticky consistent;
${nodes('  ')}
}

server {
  listen ${hostPort(layout.listenHost, layout.listenPort)};
  access_log ${layout.accessLog} cityops;
  server_tokens off;
  # An upload (10 MB) and its multipart framing: the web's own BODY_SIZE_LIMIT.
  client_max_body_size ${bodyMb}m;
  proxy_http_version 1.1;
  # A node that does not accept within 2 s is skipped (a refused connection is skipped at once).
  proxy_connect_timeout 2s;

  location /socket.io/ {
    proxy_pass http://cityops_live;
${FORWARDED.map((l) => `    ${l}`).join('\n')}
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $connection_upgrade;
    # Socket.IO pings every 25 s and drops a peer silent for 45 s: the proxy never cuts a live socket first.
    proxy_read_timeout 1h;
    proxy_send_timeout 1h;
    # Long-polling answers go out as soon as the node writes them.
    proxy_buffering off;
  }

  location / {
    proxy_pass http://cityops_pages;
${FORWARDED.map((l) => `    ${l}`).join('\n')}
    proxy_set_header Connection "";
    # Exports of a year of a province's communes take a while.
    proxy_read_timeout 300s;
  }
}
`;
}

/** The whole configuration for an nginx of its own, every path inside `layout.dir`. */
export function nginxConfig(layout: ProxyLayout): string {
  const dir = path.resolve(layout.dir);
  const tmp = (name: string) => path.join(dir, 'tmp', name);
  // Run as root (a container, CI), nginx would hand its workers to "nobody", who cannot read a
  // private data directory: they run as the user who started it.
  const user = process.getuid?.() === 0 ? `user ${userInfo().username};\n` : '';
  return `# Generated by City Ops (workers/supervisor/nginx.ts) at each start: edits are overwritten.
daemon off;
${user}worker_processes auto;
# Each proxied socket holds two connections (browser and node): 8192 per worker is ~4,000 sockets,
# and the open-file limit is raised to fit (within the hard limit; no root needed).
worker_rlimit_nofile 16384;
pid ${path.join(dir, 'nginx.pid')};
error_log stderr warn;

events {
  worker_connections 8192;
}

http {
  # Only the City Ops server logs requests (into this directory, below): nothing under /var/log.
  access_log off;
  client_body_temp_path ${tmp('body')};
  proxy_temp_path ${tmp('proxy')};
  fastcgi_temp_path ${tmp('fastcgi')};
  uwsgi_temp_path ${tmp('uwsgi')};
  scgi_temp_path ${tmp('scgi')};

${nginxSite({ ...layout, accessLog: path.join(dir, 'access.log') })
  .split('\n')
  .map((l) => (l ? `  ${l}` : l))
  .join('\n')}}
`;
}

/**
 * Writes the configuration into `layout.dir` and gives the command line that runs nginx on it in
 * the foreground (`-e stderr`: not even its first lines go to /var/log/nginx).
 */
export function prepareNginx(layout: ProxyLayout, bin: string): { bin: string; args: string[]; configFile: string } {
  const dir = path.resolve(layout.dir);
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  const configFile = path.join(dir, 'nginx.conf');
  writeFileSync(configFile, nginxConfig(layout));
  return { bin, args: ['-p', dir, '-c', configFile, '-e', 'stderr'], configFile };
}
