import type { LookupAddress } from 'node:dns';
import { createRequire } from 'node:module';
import type { LookupFunction, Socket } from 'node:net';
import ipaddr from 'ipaddr.js';

// node:dns is required at the first fetch, not imported: the config imports this module (for
// parseAllowList), and loading dns there would land before the first tools/list answer.
const nodeRequire = createRequire(import.meta.url);
const dns = () => nodeRequire('node:dns') as typeof import('node:dns');
const net = () => nodeRequire('node:net') as typeof import('node:net');

/** Resolves a host name to every address it has (the default is the system resolver). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

/** The system resolver (dns.lookup with all: true), as Node itself connects. */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dns().lookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/** Operator opt-ins: host names (exact or `*.suffix`) and CIDR ranges that may be private. */
export interface AllowList {
  hosts: ReadonlySet<string>;
  suffixes: readonly string[];
  ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * Parses INTERNET_FETCH_ALLOW_HOSTS entries: `intranet.corp`, `*.corp.example`, `10.1.2.3`,
 * `10.0.0.0/8`, `fd00::/8`. Returns the list and a problem per entry it cannot read.
 */
export function parseAllowList(entries: readonly string[]): { allow: AllowList; problems: string[] } {
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  const problems: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry.includes('/')) {
      try {
        const [address, bits] = ipaddr.parseCIDR(entry);
        ranges.push([
          unwrap(address),
          address.kind() === 'ipv6' && unwrap(address).kind() === 'ipv4' ? bits - 96 : bits,
        ]);
      } catch {
        problems.push(`"${raw}" is not a CIDR range such as 10.0.0.0/8 or fd00::/8`);
      }
    } else if (ipaddr.isValid(entry.replace(/^\[|\]$/g, ''))) {
      const address = unwrap(ipaddr.parse(entry.replace(/^\[|\]$/g, '')));
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (entry.startsWith('*.') && HOST_NAME.test(entry.slice(2))) {
      suffixes.push(entry.slice(1));
    } else if (HOST_NAME.test(entry)) {
      hosts.add(entry);
    } else {
      problems.push(`"${raw}" is not a host name, *.suffix, IP address or CIDR range`);
    }
  }
  return { allow: { hosts, suffixes, ranges }, problems };
}

/** An empty allow list: only public unicast addresses. */
export const NO_ALLOW_LIST: AllowList = { hosts: new Set(), suffixes: [], ranges: [] };

function unwrap(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

/** A connection the guard refused: the address is not public (and not opted in). */
export class BlockedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      host === address
        ? `Refused to connect to ${address} (${range} address): only public addresses may be fetched`
        : `Refused to connect to ${host} at ${address} (${range} address): only public addresses may be fetched`,
    );
    this.name = 'BlockedAddressError';
  }
}

/** Strips the brackets of an IPv6 literal as URLs write it. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** True when the host name itself is opted in (any address it resolves to is then accepted). */
export function hostAllowed(host: string, allow: AllowList): boolean {
  const name = bareHost(host).toLowerCase().replace(/\.$/, '');
  return allow.hosts.has(name) || allow.suffixes.some((suffix) => name.endsWith(suffix));
}

/**
 * The range an address is in when it may not be connected to, or undefined when it may: a
 * public unicast address (ipaddr.js range `unicast`, IPv6 within 2000::/3, IPv4-mapped IPv6 judged as its IPv4), or
 * one inside an opted-in CIDR range. Anything unparseable is refused.
 */
export function blockedRange(address: string, allow: AllowList): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = unwrap(ipaddr.parse(bareHost(address).replace(/%.*$/, '')));
  } catch {
    return 'unparseable';
  }
  if (bareHost(address).includes('%')) return 'scoped';
  for (const [base, bits] of allow.ranges) {
    if (base.kind() === parsed.kind() && parsed.match(base, bits)) return undefined;
  }
  const range = parsed.range();
  if (range !== 'unicast') return range;
  // Public IPv6 unicast is 2000::/3 only; ipaddr.js calls everything it has no name for unicast,
  // IPv4-compatible ::a.b.c.d (URLs write ::127.0.0.1 as ::7f00:1) and unassigned space included.
  if (parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_V6, 3)) return 'reserved';
  return undefined;
}

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parse('2000::');

/** Throws BlockedAddressError unless `address` may be connected to for `host`. */
export function checkAddress(host: string, address: string, allow: AllowList): void {
  if (hostAllowed(host, allow)) return;
  const range = blockedRange(address, allow);
  if (range !== undefined) throw new BlockedAddressError(bareHost(host), bareHost(address), range);
}

/**
 * A `lookup` for net/tls.connect that resolves with `resolve` and refuses the whole name when
 * any of its addresses is not allowed (a name that mixes public and private answers is how
 * rebinding attacks start). The connection then uses exactly the addresses checked here.
 */
export function checkedLookup(allow: AllowList, resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        try {
          if (addresses.length === 0)
            throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
          for (const a of addresses) checkAddress(hostname, a.address, allow);
          const family = typeof options === 'object' ? options.family : undefined;
          const wanted =
            family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
          if (typeof options === 'object' && options.all) {
            (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, wanted);
          } else {
            const first = wanted[0] ?? addresses[0]!;
            callback(null, first.address, first.family);
          }
        } catch (error) {
          callback(error as NodeJS.ErrnoException, '', 0);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/**
 * Checks a connected socket's peer: the address actually connected to, whatever resolved it.
 * Throws BlockedAddressError (after destroying the socket) when it is not allowed.
 */
export function checkSocket(host: string, socket: Socket, allow: AllowList): void {
  const remote = socket.remoteAddress;
  try {
    if (!remote) throw new BlockedAddressError(bareHost(host), 'unknown', 'unknown');
    checkAddress(host, remote, allow);
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

/** True for a host that is an IP literal (brackets allowed). */
export function isIpLiteral(host: string): boolean {
  return net().isIP(bareHost(host)) !== 0;
}
