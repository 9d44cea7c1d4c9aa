/**
 * Where a data source may point (SSRF guard). A source URL is typed in by an administrator, and
 * the workers then call it with the source's credentials from inside our network, so every
 * destination is checked twice: when the URL is saved (`checkSourceUrl`, which resolves the host
 * name) and again when a connection is opened (`guardedDispatcher`, whose `lookup` checks the
 * addresses the connection will really use, so a name that resolves elsewhere later — DNS
 * rebinding — is still caught).
 *
 * - always refused, whatever the configuration: link-local and cloud metadata addresses,
 *   0.0.0.0/8 and `::`, multicast, broadcast, metadata host names, and the IPv4-mapped (and
 *   NAT64 / IPv4-compatible) IPv6 forms of them;
 * - loopback, private, CGNAT, unique-local and other non-public addresses: refused unless
 *   `SOURCE_ALLOWED_HOSTS` allows them, by host name (then whatever the name resolves to, except
 *   the always-refused), by IP address or by CIDR range;
 * - public addresses: allowed.
 */
import dns from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';

type Ip = ipaddr.IPv4 | ipaddr.IPv6;

export interface CidrRange {
  family: 4 | 6;
  /** The address as written (any address inside the range) and the prefix length. */
  range: [Ip, number];
  prefix: number;
  /** As written in the configuration, normalised (`10.20.0.0/16`). */
  text: string;
}

export interface EgressPolicy {
  /** Host names, lower case, without a trailing dot. */
  allowedHosts: Set<string>;
  /** Addresses and ranges; a single address is a /32 or /128. */
  allowedRanges: CidrRange[];
}

export type AddressKind = 'always_refused' | 'private' | 'public';

export interface AddressClass {
  kind: AddressKind;
  /** In words, e.g. `a link-local / cloud metadata address`; empty for a public address. */
  reason: string;
}

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

/** A connection refused by the policy; `message` is the refusal in words. */
export class EgressRefusedError extends Error {
  readonly code = 'ERR_SOURCE_EGRESS_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'EgressRefusedError';
  }
}

/** SOURCE_ALLOWED_HOSTS has an entry that is neither a host name, an IP address nor a CIDR range. */
export class EgressPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EgressPolicyError';
  }
}

// ---------------------------------------------------------------------------------------------
// Addresses (ipaddr.js), accepted only in their standard text forms (node:net isIP: no 3-part,
// octal or hex IPv4 shorthands, which a URL parser has already turned into dotted quads anyway)

function stripZone(ip: string): string {
  const i = ip.indexOf('%');
  return i < 0 ? ip : ip.slice(0, i);
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function parseIp(text: string): Ip | null {
  const bare = stripZone(stripBrackets(text.trim())).toLowerCase();
  return isIP(bare) ? ipaddr.parse(bare) : null;
}

const familyOf = (ip: Ip): 4 | 6 => (ip.kind() === 'ipv4' ? 4 : 6);

function inRange(ip: Ip, range: CidrRange): boolean {
  return familyOf(ip) === range.family && ip.match(range.range);
}

function cidr(text: string): CidrRange {
  const [ipText = '', prefixText, ...rest] = text.trim().split('/');
  const ip = parseIp(ipText);
  if (!ip || rest.length) throw new TypeError(`${text} is not an IP address or CIDR range`);
  const family = familyOf(ip);
  const bits = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefixText !== undefined && (!/^\d{1,3}$/.test(prefixText) || prefix > bits)) {
    throw new TypeError(`${text} has an invalid prefix length (0–${bits})`);
  }
  return { family, range: [ip, prefix], prefix, text: text.trim().toLowerCase() };
}

const NAT64 = cidr('64:ff9b::/96');
const V4_COMPATIBLE = cidr('::/96');

/**
 * The IPv4 address an IPv6 address stands for, if it embeds one: IPv4-mapped (::ffff:a.b.c.d),
 * NAT64 well-known prefix (64:ff9b::a.b.c.d) or the deprecated IPv4-compatible form (::a.b.c.d).
 */
function embeddedV4(ip: Ip): ipaddr.IPv4 | null {
  if (ip.kind() !== 'ipv6') return null;
  const v6 = ip as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const low = () => new ipaddr.IPv4(v6.toByteArray().slice(12));
  if (inRange(v6, NAT64)) return low();
  // ::/96 except :: and ::1
  if (inRange(v6, V4_COMPATIBLE) && (v6.parts[6] !== 0 || v6.parts[7]! > 1)) return low();
  return null;
}

// ---------------------------------------------------------------------------------------------
// Classification

const METADATA = 'một địa chỉ link-local / metadata của đám mây';

/** Checked in order: the first range that holds an address gives its class and reason. */
const SPECIAL_RANGES: Array<{ range: CidrRange; kind: Exclude<AddressKind, 'public'>; reason: string }> = [
  // Cloud metadata endpoints (before the wider ranges that hold them).
  ['169.254.169.254/32', 'always_refused', METADATA], // AWS, GCP, Azure, OpenStack …
  ['169.254.170.2/32', 'always_refused', METADATA], // AWS ECS task metadata
  ['fd00:ec2::254/128', 'always_refused', 'một địa chỉ metadata của đám mây (AWS IPv6)'],
  ['100.100.100.200/32', 'always_refused', 'một địa chỉ metadata của đám mây (Alibaba Cloud)'],
  // Always refused.
  ['169.254.0.0/16', 'always_refused', 'một địa chỉ link-local (169.254.0.0/16)'],
  ['fe80::/10', 'always_refused', 'một địa chỉ link-local (fe80::/10)'],
  ['0.0.0.0/8', 'always_refused', "một địa chỉ không xác định / 'mạng này' (0.0.0.0/8)"],
  ['::/128', 'always_refused', 'địa chỉ không xác định (::)'],
  ['224.0.0.0/4', 'always_refused', 'một địa chỉ multicast (224.0.0.0/4)'],
  ['ff00::/8', 'always_refused', 'một địa chỉ multicast (ff00::/8)'],
  ['255.255.255.255/32', 'always_refused', 'địa chỉ quảng bá (broadcast)'],
  // Refused unless allowed.
  ['127.0.0.0/8', 'private', 'một địa chỉ loopback (127.0.0.0/8)'],
  ['::1/128', 'private', 'một địa chỉ loopback (::1)'],
  ['10.0.0.0/8', 'private', 'một địa chỉ nội bộ (10.0.0.0/8)'],
  ['172.16.0.0/12', 'private', 'một địa chỉ nội bộ (172.16.0.0/12)'],
  ['192.168.0.0/16', 'private', 'một địa chỉ nội bộ (192.168.0.0/16)'],
  ['100.64.0.0/10', 'private', 'a shared / CGNAT address (100.64.0.0/10)'],
  ['fc00::/7', 'private', 'một địa chỉ unique-local (fc00::/7)'],
  ['fec0::/10', 'private', 'một địa chỉ site-local (fec0::/10)'],
  // Special-purpose ranges that are not public either (RFC 6890): refused unless allowed.
  ['192.0.0.0/24', 'private', 'một địa chỉ dành riêng, không công khai (192.0.0.0/24)'],
  ['192.0.2.0/24', 'private', 'một địa chỉ dành cho tài liệu (192.0.2.0/24)'],
  ['198.51.100.0/24', 'private', 'một địa chỉ dành cho tài liệu (198.51.100.0/24)'],
  ['203.0.113.0/24', 'private', 'một địa chỉ dành cho tài liệu (203.0.113.0/24)'],
  ['198.18.0.0/15', 'private', 'một địa chỉ dành cho đo kiểm (198.18.0.0/15)'],
  ['240.0.0.0/4', 'private', 'một địa chỉ dành riêng, không công khai (240.0.0.0/4)'],
  ['2001:db8::/32', 'private', 'một địa chỉ dành cho tài liệu (2001:db8::/32)'],
  ['100::/64', 'private', 'một địa chỉ chỉ để huỷ gói (100::/64)']
].map(([text, kind, reason]) => ({ range: cidr(text as string), kind: kind as Exclude<AddressKind, 'public'>, reason: reason as string }));

/** Host names refused whatever they resolve to. */
const ALWAYS_REFUSED_NAMES = new Map<string, string>([['metadata.google.internal', 'một tên máy metadata của đám mây']]);

function classifyParsed(ip: Ip): AddressClass {
  const v4 = embeddedV4(ip);
  if (v4) {
    const inner = classifyParsed(v4);
    return inner.kind === 'public' ? inner : { kind: inner.kind, reason: `${inner.reason}, viết ở dạng IPv6 (${v4.toString()})` };
  }
  for (const s of SPECIAL_RANGES) if (inRange(ip, s.range)) return { kind: s.kind, reason: s.reason };
  return { kind: 'public', reason: '' };
}

/** What an IP address is, with the reason in words (`a loopback address (127.0.0.0/8)`). Throws on a string that is not an IP address. */
export function classifyAddress(ip: string): AddressClass {
  const parsed = parseIp(ip);
  if (!parsed) throw new TypeError(`${ip} is not an IP address`);
  return classifyParsed(parsed);
}

// ---------------------------------------------------------------------------------------------
// Policy

function normaliseHost(host: string): string {
  return stripBrackets(host.trim().toLowerCase()).replace(/\.$/, '');
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Parses SOURCE_ALLOWED_HOSTS of an environment (comma-separated host names, IP addresses and CIDR ranges); an invalid entry throws an error naming it. The product's own environment: `egressPolicy()` in config.ts. */
export function policyFromEnv(env: Record<string, string | undefined>): EgressPolicy {
  return parsePolicy(env.SOURCE_ALLOWED_HOSTS ?? '');
}

/** The same as policyFromEnv, from the list itself. */
export function parsePolicy(list: string): EgressPolicy {
  const policy: EgressPolicy = { allowedHosts: new Set(), allowedRanges: [] };
  for (const raw of list.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    if (entry.includes('/') || parseIp(entry)) {
      try {
        policy.allowedRanges.push(cidr(entry));
      } catch (e) {
        throw new EgressPolicyError(`SOURCE_ALLOWED_HOSTS: "${entry}" is not a valid IP address or CIDR range (${(e as Error).message})`);
      }
      continue;
    }
    const name = normaliseHost(entry);
    if (!HOST_NAME.test(name) || /^[\d.]+$/.test(name)) {
      throw new EgressPolicyError(`SOURCE_ALLOWED_HOSTS: "${entry}" is not a host name, an IP address or a CIDR range`);
    }
    policy.allowedHosts.add(name);
  }
  return policy;
}

/** A canonical string of a policy (the dispatcher cache key). */
function policyKey(policy: EgressPolicy): string {
  const ranges = policy.allowedRanges.map((r) => {
    const network = (r.family === 4 ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(`${r.range[0].toString()}/${r.prefix}`);
    return `${network.toNormalizedString()}/${r.prefix}`;
  });
  return `${[...policy.allowedHosts].sort().join(',')}|${ranges.sort().join(',')}`;
}

function rangeAllows(policy: EgressPolicy, ip: Ip): boolean {
  const v4 = embeddedV4(ip);
  return policy.allowedRanges.some((r) => inRange(ip, r) || (v4 !== null && inRange(v4, r)));
}

/**
 * Whether a connection to `host` (as written in the URL) may go to `addresses` (what it resolved
 * to; the host itself when it is an IP literal): null if so, else the refusal in words.
 * Every address must pass.
 */
export function judgeDestination(host: string, addresses: string[], policy: EgressPolicy): string | null {
  const name = normaliseHost(host);
  const literal = parseIp(name) !== null;
  const refusedName = ALWAYS_REFUSED_NAMES.get(name);
  if (refusedName) return `máy chủ ${name} của URL nguồn là ${refusedName}: bị từ chối`;
  if (!literal && addresses.length === 0) return `máy chủ ${name} của URL nguồn không phân giải ra địa chỉ nào: bị từ chối`;
  const nameAllowed = !literal && policy.allowedHosts.has(name);
  for (const address of addresses) {
    const ip = parseIp(address);
    const where = literal ? `máy chủ ${name} của URL nguồn là` : `máy chủ ${name} của URL nguồn phân giải ra ${address},`;
    if (!ip) return `máy chủ ${name} của URL nguồn phân giải ra ${address}, không phải một địa chỉ IP: bị từ chối`;
    const c = classifyParsed(ip);
    if (c.kind === 'always_refused') return `${where} ${c.reason}: bị từ chối`;
    if (c.kind === 'private' && !nameAllowed && !rangeAllows(policy, ip)) {
      return `${where} ${c.reason}, không được SOURCE_ALLOWED_HOSTS cho phép: bị từ chối`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// URLs

/** The part of the check that needs no DNS: a valid http(s) URL without credentials. Null if so, else the refusal in words. */
export function checkSourceUrlShape(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `URL nguồn ${JSON.stringify(url.slice(0, 200))} không phải là một URL hợp lệ: bị từ chối`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return `URL nguồn dùng giao thức ${u.protocol.replace(/:$/, '')}, không phải http hay https: bị từ chối`;
  }
  if (u.username || u.password) {
    return `URL nguồn ghi tên đăng nhập hoặc mật khẩu cùng máy chủ ${normaliseHost(u.hostname)} (hãy nhập chúng vào phần thông tin đăng nhập của nguồn): bị từ chối`;
  }
  if (!u.hostname) return `URL nguồn không có máy chủ: bị từ chối`;
  return null;
}

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, order: 'verbatim' });

/**
 * The check when a source URL is saved: its shape, then every address its host resolves to.
 * Null = allowed; otherwise the refusal in words. A host that does not resolve is refused
 * (its destination cannot be checked). The fetch is checked again at connect time.
 */
export async function checkSourceUrl(url: string, policy: EgressPolicy, lookup: Resolver = systemResolver): Promise<string | null> {
  const shape = checkSourceUrlShape(url);
  if (shape) return shape;
  const host = normaliseHost(new URL(url).hostname);
  if (parseIp(host)) return judgeDestination(host, [host], policy);
  if (ALWAYS_REFUSED_NAMES.has(host)) return judgeDestination(host, [], policy);
  let addresses: string[];
  try {
    addresses = (await lookup(host)).map((a) => a.address);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return `không phân giải được máy chủ ${host} của URL nguồn (${code}): bị từ chối`;
  }
  return judgeDestination(host, addresses, policy);
}

// ---------------------------------------------------------------------------------------------
// Connect-time guard

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

const dispatchers = new Map<string, Agent>();

/**
 * An undici Agent that checks each connection's destination when it is opened: an IP literal
 * host directly, a host name through `connect.lookup`, which resolves it and checks every
 * address it will connect to (so DNS rebinding after the save-time check is caught). A refused
 * connection fails with an EgressRefusedError whose message is the refusal in words (found in
 * the `cause` of fetch's TypeError: see `egressRefusal`).
 *
 * One Agent per policy (cached by the policy's canonical string) unless `options.lookup` is given
 * (tests), so connections are pooled as before.
 */
export function guardedDispatcher(policy: EgressPolicy, options: { lookup?: Resolver } = {}): Agent {
  const key = policyKey(policy);
  if (!options.lookup) {
    const cached = dispatchers.get(key);
    if (cached) return cached;
  }
  // A snapshot, so a caller changing its policy object later does not change this Agent.
  const frozen: EgressPolicy = { allowedHosts: new Set(policy.allowedHosts), allowedRanges: [...policy.allowedRanges] };
  const resolve = options.lookup;

  const lookup = (hostname: string, opts: dns.LookupOptions, callback: LookupCallback): void => {
    const family = opts.family === 'IPv4' ? 4 : opts.family === 'IPv6' ? 6 : (opts.family ?? 0);
    const resolving: Promise<dns.LookupAddress[]> = resolve
      ? resolve(hostname)
      : dns.promises.lookup(hostname, { family, hints: opts.hints, all: true, order: 'verbatim' });
    resolving.then(
      (found) => {
        const addresses = found.filter((a) => !family || a.family === family);
        const refusal = judgeDestination(hostname, addresses.map((a) => a.address), frozen);
        if (refusal) return callback(new EgressRefusedError(refusal), opts.all ? [] : '');
        if (opts.all) return callback(null, addresses);
        const first = addresses[0]!;
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, opts.all ? [] : '')
    );
  };

  const connect = buildConnector({ lookup } as buildConnector.BuildOptions);
  const agent = new Agent({
    connect: (opts, callback) => {
      const host = stripBrackets(opts.hostname);
      // net.connect does not call lookup for an IP literal: check it here.
      if (isIP(stripZone(host))) {
        const refusal = judgeDestination(host, [host], frozen);
        if (refusal) return callback(new EgressRefusedError(refusal), null);
      }
      connect(opts, callback);
    }
  });
  if (!options.lookup) dispatchers.set(key, agent);
  return agent;
}

/** The EgressRefusedError somewhere in an error's cause chain (fetch wraps it in a TypeError), or null. */
export function egressRefusal(error: unknown): EgressRefusedError | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    if (e instanceof EgressRefusedError || (e as { code?: unknown }).code === 'ERR_SOURCE_EGRESS_REFUSED') return e as EgressRefusedError;
    queue.push((e as { cause?: unknown }).cause);
    if (Array.isArray((e as { errors?: unknown }).errors)) queue.push(...(e as { errors: unknown[] }).errors);
  }
  return null;
}
