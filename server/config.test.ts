import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, parseConfig } from './config';

function parse(argv: string[], env: Record<string, string> = {}) {
  const result = parseConfig(argv, env);
  if (result.kind !== 'config') throw new Error('expected a config');
  return result.config;
}

function errorOf(argv: string[], env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig(argv, env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    const config = parse([]);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 1234,
      storage: { kind: 'sqlite', path: './data/coedit.db' },
      redisUrl: undefined,
      redisWithhold: true,
      secret: undefined,
      allowedOrigins: [],
      maxMessageBytes: 8 * 1024 * 1024,
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads env and lets flags override it', () => {
    const env = {
      RELAY_PORT: '4000',
      RELAY_HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      RELAY_STORAGE: 'memory',
    };
    expect(parse([], env)).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      logLevel: 'debug',
      storage: { kind: 'memory' },
    });
    expect(parse(['--port', '5000', '--log-level=warn'], env)).toMatchObject({
      port: 5000,
      logLevel: 'warn',
    });
  });

  it('throttles rather than closes by default, and reads how long a streak may last', () => {
    expect(parse([])).toMatchObject({
      maxMessagesPerSecond: 10_000,
      maxBytesPerSecond: 1024 * 1024,
      throttleCloseAfterMs: 60_000,
    });
    expect(parse(['--throttle-close-after-ms', '0']).throttleCloseAfterMs).toBe(0);
    expect(parse([], { RELAY_THROTTLE_CLOSE_AFTER_MS: '5000' }).throttleCloseAfterMs).toBe(5000);
    expect(errorOf(['--throttle-close-after-ms', 'soon']).setting).toBe(
      '--throttle-close-after-ms',
    );
  });

  it('limits image uploads to 10 MiB by default, configurable up to 256 MiB', () => {
    expect(parse([]).imageMaxBytes).toBe(10 * 1024 * 1024);
    expect(parse(['--image-max-bytes', '64KiB']).imageMaxBytes).toBe(65536);
    expect(parse([], { RELAY_IMAGE_MAX_BYTES: '256MiB' }).imageMaxBytes).toBe(256 * 1024 * 1024);
    expect(helpText()).toContain('RELAY_IMAGE_MAX_BYTES');
  });

  it('gives each client address 256 MiB of image uploads an hour by default, 0 for no budget', () => {
    expect(parse([]).imageUploadBudget).toBe(256 * 1024 * 1024);
    expect(parse(['--image-upload-budget', '1GiB']).imageUploadBudget).toBe(1024 * 1024 * 1024);
    expect(parse([], { RELAY_IMAGE_UPLOAD_BUDGET: '0' }).imageUploadBudget).toBe(0);
    expect(helpText()).toContain('RELAY_IMAGE_UPLOAD_BUDGET');
  });

  it('sends webhooks after 10 s of quiet, retries from 10 s, refuses private targets by default', () => {
    expect(parse([])).toMatchObject({
      webhookAllowPrivate: false,
      webhookDebounceMs: 10_000,
      webhookMaxWaitMs: 60_000,
      webhookTimeoutMs: 10_000,
      webhookRetryBaseMs: 10_000,
    });
    // A switch: alone it means on, and it does not swallow the next flag.
    expect(parse(['--webhook-allow-private', '--port', '7'])).toMatchObject({
      webhookAllowPrivate: true,
      port: 7,
    });
    expect(parse(['--webhook-allow-private=0'])).toMatchObject({ webhookAllowPrivate: false });
    expect(parse([], { RELAY_WEBHOOK_ALLOW_PRIVATE: '1' })).toMatchObject({
      webhookAllowPrivate: true,
    });
    expect(
      parse(['--webhook-debounce-ms', '50', '--webhook-timeout-ms=200'], {
        RELAY_WEBHOOK_RETRY_BASE_MS: '100',
      }),
    ).toMatchObject({ webhookDebounceMs: 50, webhookTimeoutMs: 200, webhookRetryBaseMs: 100 });
    expect(errorOf([], { RELAY_WEBHOOK_ALLOW_PRIVATE: 'yes' }).setting).toBe(
      'RELAY_WEBHOOK_ALLOW_PRIVATE',
    );
    expect(errorOf(['--webhook-debounce-ms', '5'], {}).setting).toBe('--webhook-debounce-ms');
    expect(errorOf(['--webhook-timeout-ms', 'soon'], {}).setting).toBe('--webhook-timeout-ms');
    expect(parse(['--webhook-max-wait-ms', '0']).webhookMaxWaitMs).toBe(0);
    expect(errorOf(['--webhook-max-wait-ms', '50'], {}).setting).toBe('--webhook-max-wait-ms');
    expect(helpText()).toContain('--webhook-allow-private');
    expect(helpText()).toContain('RELAY_WEBHOOK_RETRY_BASE_MS');
  });

  it('treats an empty env var as unset', () => {
    expect(parse([], { RELAY_PORT: '' }).port).toBe(1234);
  });

  it('parses storage specs, sizes, origins and the remaining settings', () => {
    const config = parse([
      '--storage',
      'sqlite:/tmp/x.db',
      '--max-message-bytes',
      '64KiB',
      '--max-buffered-bytes',
      '2m',
      '--allowed-origins',
      'https://a.example, https://b.example',
      '--redis',
      'redis://localhost:6379',
      '--redis-withhold',
      'off',
      '--secret',
      's3cret',
      '--unload-grace-ms',
      '0',
      '--compact-after-updates',
      '10',
      '--compact-after-bytes',
      '1024',
      '--ping-interval-ms',
      '100',
      '--port',
      '0',
    ]);
    expect(config).toMatchObject({
      storage: { kind: 'sqlite', path: '/tmp/x.db' },
      maxMessageBytes: 65536,
      maxBufferedBytes: 2 * 1024 * 1024,
      allowedOrigins: ['https://a.example', 'https://b.example'],
      redisUrl: 'redis://localhost:6379',
      redisWithhold: false,
      secret: 's3cret',
      unloadGraceMs: 0,
      compactAfterUpdates: 10,
      compactAfterBytes: 1024,
      pingIntervalMs: 100,
      port: 0,
    });
    expect(parse(['--storage', 'postgres://u@h/db']).storage).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h/db',
    });
  });

  it('trusts no proxy by default; reads --trust-proxy as comma-separated IPv4/IPv6 ranges', () => {
    expect(parse([]).trustProxy).toEqual([]);
    const list = '127.0.0.1/32, 10.0.0.0/8,::1,fd00::/8';
    const expected = ['127.0.0.1/32', '10.0.0.0/8', '::1', 'fd00::/8'];
    expect(parse(['--trust-proxy', list]).trustProxy).toEqual(expected);
    expect(parse([], { RELAY_TRUST_PROXY: list }).trustProxy).toEqual(expected);
  });

  it.each([
    [['--port', 'abc'], {}, '--port'],
    [['--port', '70000'], {}, '--port'],
    [[], { RELAY_PORT: '-1' }, 'RELAY_PORT'],
    [['--storage', 'mysql://x'], {}, '--storage'],
    [['--storage', 'sqlite:'], {}, '--storage'],
    [[], { RELAY_MAX_MESSAGE_BYTES: 'lots' }, 'RELAY_MAX_MESSAGE_BYTES'],
    [['--max-message-bytes', '0'], {}, '--max-message-bytes'],
    [[], { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [[], { REDIS_WITHHOLD: 'maybe' }, 'REDIS_WITHHOLD'],
    [['--unload-grace-ms', '1.5'], {}, '--unload-grace-ms'],
    [['--trust-proxy', 'proxy.example'], {}, '--trust-proxy'],
    [['--trust-proxy', '10.0.0.0/33'], {}, '--trust-proxy'],
    [['--trust-proxy', '::1/129'], {}, '--trust-proxy'],
    [['--trust-proxy', '10.0.0.0/8,10.0.0.0/'], {}, '--trust-proxy'],
    [[], { RELAY_TRUST_PROXY: '10.0.0.0/8 ,300.1.1.1' }, 'RELAY_TRUST_PROXY'],
    [['--image-max-bytes', '0'], {}, '--image-max-bytes'],
    [['--image-max-bytes', 'big'], {}, '--image-max-bytes'],
    [['--image-upload-budget', 'lots'], {}, '--image-upload-budget'],
    [[], { RELAY_IMAGE_MAX_BYTES: '1GiB' }, 'RELAY_IMAGE_MAX_BYTES'],
    [['--bogus', '1'], {}, '--bogus'],
    [['--port'], {}, '--port'],
    [['stray'], {}, 'stray'],
  ])('rejects %j %j naming %s', (argv, env, setting) => {
    const err = errorOf(argv, env);
    expect(err.setting).toBe(setting);
    expect(err.message.startsWith(`${setting}: `)).toBe(true);
  });

  it('asks for help, and the help lists every flag with its env var', () => {
    expect(parseConfig(['--port', '1', '--help'], {})).toEqual({ kind: 'help' });
    const help = helpText();
    for (const flag of [
      '--host',
      '--port',
      '--storage',
      '--redis',
      '--secret',
      '--allowed-origins',
      '--trust-proxy',
      '--max-message-bytes',
      '--max-buffered-bytes',
      '--log-level',
      '--unload-grace-ms',
      '--compact-after-updates',
      '--compact-after-bytes',
      '--ping-interval-ms',
      '--help',
    ]) {
      expect(help).toContain(flag);
    }
    for (const env of [
      'RELAY_HOST',
      'RELAY_PORT',
      'RELAY_STORAGE',
      'REDIS_URL',
      'COEDIT_SECRET',
      'RELAY_TRUST_PROXY',
      'LOG_LEVEL',
    ]) {
      expect(help).toContain(env);
    }
  });
});
