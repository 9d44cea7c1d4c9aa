import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchText, fetchWithRetry } from './client.ts';
import type { PreparedRequest } from './request.ts';

const get = (url: string): PreparedRequest => ({ method: 'GET', url, headers: {}, body: null, secrets: { headers: [], values: [] } });
import {
  checkSourceUrl,
  checkSourceUrlShape,
  classifyAddress,
  egressRefusal,
  EgressPolicyError,
  guardedDispatcher,
  parsePolicy,
  policyFromEnv,
  type Resolver
} from './ssrf.ts';
import { SourceError } from './types.ts';

/** A resolver that answers from a table, and counts its calls. */
function resolver(table: Record<string, string[]>) {
  const calls: string[] = [];
  const lookup: Resolver = async (host) => {
    calls.push(host);
    const found = table[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, calls };
}

const none = parsePolicy('');

describe('classifyAddress', () => {
  it.each([
    ['169.254.169.254', 'một địa chỉ link-local / metadata của đám mây'],
    ['169.254.170.2', 'một địa chỉ link-local / metadata của đám mây'],
    ['fd00:ec2::254', 'metadata của đám mây'],
    ['100.100.100.200', 'metadata của đám mây'],
    ['169.254.0.1', 'link-local'],
    ['169.254.255.255', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['0.0.0.0', '0.0.0.0/8'],
    ['0.255.255.255', '0.0.0.0/8'],
    ['::', 'không xác định'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:169.254.169.254', 'một địa chỉ link-local / metadata của đám mây, viết ở dạng IPv6 (169.254.169.254)'],
    ['::ffff:a9fe:a9fe', 'một địa chỉ link-local / metadata của đám mây, viết ở dạng IPv6 (169.254.169.254)'],
    ['::FFFF:169.254.170.2', 'metadata của đám mây'],
    ['::ffff:0.0.0.0', '0.0.0.0/8'],
    ['::ffff:224.0.0.251', 'multicast'],
    ['::ffff:255.255.255.255', 'broadcast'],
    ['::ffff:100.100.100.200', 'metadata của đám mây'],
    ['64:ff9b::169.254.169.254', 'metadata của đám mây'],
    ['::169.254.169.254', 'metadata của đám mây']
  ])('%s is always refused (%s)', (ip, reason) => {
    const c = classifyAddress(ip);
    expect(c.kind).toBe('always_refused');
    expect(c.reason).toContain(reason);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', '10.0.0.0/8'],
    ['10.255.255.255', '10.0.0.0/8'],
    ['172.16.0.1', '172.16.0.0/12'],
    ['172.31.255.255', '172.16.0.0/12'],
    ['192.168.0.1', '192.168.0.0/16'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.255', 'CGNAT'],
    ['100.100.100.201', 'CGNAT'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', '10.0.0.0/8'],
    ['::ffff:192.168.1.1', '192.168.0.0/16'],
    ['::ffff:100.64.0.1', 'CGNAT'],
    ['198.18.0.1', 'đo kiểm'],
    ['2001:db8::1', 'tài liệu']
  ])('%s is private (%s)', (ip, reason) => {
    const c = classifyAddress(ip);
    expect(c.kind).toBe('private');
    expect(c.reason).toContain(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '169.255.0.1',
    '223.255.255.255',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    'fe7f:ffff::1',
    'fe00::1'
  ])('%s is public', (ip) => {
    expect(classifyAddress(ip)).toEqual({ kind: 'public', reason: '' });
  });

  it('reads every written form of an address the same (upper case, zero groups, embedded IPv4)', () => {
    expect(classifyAddress('FE80::1').reason).toContain('link-local');
    expect(classifyAddress('::ffff:0a00:0001').reason).toBe('một địa chỉ nội bộ (10.0.0.0/8), viết ở dạng IPv6 (10.0.0.1)');
    expect(classifyAddress('0:0:0:0:0:ffff:7f00:1').reason).toContain('loopback');
    expect(classifyAddress('::127.0.0.1')).toEqual({ kind: 'private', reason: 'một địa chỉ loopback (127.0.0.0/8), viết ở dạng IPv6 (127.0.0.1)' });
    expect(classifyAddress('::2').kind).toBe('always_refused'); // IPv4-compatible 0.0.0.2
    expect(classifyAddress('::1').reason).toBe('một địa chỉ loopback (::1)');
  });

  it('throws on something that is not an IP address', () => {
    expect(() => classifyAddress('example.com')).toThrow(/example\.com is not an IP address/);
    expect(() => classifyAddress('256.0.0.1')).toThrow(/not an IP address/);
  });
});

describe('policyFromEnv', () => {
  it('reads host names (case-insensitive, trailing dot ignored), IP addresses and CIDR ranges', () => {
    const p = policyFromEnv({ SOURCE_ALLOWED_HOSTS: ' IGate.Hanoi.gov.vn , dvc.local., 10.20.0.0/16,192.168.5.7, fd00:abcd::/32 ,, ::1' });
    expect([...p.allowedHosts].sort()).toEqual(['dvc.local', 'igate.hanoi.gov.vn']);
    expect(p.allowedRanges.map((r) => `${r.family} ${r.prefix}`)).toEqual(['4 16', '4 32', '6 32', '6 128']);
  });

  it('is empty when the variable is unset or blank', () => {
    expect(policyFromEnv({})).toEqual({ allowedHosts: new Set(), allowedRanges: [] });
    expect(policyFromEnv({ SOURCE_ALLOWED_HOSTS: ' , ' }).allowedRanges).toEqual([]);
  });

  it.each(['10.0.0.0/33', '10.0.0/8', '*.hanoi.gov.vn', 'igate.hanoi.gov.vn:8443', 'http://igate.hanoi.gov.vn', 'a b', '1.2.3', 'fd00::/129', '10.0.0.0/'])(
    'throws on the invalid entry %s, naming it',
    (entry) => {
      expect(() => policyFromEnv({ SOURCE_ALLOWED_HOSTS: `127.0.0.1,${entry}` })).toThrow(EgressPolicyError);
      expect(() => policyFromEnv({ SOURCE_ALLOWED_HOSTS: `127.0.0.1,${entry}` })).toThrow(entry);
    }
  );
});

describe('checkSourceUrl', () => {
  const dns = resolver({
    'igate.hanoi.gov.vn': ['10.20.1.5'],
    'other.hanoi.gov.vn': ['10.20.1.5'],
    'dvc.local': ['10.20.255.1'],
    'outside.local': ['10.21.0.1'],
    'mapped.local': ['::ffff:10.20.1.5'],
    'v6.local': ['fd00:abcd:1::5'],
    'metadata.example': ['169.254.169.254'],
    'ecs.example': ['169.254.170.2'],
    'mixed.example': ['8.8.8.8', '192.168.1.10'],
    'public.example': ['8.8.8.8', '2606:4700:4700::1111'],
    'loop.example': ['127.0.0.1'],
    'dual.example': ['127.0.0.1', '::1'],
    'empty.example': []
  });
  const check = (url: string, allowed: string) => checkSourceUrl(url, parsePolicy(allowed), dns.lookup);

  it('allows a public destination', async () => {
    expect(await check('https://public.example/api?from=2026-01-01', '')).toBeNull();
    expect(await check('http://8.8.8.8:8080/x', '')).toBeNull();
  });

  it('allows a private destination by host name, case-insensitively, and only that name', async () => {
    expect(await check('https://igate.hanoi.gov.vn/api', 'IGATE.hanoi.gov.vn')).toBeNull();
    expect(await check('https://igate.hanoi.gov.vn/api', '')).toBe(
      "máy chủ igate.hanoi.gov.vn của URL nguồn phân giải ra 10.20.1.5, một địa chỉ nội bộ (10.0.0.0/8), không được SOURCE_ALLOWED_HOSTS cho phép: bị từ chối"
    );
    expect(await check('https://other.hanoi.gov.vn/api', 'igate.hanoi.gov.vn')).toMatch(/other\.hanoi\.gov\.vn của URL nguồn phân giải ra 10\.20\.1\.5.*bị từ chối/);
  });

  it('allows a private destination by IP address', async () => {
    expect(await check('https://igate.hanoi.gov.vn/api', '10.20.1.5')).toBeNull();
    expect(await check('http://10.20.1.5/api', '10.20.1.5')).toBeNull();
    expect(await check('http://10.20.1.6/api', '10.20.1.5')).toBe(
      "máy chủ 10.20.1.6 của URL nguồn là một địa chỉ nội bộ (10.0.0.0/8), không được SOURCE_ALLOWED_HOSTS cho phép: bị từ chối"
    );
  });

  it('allows a private destination by CIDR range (IPv4, IPv4-mapped and IPv6)', async () => {
    expect(await check('https://dvc.local/api', '10.20.0.0/16')).toBeNull();
    expect(await check('https://mapped.local/api', '10.20.0.0/16')).toBeNull();
    expect(await check('https://outside.local/api', '10.20.0.0/16')).toMatch(/outside\.local của URL nguồn phân giải ra 10\.21\.0\.1, một địa chỉ nội bộ/);
    expect(await check('https://v6.local/api', 'fd00:abcd::/32')).toBeNull();
    expect(await check('https://v6.local/api', 'fd00:abce::/32')).toMatch(/v6\.local của URL nguồn phân giải ra fd00:abcd:1::5, một địa chỉ unique-local/);
    expect(await check('http://[fd00:abcd::9]/api', 'fd00:abcd::/32')).toBeNull();
  });

  it('refuses a name that resolves to the metadata address, even when the name is allowed', async () => {
    const expected = "máy chủ metadata.example của URL nguồn phân giải ra 169.254.169.254, một địa chỉ link-local / metadata của đám mây: bị từ chối";
    expect(await check('http://metadata.example/latest/meta-data/', '')).toBe(expected);
    expect(await check('http://metadata.example/latest/meta-data/', 'metadata.example')).toBe(expected);
    expect(await check('http://ecs.example/v2/credentials', 'ecs.example')).toMatch(/169\.254\.170\.2, một địa chỉ link-local \/ metadata của đám mây: bị từ chối/);
  });

  it('refuses 169.254.169.254 even when allowed by CIDR 169.254.0.0/16 or by address', async () => {
    for (const allowed of ['169.254.0.0/16', '169.254.169.254', '0.0.0.0/0', '::/0']) {
      expect(await check('http://169.254.169.254/latest/meta-data/', allowed)).toBe(
        "máy chủ 169.254.169.254 của URL nguồn là một địa chỉ link-local / metadata của đám mây: bị từ chối"
      );
    }
    expect(await check('http://metadata.example/', '169.254.0.0/16')).toMatch(/metadata của đám mây: bị từ chối/);
  });

  it('refuses the metadata forms a URL parser turns into the same address', async () => {
    // IPv4-mapped IPv6 (the URL parser writes it as [::ffff:a9fe:a9fe]) and the decimal form.
    expect(await check('http://[::ffff:169.254.169.254]/', '0.0.0.0/0')).toMatch(/^máy chủ ::ffff:a9fe:a9fe của URL nguồn là một địa chỉ link-local \/ metadata của đám mây/);
    expect(await check('http://2852039166/', '')).toMatch(/^máy chủ 169\.254\.169\.254 của URL nguồn là một địa chỉ link-local/);
    expect(await check('http://[fd00:ec2::254]/', 'fd00::/8')).toMatch(/metadata của đám mây/);
  });

  it('refuses metadata.google.internal by name, without resolving it', async () => {
    const before = dns.calls.length;
    expect(await check('http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal')).toBe(
      "máy chủ metadata.google.internal của URL nguồn là một tên máy metadata của đám mây: bị từ chối"
    );
    expect(await check('http://METADATA.google.internal./', '')).toMatch(/metadata\.google\.internal của URL nguồn là một tên máy metadata của đám mây/);
    expect(dns.calls.length).toBe(before);
  });

  it('refuses the other always-refused ranges whatever the allowlist says', async () => {
    const all = '0.0.0.0/0,::/0';
    expect(await check('http://0.0.0.0:4010/', all)).toMatch(/0\.0\.0\.0\/8.*bị từ chối/);
    expect(await check('http://[::]:4010/', all)).toMatch(/địa chỉ không xác định.*bị từ chối/);
    expect(await check('http://224.0.0.1/', all)).toMatch(/multicast.*bị từ chối/);
    expect(await check('http://255.255.255.255/', all)).toMatch(/broadcast.*bị từ chối/);
    expect(await check('http://[fe80::1]/', all)).toMatch(/link-local.*bị từ chối/);
    expect(await check('http://100.100.100.200/', all)).toMatch(/metadata của đám mây.*bị từ chối/);
    // …while the allowlist does open the private ranges.
    expect(await check('http://192.168.1.10/', all)).toBeNull();
  });

  it('checks every address a name resolves to', async () => {
    expect(await check('http://mixed.example/', '')).toMatch(/mixed\.example của URL nguồn phân giải ra 192\.168\.1\.10, một địa chỉ nội bộ \(192\.168\.0\.0\/16\)/);
    expect(await check('http://dual.example/', '127.0.0.1')).toMatch(/dual\.example của URL nguồn phân giải ra ::1, một địa chỉ loopback/);
    expect(await check('http://dual.example/', '127.0.0.1,::1')).toBeNull();
  });

  it('refuses a host that does not resolve or resolves to nothing', async () => {
    expect(await check('http://nowhere.example/', '')).toBe("không phân giải được máy chủ nowhere.example của URL nguồn (ENOTFOUND): bị từ chối");
    expect(await check('http://empty.example/', '')).toMatch(/empty\.example của URL nguồn không phân giải ra địa chỉ nào: bị từ chối/);
  });

  it('refuses localhost and 127.0.0.1 without an allowlist, and allows them with SOURCE_ALLOWED_HOSTS=127.0.0.1', async () => {
    // The real resolver: whatever localhost resolves to here is loopback.
    expect(await checkSourceUrl('http://localhost:4010/', none)).toMatch(/^máy chủ localhost của URL nguồn phân giải ra .*, một địa chỉ loopback.*không được SOURCE_ALLOWED_HOSTS cho phép: bị từ chối$/);
    expect(await checkSourceUrl('http://127.0.0.1:4010/', none)).toBe(
      "máy chủ 127.0.0.1 của URL nguồn là một địa chỉ loopback (127.0.0.0/8), không được SOURCE_ALLOWED_HOSTS cho phép: bị từ chối"
    );
    expect(await checkSourceUrl('http://[::1]:4010/', none)).toMatch(/máy chủ ::1 của URL nguồn là một địa chỉ loopback/);
    const allowed = policyFromEnv({ SOURCE_ALLOWED_HOSTS: '127.0.0.1' });
    expect(await checkSourceUrl('http://127.0.0.1:4010/', allowed)).toBeNull();
    expect(await checkSourceUrl('http://localhost:4010/', allowed, resolver({ localhost: ['127.0.0.1'] }).lookup)).toBeNull();
    expect(await check('http://loop.example:4010/', '127.0.0.1')).toBeNull();
    // By name, with the real resolver.
    expect(await checkSourceUrl('http://localhost:4010/', policyFromEnv({ SOURCE_ALLOWED_HOSTS: 'localhost' }))).toBeNull();
  });

  it('refuses a scheme other than http/https', async () => {
    expect(await check('ftp://public.example/data.csv', '')).toBe("URL nguồn dùng giao thức ftp, không phải http hay https: bị từ chối");
    expect(await check('file:///etc/passwd', '')).toMatch(/giao thức file, không phải http hay https/);
    expect(await check('gopher://public.example/', '')).toMatch(/giao thức gopher/);
    expect(await check('data:text/plain,hi', '')).toMatch(/giao thức data/);
    expect(checkSourceUrlShape('https://public.example/')).toBeNull();
  });

  it('refuses a URL with a user name or password in it', async () => {
    expect(await check('https://admin:secret@public.example/api', '')).toBe(
      "URL nguồn ghi tên đăng nhập hoặc mật khẩu cùng máy chủ public.example (hãy nhập chúng vào phần thông tin đăng nhập của nguồn): bị từ chối"
    );
    expect(await check('https://admin@public.example/api', '')).toMatch(/tên đăng nhập hoặc mật khẩu/);
  });

  it('refuses what is not a URL', async () => {
    expect(await check('not a url', '')).toMatch(/không phải là một URL hợp lệ: bị từ chối/);
  });

  it('keeps ports free', async () => {
    expect(await check('http://public.example:22/', '')).toBeNull();
    expect(await check('http://public.example:65535/', '')).toBeNull();
  });
});

describe('guardedDispatcher and fetchText', () => {
  let server: http.Server;
  let port: number;
  let requests = 0;
  const saved = process.env.SOURCE_ALLOWED_HOSTS;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      requests++;
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests = 0;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.SOURCE_ALLOWED_HOSTS;
    else process.env.SOURCE_ALLOWED_HOSTS = saved;
  });

  const rejection = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (err: unknown) => err
    );
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  };

  it('fetchText to loopback is refused when the policy does not allow it, and no request is sent', async () => {
    process.env.SOURCE_ALLOWED_HOSTS = '10.0.0.0/8';
    const e = await rejection(fetchText(get(`http://127.0.0.1:${port}/x`), { timeoutMs: 5000 }));
    expect(e.message).toBe("máy chủ 127.0.0.1 của URL nguồn là một địa chỉ loopback (127.0.0.0/8), không được SOURCE_ALLOWED_HOSTS cho phép: bị từ chối");
    expect(e.stage).toBe('connection');
    expect(e.retryable).toBe(false);
    expect(e.httpStatus).toBeNull();

    const byName = await rejection(fetchText(get(`http://localhost:${port}/x`), { timeoutMs: 5000 }));
    expect(byName.message).toMatch(/^máy chủ localhost của URL nguồn phân giải ra .*, một địa chỉ loopback.*: bị từ chối$/);
    expect(byName.retryable).toBe(false);
    expect(requests).toBe(0);
  });

  it('a refusal is not retried', async () => {
    process.env.SOURCE_ALLOWED_HOSTS = '';
    const e = await rejection(fetchWithRetry(get(`http://127.0.0.1:${port}/x`), { timeoutMs: 5000, retry: { attempts: 3, baseDelayMs: 1 } }));
    expect(e.attempts).toBe(1);
    expect(e.message).toMatch(/loopback .*: bị từ chối$/);
    expect(requests).toBe(0);
  });

  it('fetchText to loopback works when SOURCE_ALLOWED_HOSTS allows it (by address or by name)', async () => {
    process.env.SOURCE_ALLOWED_HOSTS = '127.0.0.1';
    expect(await fetchText(get(`http://127.0.0.1:${port}/x`), { timeoutMs: 5000 })).toEqual({ status: 200, contentType: 'application/json', body: '{"ok":true}' });
    process.env.SOURCE_ALLOWED_HOSTS = 'LOCALHOST';
    expect(await fetchText(get(`http://localhost:${port}/x`), { timeoutMs: 5000 })).toEqual({ status: 200, contentType: 'application/json', body: '{"ok":true}' });
    expect(requests).toBe(2);
  });

  it('fetchText refuses other schemes and credentials in the URL before any connection', async () => {
    process.env.SOURCE_ALLOWED_HOSTS = '127.0.0.1';
    const scheme = await rejection(fetchText(get('data:application/json,{"ok":true}'), { timeoutMs: 5000 }));
    expect(scheme.message).toBe("URL nguồn dùng giao thức data, không phải http hay https: bị từ chối");
    expect(scheme.retryable).toBe(false);
    const creds = await rejection(fetchText(get(`http://u:p@127.0.0.1:${port}/x`), { timeoutMs: 5000 }));
    expect(creds.message).toMatch(/tên đăng nhập hoặc mật khẩu cùng máy chủ 127\.0\.0\.1/);
    expect(requests).toBe(0);
  });

  it('fetchText names an invalid SOURCE_ALLOWED_HOSTS entry', async () => {
    process.env.SOURCE_ALLOWED_HOSTS = '127.0.0.1,10.0.0.0/40';
    const e = await rejection(fetchText(get(`http://127.0.0.1:${port}/x`), { timeoutMs: 5000 }));
    expect(e.stage).toBe('config');
    expect(e.message).toContain('"10.0.0.0/40"');
    expect(e.retryable).toBe(false);
  });

  it('checks the addresses at connect time, so a name that rebinds after the save-time check is refused', async () => {
    const url = `http://rebind.example:${port}/x`;
    // Save time: the name resolves to a public address.
    expect(await checkSourceUrl(url, none, resolver({ 'rebind.example': ['8.8.8.8'] }).lookup)).toBeNull();
    // Connect time: it now resolves to loopback.
    const rebound = resolver({ 'rebind.example': ['127.0.0.1'] });
    const error = await fetch(url, { dispatcher: guardedDispatcher(none, { lookup: rebound.lookup }) } as RequestInit).then(
      () => null,
      (e: unknown) => e
    );
    expect(rebound.calls).toEqual(['rebind.example']);
    expect(egressRefusal(error)?.message).toBe(
      "máy chủ rebind.example của URL nguồn phân giải ra 127.0.0.1, một địa chỉ loopback (127.0.0.0/8), không được SOURCE_ALLOWED_HOSTS cho phép: bị từ chối"
    );
    expect(requests).toBe(0);
  });

  it('connects through the guarded lookup when the name is allowed, but never to the metadata address', async () => {
    const allowed = parsePolicy('rebind.example');
    const toLoopback = resolver({ 'rebind.example': ['127.0.0.1'] });
    const response = await fetch(`http://rebind.example:${port}/x`, { dispatcher: guardedDispatcher(allowed, { lookup: toLoopback.lookup }) } as RequestInit);
    expect(await response.text()).toBe('{"ok":true}');
    expect(requests).toBe(1);

    const toMetadata = resolver({ 'rebind.example': ['169.254.169.254'] });
    const error = await fetch(`http://rebind.example:${port}/x`, { dispatcher: guardedDispatcher(allowed, { lookup: toMetadata.lookup }) } as RequestInit).then(
      () => null,
      (e: unknown) => e
    );
    expect(egressRefusal(error)?.message).toBe(
      "máy chủ rebind.example của URL nguồn phân giải ra 169.254.169.254, một địa chỉ link-local / metadata của đám mây: bị từ chối"
    );
  });

  it('refuses an IP literal at connect time (no lookup happens for it)', async () => {
    const error = await fetch('http://169.254.169.254/latest/meta-data/', { dispatcher: guardedDispatcher(parsePolicy('169.254.0.0/16')) } as RequestInit).then(
      () => null,
      (e: unknown) => e
    );
    expect(egressRefusal(error)?.message).toBe("máy chủ 169.254.169.254 của URL nguồn là một địa chỉ link-local / metadata của đám mây: bị từ chối");
    const v6 = await fetch(`http://[::1]:${port}/`, { dispatcher: guardedDispatcher(none) } as RequestInit).then(
      () => null,
      (e: unknown) => e
    );
    expect(egressRefusal(v6)?.message).toMatch(/máy chủ ::1 của URL nguồn là một địa chỉ loopback/);
  });

  it('keeps one dispatcher per policy', () => {
    expect(guardedDispatcher(parsePolicy('a.example,10.0.0.0/8'))).toBe(guardedDispatcher(parsePolicy('10.0.0.0/8, A.example')));
    expect(guardedDispatcher(parsePolicy('a.example'))).not.toBe(guardedDispatcher(parsePolicy('b.example')));
    // A range is keyed by its network, however it was written.
    expect(guardedDispatcher(parsePolicy('10.1.2.3/8'))).toBe(guardedDispatcher(parsePolicy('10.0.0.0/8')));
    expect(guardedDispatcher(parsePolicy('10.0.0.0/8'))).not.toBe(guardedDispatcher(parsePolicy('10.0.0.0/16')));
  });
});
