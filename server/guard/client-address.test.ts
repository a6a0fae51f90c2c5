import { describe, expect, it } from 'vitest';
import { clientAddressResolver, parseTrustedRanges } from './client-address';

const behindProxies = clientAddressResolver(
  parseTrustedRanges('127.0.0.1/32,10.0.0.0/8,::1,fd00::/8'),
);

describe('parseTrustedRanges', () => {
  it('accepts IPv4/IPv6 addresses and CIDR ranges, ignoring blanks', () => {
    expect(parseTrustedRanges(' 127.0.0.1/32, 10.0.0.0/8,,::1 ,fd00::/8,')).toEqual([
      '127.0.0.1/32',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
    ]);
    expect(parseTrustedRanges('')).toEqual([]);
  });

  it.each([
    'localhost',
    '10.0.0.0/33',
    'fd00::/129',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '10.0.0.0/-1',
    '999.1.1.1',
    '[::1]',
    '10.0.0.1:80',
  ])('rejects %j naming it', (range) => {
    expect(() => parseTrustedRanges(`127.0.0.1,${range}`)).toThrow(range);
  });
});

describe('clientAddressResolver', () => {
  it('trusting nobody, is the peer and never reads the header', () => {
    const direct = clientAddressResolver([]);
    expect(direct('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(direct(undefined, '198.51.100.1')).toBeUndefined();
  });

  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(behindProxies('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(behindProxies('11.0.0.1', '198.51.100.1')).toBe('11.0.0.1');
  });

  it('is the peer when a trusted peer sends no header', () => {
    expect(behindProxies('127.0.0.1', undefined)).toBe('127.0.0.1');
  });

  it('takes the address a trusted proxy appended', () => {
    expect(behindProxies('127.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(behindProxies('10.1.2.3', ' 198.51.100.1 ')).toBe('198.51.100.1');
  });

  it('walks from the right past every trusted hop to the first untrusted one', () => {
    expect(behindProxies('127.0.0.1', '198.51.100.1, 10.0.0.5, 10.9.9.9')).toBe('198.51.100.1');
    // Only trusted hops: the request started inside the trusted network, at the leftmost.
    expect(behindProxies('127.0.0.1', '10.0.0.5, 10.9.9.9')).toBe('10.0.0.5');
  });

  it('ignores whatever the client prepended (spoofing)', () => {
    expect(behindProxies('127.0.0.1', '1.1.1.1, 10.0.0.1, 198.51.100.1')).toBe('198.51.100.1');
    expect(behindProxies('127.0.0.1', '10.0.0.1, 198.51.100.1, 10.0.0.2')).toBe('198.51.100.1');
  });

  it('joins repeated headers in order', () => {
    expect(behindProxies('127.0.0.1', ['1.1.1.1', '198.51.100.1, 10.0.0.2'])).toBe('198.51.100.1');
  });

  it('handles IPv6 peers and entries', () => {
    expect(behindProxies('::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(behindProxies('fd12:3456::1', '2001:db8::7, fd00::2')).toBe('2001:db8::7');
    expect(behindProxies('2001:db8::9', '198.51.100.1')).toBe('2001:db8::9');
  });

  it('matches IPv4-mapped IPv6 addresses against IPv4 ranges, and reports them as IPv4', () => {
    expect(behindProxies('::ffff:127.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(behindProxies('::ffff:127.0.0.1', '::ffff:198.51.100.1, ::ffff:10.0.0.3')).toBe(
      '198.51.100.1',
    );
    expect(behindProxies('::FFFF:203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(clientAddressResolver([])('::ffff:203.0.113.7', undefined)).toBe('203.0.113.7');
  });

  it('stops at the last trusted hop on a malformed entry', () => {
    expect(behindProxies('127.0.0.1', 'garbage')).toBe('127.0.0.1');
    expect(behindProxies('127.0.0.1', '198.51.100.1, unknown, 10.0.0.4')).toBe('10.0.0.4');
    expect(behindProxies('127.0.0.1', '198.51.100.1:5000')).toBe('127.0.0.1');
    expect(behindProxies('127.0.0.1', '[2001:db8::7]')).toBe('127.0.0.1');
    expect(behindProxies('127.0.0.1', '198.51.100.1,,10.0.0.4')).toBe('10.0.0.4');
    expect(behindProxies('127.0.0.1', '')).toBe('127.0.0.1');
    // Left of an untrusted entry nothing is read, garbage or not.
    expect(behindProxies('127.0.0.1', 'garbage, 198.51.100.1')).toBe('198.51.100.1');
  });
});
