/**
 * SSRF guard for webhook targets: which IP addresses the relay refuses to send to (loopback,
 * private, link-local, CGNAT, multicast, reserved…, IPv6 included, and IPv4 addresses carried
 * inside IPv6 ones), and which URLs it accepts at all (http/https, no credentials). Hostnames
 * are checked after DNS resolution, at delivery (sender.ts); literals also at registration.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** [network bytes, prefix length, what it is]. */
type Range = readonly [readonly number[], number, string];

const V4_RANGES: readonly Range[] = [
  [[0, 0, 0, 0], 8, 'this network'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'shared address space (CGNAT)'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'IETF protocol assignments'],
  [[192, 0, 2, 0], 24, 'documentation'],
  [[192, 88, 99, 0], 24, '6to4 relay anycast'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'benchmarking'],
  [[198, 51, 100, 0], 24, 'documentation'],
  [[203, 0, 113, 0], 24, 'documentation'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'],
];

const V6_RANGES: readonly Range[] = [
  [[0xfc, 0], 7, 'unique local'],
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'site-local'],
  [[0xff, 0], 8, 'multicast'],
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation'],
  [[0x01, 0, 0, 0, 0, 0, 0, 0], 64, 'discard'],
  [[0x20, 0x01, 0, 0], 32, 'Teredo'],
  [[0x20, 0x01, 0, 0x10], 28, 'ORCHID'],
];

function inRange(bytes: readonly number[], [network, prefix]: Range): boolean {
  for (let bit = 0; bit < prefix; bit += 8) {
    const take = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[bit / 8] ?? 0) & mask) !== ((network[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

function v4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

/** The 16 bytes of a valid IPv6 address without a zone id (a dotted IPv4 tail allowed). */
function v6Bytes(ip: string): number[] {
  let address = ip;
  let tail: number[] = [];
  if (address.includes('.')) {
    const cut = address.lastIndexOf(':');
    tail = v4Bytes(address.slice(cut + 1));
    address = address.slice(0, cut + 1);
    if (!address.endsWith('::')) address = address.slice(0, -1);
  }
  const [left = '', right] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const missing = right === undefined ? 0 : 8 - tail.length / 2 - l.length - r.length;
  const bytes: number[] = [];
  for (const word of [...l, ...Array<string>(missing).fill('0'), ...r]) {
    const value = Number.parseInt(word, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  return [...bytes, ...tail];
}

function v4Refusal(bytes: readonly number[]): string | null {
  if (bytes.every((b) => b === 255)) return 'broadcast';
  for (const range of V4_RANGES) if (inRange(bytes, range)) return range[2];
  return null;
}

/**
 * Why the relay must not connect to `ip` (a short reason), or null if it may. Anything that is
 * not a valid IP address is refused.
 */
export function addressRefusal(ip: string): string | null {
  if (isIPv4(ip)) return v4Refusal(v4Bytes(ip));
  if (!isIPv6(ip)) return 'not an IP address';
  if (ip.includes('%')) return 'scoped (link-local) address';
  const bytes = v6Bytes(ip);
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 15) && bytes[15] === 0) return 'unspecified';
  if (zeros(0, 15) && bytes[15] === 1) return 'loopback';
  // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96).
  const embedded = bytes.slice(12);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) {
    const why = v4Refusal(embedded);
    return why && `IPv4-mapped ${why}`;
  }
  if (zeros(0, 12)) return 'IPv4-compatible';
  const nat64 = [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
  if (nat64.every((b, i) => bytes[i] === b)) {
    const why = v4Refusal(embedded);
    return why && `NAT64 ${why}`;
  }
  // 6to4 (2002::/16) carries an IPv4 address in bytes 2-5.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) {
    const why = v4Refusal(bytes.slice(2, 6));
    return why && `6to4 ${why}`;
  }
  for (const range of V6_RANGES) if (inRange(bytes, range)) return range[2];
  return null;
}

/** A URL's host as an IP literal (brackets of IPv6 removed), or null for a hostname. */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIPv4(host) || isIPv6(host) ? host : null;
}

export type TargetCheck =
  | { readonly ok: true; readonly url: URL }
  | {
      readonly ok: false;
      readonly code: 'bad-request' | 'target-not-allowed';
      readonly reason: string;
    };

/**
 * Is `raw` a URL webhooks may be sent to? http/https, no credentials, at most 2048 characters,
 * and (unless `allowPrivate`) not an IP literal the guard refuses. Hostnames pass here; their
 * addresses are checked at each delivery.
 */
export function checkTargetUrl(raw: string, allowPrivate: boolean): TargetCheck {
  if (raw.length > 2048) return { ok: false, code: 'bad-request', reason: 'url is too long' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, code: 'bad-request', reason: 'url is not a valid absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, code: 'bad-request', reason: 'url must be http or https' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, code: 'bad-request', reason: 'url must not contain credentials' };
  }
  const literal = literalAddress(url);
  const why = literal === null || allowPrivate ? null : addressRefusal(literal);
  if (why) {
    return {
      ok: false,
      code: 'target-not-allowed',
      reason: `url points to a ${why} address (start the relay with --webhook-allow-private to allow it)`,
    };
  }
  return { ok: true, url };
}
