/** Which addresses and URLs the webhook SSRF guard refuses. */
import { describe, expect, it } from 'vitest';
import { addressRefusal, checkTargetUrl } from './ssrf';

describe('addressRefusal', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    '192.0.2.5',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    '64:ff9b::a00:1',
    '2002:7f00:1::',
    '2001:db8::1',
  ])('refuses %s', (ip) => {
    expect(addressRefusal(ip)).not.toBeNull();
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '93.184.216.34',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.169.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows %s', (ip) => {
    expect(addressRefusal(ip)).toBeNull();
  });

  it('refuses what is not an address', () => {
    expect(addressRefusal('localhost')).not.toBeNull();
    expect(addressRefusal('')).not.toBeNull();
  });
});

describe('checkTargetUrl', () => {
  it('accepts http and https URLs with hostnames or public literals', () => {
    expect(checkTargetUrl('https://hooks.example.com/x?y=1', false).ok).toBe(true);
    expect(checkTargetUrl('http://8.8.8.8:8080/', false).ok).toBe(true);
    expect(checkTargetUrl('http://[2606:4700:4700::1111]/', false).ok).toBe(true);
    // Hostnames are checked after resolution, at delivery.
    expect(checkTargetUrl('http://localhost:9/', false).ok).toBe(true);
  });

  it.each([
    ['ftp://example.com/', 'bad-request'],
    ['file:///etc/passwd', 'bad-request'],
    ['not a url', 'bad-request'],
    ['https://user:pw@example.com/', 'bad-request'],
    ['https://user@example.com/', 'bad-request'],
    [`https://example.com/${'a'.repeat(2100)}`, 'bad-request'],
    ['http://127.0.0.1:9/hook', 'target-not-allowed'],
    ['http://[::1]/', 'target-not-allowed'],
    ['http://[::ffff:127.0.0.1]/', 'target-not-allowed'],
    // WHATWG URL parsing normalises odd IPv4 forms to dotted quads first.
    ['http://2130706433/', 'target-not-allowed'],
    ['http://0x7f.1/', 'target-not-allowed'],
    ['http://0/', 'target-not-allowed'],
    ['http://169.254.169.254/latest/meta-data', 'target-not-allowed'],
  ])('refuses %s (%s)', (url, code) => {
    const check = checkTargetUrl(url, false);
    expect(check.ok ? 'ok' : check.code).toBe(code);
  });

  it('allows private literals with allowPrivate, but never other schemes or credentials', () => {
    expect(checkTargetUrl('http://127.0.0.1:9/hook', true).ok).toBe(true);
    expect(checkTargetUrl('ftp://127.0.0.1/', true).ok).toBe(false);
    expect(checkTargetUrl('http://a:b@127.0.0.1/', true).ok).toBe(false);
  });
});
