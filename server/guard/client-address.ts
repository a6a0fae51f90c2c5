/**
 * Which address a request comes from, for per-address limits and log lines. It is the TCP
 * peer, unless the peer is a trusted proxy (`--trust-proxy`): then `X-Forwarded-For` is read
 * from the right, past every trusted hop, and the first untrusted address is the client. Entries
 * left of it were written by the client itself and are never believed.
 */
import { BlockList, isIP } from 'node:net';

/** What `--trust-proxy` accepts: an address or CIDR range, e.g. `10.0.0.0/8`, `::1`, `fd00::/8`. */
const RANGE = /^([^/\s]+)(?:\/(\d{1,3}))?$/;

/**
 * The comma-separated ranges of `raw` (blanks ignored), each checked; throws a RangeError naming
 * the first that is not an IPv4/IPv6 address with an optional prefix length.
 */
export function parseTrustedRanges(raw: string): readonly string[] {
  const ranges = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  trustedProxies(ranges);
  return Object.freeze(ranges);
}

/** A BlockList holding `ranges`; throws a RangeError on the first invalid one. */
function trustedProxies(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const match = RANGE.exec(range);
    const address = match?.[1] ?? '';
    const version = isIP(address);
    if (version === 0) {
      throw new RangeError(`expected an IP address or CIDR range, got "${range}"`);
    }
    const bits = version === 4 ? 32 : 128;
    const prefix = match?.[2] === undefined ? bits : Number(match[2]);
    if (prefix > bits) throw new RangeError(`prefix of "${range}" must be 0-${bits}`);
    list.addSubnet(address, prefix, version === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`, so one client counts as one address however it arrived. */
function canonical(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** Resolves a request's client address from its TCP peer and `X-Forwarded-For` header. */
export type ClientAddressOf = (
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
) => string | undefined;

/**
 * A resolver trusting the proxies in `ranges` (validated by {@link parseTrustedRanges}). With
 * none, the header is never read. A malformed entry (not a plain IP address: `unknown`, a port,
 * an empty item) stops the walk at the last trusted hop reached: what lies left of it cannot be
 * attributed, and blaming that hop cannot be spoofed by the client.
 */
export function clientAddressResolver(ranges: readonly string[]): ClientAddressOf {
  if (ranges.length === 0) return (peer) => peer && canonical(peer);
  const trusted = trustedProxies(ranges);
  const isTrusted = (address: string) =>
    trusted.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  return (peer, forwardedFor) => {
    if (peer === undefined || isIP(peer) === 0 || !isTrusted(peer)) return peer && canonical(peer);
    // Node joins repeated X-Forwarded-For headers with ", "; an array only comes from callers.
    const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
    if (header === undefined) return canonical(peer);
    let hop = peer;
    const entries = header.split(',');
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = (entries[i] ?? '').trim();
      if (isIP(entry) === 0) break;
      hop = entry;
      if (!isTrusted(entry)) break;
    }
    return canonical(hop);
  };
}
