/**
 * Where outgoing webhooks may go: public internet addresses only. A merchant's URL is checked when
 * it is registered (after DNS resolution: every address the name has must be public) and again as
 * each delivery connects (the socket's own lookup refuses a private answer, so a name that
 * resolves elsewhere later, DNS rebinding, reaches nothing inside). Without this, registering
 * `http://169.254.169.254/…` or `http://10.0.0.5/admin` would make the backend call its own
 * network. ALLOW_PRIVATE_WEBHOOK_URLS=1 lets an operator allow it (tests, the demo, local use).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Loopback, private, shared, link-local (cloud metadata), documentation, benchmark, multicast, reserved. */
const PRIVATE_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
/** Unspecified, loopback, discard, documentation, unique local (fd00:ec2::254 among them), site- and link-local, multicast. */
const PRIVATE_V6: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fec0::', 10],
  ['fe80::', 10],
  ['ff00::', 8],
];

const blocked = new BlockList();
for (const [net, prefix] of PRIVATE_V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of PRIVATE_V6) blocked.addSubnet(net, prefix, 'ipv6');

const dottedV4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
const hexGroups = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);

/** The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16), if any. */
function embeddedV4(v6: string): string | undefined {
  const groups = expandV6(v6);
  if (!groups) return undefined;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return dottedV4(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return dottedV4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return dottedV4(groups[1]!, groups[2]!);
  return undefined;
}

/** Eight 16-bit groups, a dotted IPv4 tail folded in; undefined for what is not IPv6. */
function expandV6(address: string): number[] | undefined {
  let text = address.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = hexGroups(head);
  const right = hexGroups(tail);
  const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** Whether an IP address is on the public internet (false for anything that is not an IP address). */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return !blocked.check(bare, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedV4(bare);
  if (v4 !== undefined) return isPublicAddress(v4);
  return !blocked.check(bare, 'ipv6');
}

export type Resolve = (hostname: string) => Promise<string[]>;

const RESOLVE_TIMEOUT_MS = 5000;

/** Every address a name has (A and AAAA), as the system resolver answers (the one deliveries connect by); a slow resolver is given up on. */
export const resolveHost: Resolve = (hostname) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer for ${hostname}`)), RESOLVE_TIMEOUT_MS);
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(addresses.map((a) => a.address));
    });
  });

export class PrivateAddressError extends Error {}

export interface AddressPolicy {
  /** ALLOW_PRIVATE_WEBHOOK_URLS: private addresses and plain http allowed. */
  allowPrivate: boolean;
  resolve?: Resolve;
}

/** Why a webhook URL is refused, in words for the merchant; undefined when it may be used. */
export async function refusedWebhookUrl(url: string, { allowPrivate, resolve = resolveHost }: AddressPolicy): Promise<string | undefined> {
  const parsed = new URL(url);
  if (allowPrivate) return undefined;
  if (parsed.protocol !== 'https:') return 'an https URL (plain http only when the server allows private webhook URLs: ALLOW_PRIVATE_WEBHOOK_URLS=1, for local use)';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return `${host} does not resolve to an address`;
    }
    if (addresses.length === 0) return `${host} does not resolve to an address`;
  }
  const inside = addresses.find((a) => !isPublicAddress(a));
  if (inside !== undefined) {
    const what = host === inside ? host : `${host} resolves to ${inside}, which`;
    return `${what} is a private, loopback or link-local address: webhooks go to public addresses only (ALLOW_PRIVATE_WEBHOOK_URLS=1 allows them, for local use)`;
  }
  return undefined;
}

/**
 * A socket lookup that refuses private answers: given to the delivery's request, so the address it
 * connects to is the one checked. IP literals never reach a lookup: check them first.
 */
export function publicOnlyLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const inside = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (inside) return callback(new PrivateAddressError(`${hostname} resolves to ${inside.address}, a private address: not delivered`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
