/**
 * Relay configuration: command-line flags override environment variables, which override
 * defaults. `parseConfig` is pure (argv and env are passed in) and returns a frozen Config, or
 * throws ConfigError naming the offending setting so the process can fail fast (exit 2).
 */
import { parseTrustedRanges } from './guard/client-address';

export type StorageSpec =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'memory' }
  | { readonly kind: 'postgres'; readonly url: string };

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface Config {
  readonly host: string;
  /** 0 = let the OS pick a free port. */
  readonly port: number;
  readonly storage: StorageSpec;
  /** Redis URL for multi-instance fan-out; undefined = single instance. */
  readonly redisUrl: string | undefined;
  /** Namespace of this deployment's Redis channels. */
  readonly redisPrefix: string;
  /** Rooms Redis reports no other instance subscribed to publish nothing (cluster/audience.ts). */
  readonly redisWithhold: boolean;
  /** Share-token signing key; unset = open relay (anyone may edit any room). */
  readonly secret: string | undefined;
  /** Origins allowed to open sockets; empty = any origin. */
  readonly allowedOrigins: readonly string[];
  /** Proxies (addresses/CIDR ranges) whose X-Forwarded-For names the client; empty = none. */
  readonly trustProxy: readonly string[];
  /** Largest accepted frame; bigger frames close the socket with 1009. */
  readonly maxMessageBytes: number;
  /** A socket whose unsent data exceeds this is a slow consumer and is closed with 1013. */
  readonly maxBufferedBytes: number;
  /** Open sockets per remote address (upgrades beyond get 4529); 0 = unlimited. */
  readonly maxConnectionsPerIp: number;
  /** Loaded rooms; a connection that would load one more gets 1013. 0 = unlimited. */
  readonly maxRooms: number;
  /** Encoded size a document may reach; a write past it gets 4413. 0 = unlimited. */
  readonly maxDocBytes: number;
  /** A socket that has not sent sync step 1 after this long is closed (4508). 0 = never. */
  readonly handshakeTimeoutMs: number;
  /** Average frames per second per socket (10 s of it may burst); beyond: throttled. 0 = off. */
  readonly maxMessagesPerSecond: number;
  /** Average bytes per second per socket (10 s of it may burst); beyond: throttled. 0 = off. */
  readonly maxBytesPerSecond: number;
  /** A socket throttled this long in a row is closed with 4529 (retryable). 0 = never. */
  readonly throttleCloseAfterMs: number;
  readonly logLevel: LogLevel;
  /** How long an empty room stays loaded before it is flushed and unloaded. */
  readonly unloadGraceMs: number;
  /** Compact a room's log once this many updates were appended since the last snapshot. */
  readonly compactAfterUpdates: number;
  /** ... or once this many bytes were appended since the last snapshot. */
  readonly compactAfterBytes: number;
  /** Ping every socket this often; a socket that missed the previous pong is terminated. */
  readonly pingIntervalMs: number;
  /** Largest accepted image upload; a bigger body is refused with 413 without being kept. */
  readonly imageMaxBytes: number;
  /** Image bytes one client address may upload per hour (0 = unlimited); beyond: 429. */
  readonly imageUploadBudget: number;
  /** Webhooks may target loopback, private, link-local… addresses (webhooks/ssrf.ts). */
  readonly webhookAllowPrivate: boolean;
  /** document.updated is sent once a document had no edit for this long. */
  readonly webhookDebounceMs: number;
  /** A document edited without pause is reported at least this often (1–2×); 0 = never. */
  readonly webhookMaxWaitMs: number;
  /** Deadline of one webhook request. */
  readonly webhookTimeoutMs: number;
  /** First retry delay of a failed delivery; doubled each time, at most 1 h, for 24 h. */
  readonly webhookRetryBaseMs: number;
  /** HTTP API requests per second per token (or address), 10 s of it may burst; beyond: 429. 0 = off. */
  readonly apiRequestsPerSecond: number;
}

/** An invalid setting; `setting` names it the way the user wrote it (flag and env var). */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type ParseResult =
  | { readonly kind: 'config'; readonly config: Config }
  | { readonly kind: 'help' };

type Key = keyof Config;

interface Setting {
  readonly key: Key;
  readonly flag: string;
  readonly env?: string;
  readonly value: string;
  readonly help: string;
  readonly default: string | undefined;
  /** The value of the flag given alone (`--flag`, no value): a switch. */
  readonly bare?: string;
  readonly parse: (raw: string, name: string) => Config[Key];
}

const MiB = 1024 * 1024;
const MAX_IMAGE_LIMIT = 256 * MiB;
const MAX_IMAGE_LIMIT_TEXT = '256MiB';
const LOG_LEVELS: readonly LogLevel[] = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
];
const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: MiB, g: 1024 * MiB };

function parseInteger(raw: string, name: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${raw}`);
  }
  return value;
}

/** Bytes: a whole number with an optional binary suffix (k/KiB, m/MiB, g/GiB). */
function parseBytes(raw: string, name: string): number {
  const match = /^(\d+)\s*([kmg]?)(?:i?b)?$/i.exec(raw.trim());
  if (!match?.[1]) throw new ConfigError(name, `expected a size like 8MiB or 65536, got "${raw}"`);
  const value = Number(match[1]) * (SIZE_UNITS[(match[2] ?? '').toLowerCase()] ?? 1);
  if (value < 1 || !Number.isSafeInteger(value)) {
    throw new ConfigError(name, `must be a positive size, got "${raw}"`);
  }
  return value;
}

/** A size, or 0 to turn a limit off. */
function parseBytesOrOff(raw: string, name: string): number {
  return raw.trim() === '0' ? 0 : parseBytes(raw, name);
}

export function parseStorage(raw: string, name: string): StorageSpec {
  if (raw === 'memory') return { kind: 'memory' };
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length);
    if (path === '')
      throw new ConfigError(name, 'sqlite needs a file path, e.g. sqlite:./data/coedit.db');
    return { kind: 'sqlite', path };
  }
  if (raw.startsWith('postgres://') || raw.startsWith('postgresql://')) {
    return { kind: 'postgres', url: raw };
  }
  throw new ConfigError(name, `expected sqlite:PATH, memory or postgres://…, got "${raw}"`);
}

const SETTINGS: readonly Setting[] = [
  {
    key: 'host',
    flag: 'host',
    env: 'RELAY_HOST',
    value: 'HOST',
    default: '127.0.0.1',
    help: 'Interface to listen on',
    parse: (raw, name) => {
      if (raw.trim() === '') throw new ConfigError(name, 'must not be empty');
      return raw;
    },
  },
  {
    key: 'port',
    flag: 'port',
    env: 'RELAY_PORT',
    value: 'PORT',
    default: '1234',
    help: 'TCP port (0 = pick a free port)',
    parse: (raw, name) => parseInteger(raw, name, 0, 65535),
  },
  {
    key: 'storage',
    flag: 'storage',
    env: 'RELAY_STORAGE',
    value: 'SPEC',
    default: 'sqlite:./data/coedit.db',
    help: 'sqlite:PATH | memory | postgres://…',
    parse: parseStorage,
  },
  {
    key: 'redisUrl',
    flag: 'redis',
    env: 'REDIS_URL',
    value: 'URL',
    default: undefined,
    help: 'Redis URL: fan out to other relay instances (unset = single instance)',
    parse: (raw, name) => {
      if (!/^rediss?:\/\/\S+$/.test(raw)) {
        throw new ConfigError(name, `expected redis://… or rediss://…, got "${raw}"`);
      }
      return raw;
    },
  },
  {
    key: 'redisPrefix',
    flag: 'redis-prefix',
    env: 'REDIS_PREFIX',
    value: 'NAME',
    default: 'coedit',
    help: 'Namespace of the Redis channels (one per deployment)',
    parse: (raw, name) => {
      if (!/^[\w.:-]{1,64}$/.test(raw)) {
        throw new ConfigError(name, `expected 1-64 letters, digits or _.:-, got "${raw}"`);
      }
      return raw;
    },
  },
  {
    key: 'redisWithhold',
    flag: 'redis-withhold',
    env: 'REDIS_WITHHOLD',
    value: 'on|off',
    default: 'on',
    help: "Don't publish rooms no other instance holds (off if PUBLISH's count misses instances: Redis Cluster)",
    parse: (raw, name) => {
      if (raw === 'on') return true;
      if (raw === 'off') return false;
      throw new ConfigError(name, `expected on or off, got "${raw}"`);
    },
  },
  {
    key: 'secret',
    flag: 'secret',
    env: 'COEDIT_SECRET',
    value: 'KEY',
    default: undefined,
    help: 'Share-token signing key; unset = open relay (anyone edits any room)',
    parse: (raw) => raw,
  },
  {
    key: 'allowedOrigins',
    flag: 'allowed-origins',
    env: 'RELAY_ALLOWED_ORIGINS',
    value: 'LIST',
    default: '',
    help: 'Comma-separated allowed Origin headers (empty = any)',
    parse: (raw) =>
      Object.freeze(
        raw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      ),
  },
  {
    key: 'trustProxy',
    flag: 'trust-proxy',
    env: 'RELAY_TRUST_PROXY',
    value: 'CIDRS',
    default: '',
    help: 'Comma-separated proxy addresses/ranges whose X-Forwarded-For is believed (empty = none)',
    parse: (raw, name) => {
      try {
        return parseTrustedRanges(raw);
      } catch (err) {
        throw new ConfigError(name, (err as Error).message);
      }
    },
  },
  {
    key: 'maxMessageBytes',
    flag: 'max-message-bytes',
    env: 'RELAY_MAX_MESSAGE_BYTES',
    value: 'SIZE',
    default: '8MiB',
    help: 'Largest accepted frame (bigger closes with 1009)',
    parse: parseBytes,
  },
  {
    key: 'maxBufferedBytes',
    flag: 'max-buffered-bytes',
    env: 'RELAY_MAX_BUFFERED_BYTES',
    value: 'SIZE',
    default: '16MiB',
    help: 'Unsent bytes per socket before it is closed with 1013',
    parse: parseBytes,
  },
  {
    key: 'maxConnectionsPerIp',
    flag: 'max-connections-per-ip',
    env: 'RELAY_MAX_CONNECTIONS_PER_IP',
    value: 'N',
    default: '4096',
    help: 'Open sockets per client address, 0 = unlimited (beyond: 4529)',
    parse: (raw, name) => parseInteger(raw, name, 0, 10_000_000),
  },
  {
    key: 'maxRooms',
    flag: 'max-rooms',
    env: 'RELAY_MAX_ROOMS',
    value: 'N',
    default: '10000',
    help: 'Loaded rooms, 0 = unlimited (beyond: 1013)',
    parse: (raw, name) => parseInteger(raw, name, 0, 10_000_000),
  },
  {
    key: 'maxDocBytes',
    flag: 'max-doc-bytes',
    env: 'RELAY_MAX_DOC_BYTES',
    value: 'SIZE',
    default: '64MiB',
    help: 'Largest document, 0 = unlimited (writes beyond: 4413)',
    parse: parseBytesOrOff,
  },
  {
    key: 'handshakeTimeoutMs',
    flag: 'handshake-timeout-ms',
    env: 'RELAY_HANDSHAKE_TIMEOUT_MS',
    value: 'MS',
    default: '10000',
    help: 'Close sockets that send no sync step 1 in time, 0 = never (4508)',
    parse: (raw, name) => parseInteger(raw, name, 0, 3600 * 1000),
  },
  {
    key: 'maxMessagesPerSecond',
    flag: 'max-messages-per-second',
    env: 'RELAY_MAX_MESSAGES_PER_SECOND',
    value: 'N',
    default: '10000',
    help: 'Frames/s per socket, 10 s burst, 0 = off (beyond: the socket is throttled)',
    parse: (raw, name) => parseInteger(raw, name, 0, 10_000_000),
  },
  {
    key: 'maxBytesPerSecond',
    flag: 'max-bytes-per-second',
    env: 'RELAY_MAX_BYTES_PER_SECOND',
    value: 'SIZE',
    default: '1MiB',
    help: 'Bytes/s per socket, 10 s burst (at least 2 max messages), 0 = off (throttled)',
    parse: parseBytesOrOff,
  },
  {
    key: 'throttleCloseAfterMs',
    flag: 'throttle-close-after-ms',
    env: 'RELAY_THROTTLE_CLOSE_AFTER_MS',
    value: 'MS',
    default: '60000',
    help: 'Close a socket throttled this long in a row with 4529 (retryable), 0 = never',
    parse: (raw, name) => parseInteger(raw, name, 0, 24 * 3600 * 1000),
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'LOG_LEVEL',
    value: 'LEVEL',
    default: 'info',
    help: LOG_LEVELS.join(' | '),
    parse: (raw, name) => {
      const level = raw.toLowerCase() as LogLevel;
      if (!LOG_LEVELS.includes(level)) {
        throw new ConfigError(name, `expected one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
      }
      return level;
    },
  },
  {
    key: 'unloadGraceMs',
    flag: 'unload-grace-ms',
    env: 'RELAY_UNLOAD_GRACE_MS',
    value: 'MS',
    default: '10000',
    help: 'Keep an empty room loaded this long before unloading it',
    parse: (raw, name) => parseInteger(raw, name, 0, 24 * 3600 * 1000),
  },
  {
    key: 'compactAfterUpdates',
    flag: 'compact-after-updates',
    env: 'RELAY_COMPACT_AFTER_UPDATES',
    value: 'N',
    default: '2000',
    help: 'Compact a room log after this many appended updates',
    parse: (raw, name) => parseInteger(raw, name, 1, Number.MAX_SAFE_INTEGER),
  },
  {
    key: 'compactAfterBytes',
    flag: 'compact-after-bytes',
    env: 'RELAY_COMPACT_AFTER_BYTES',
    value: 'SIZE',
    default: '4MiB',
    help: 'Compact a room log after this many appended bytes',
    parse: parseBytes,
  },
  {
    key: 'pingIntervalMs',
    flag: 'ping-interval-ms',
    env: 'RELAY_PING_INTERVAL_MS',
    value: 'MS',
    default: '30000',
    help: 'Ping interval; a socket missing one pong is terminated',
    parse: (raw, name) => parseInteger(raw, name, 10, 3600 * 1000),
  },
  {
    key: 'imageUploadBudget',
    flag: 'image-upload-budget',
    env: 'RELAY_IMAGE_UPLOAD_BUDGET',
    value: 'SIZE',
    default: '256MiB',
    help: 'Image bytes one client address may upload per hour, 0 = unlimited (beyond: 429)',
    parse: parseBytesOrOff,
  },
  {
    key: 'apiRequestsPerSecond',
    flag: 'api-requests-per-second',
    env: 'RELAY_API_REQUESTS_PER_SECOND',
    value: 'N',
    default: '20',
    help: 'HTTP API requests per second per token or address (10 s may burst), 0 = off (beyond: 429)',
    parse: (raw, name) => parseInteger(raw, name, 0, 1_000_000),
  },
  {
    key: 'imageMaxBytes',
    flag: 'image-max-bytes',
    env: 'RELAY_IMAGE_MAX_BYTES',
    value: 'SIZE',
    default: '10MiB',
    help: `Largest image upload, at most ${MAX_IMAGE_LIMIT_TEXT} (bigger: 413)`,
    parse: (raw, name) => {
      const value = parseBytes(raw, name);
      // An upload is held in memory while it is hashed and stored: keep that bounded.
      if (value > MAX_IMAGE_LIMIT) {
        throw new ConfigError(name, `must be at most ${MAX_IMAGE_LIMIT_TEXT}, got "${raw}"`);
      }
      return value;
    },
  },
  {
    key: 'webhookAllowPrivate',
    flag: 'webhook-allow-private',
    env: 'RELAY_WEBHOOK_ALLOW_PRIVATE',
    value: '',
    default: '0',
    bare: '1',
    help: 'Let webhooks target loopback, private and link-local addresses (else refused: SSRF)',
    parse: (raw, name) => {
      if (['1', 'true', 'on'].includes(raw)) return true;
      if (['0', 'false', 'off'].includes(raw)) return false;
      throw new ConfigError(name, `expected 1 or 0, got "${raw}"`);
    },
  },
  {
    key: 'webhookDebounceMs',
    flag: 'webhook-debounce-ms',
    env: 'RELAY_WEBHOOK_DEBOUNCE_MS',
    value: 'MS',
    default: '10000',
    help: 'Send document.updated once a document had no edit for this long',
    parse: (raw, name) => parseInteger(raw, name, 10, 24 * 3600 * 1000),
  },
  {
    key: 'webhookMaxWaitMs',
    flag: 'webhook-max-wait-ms',
    env: 'RELAY_WEBHOOK_MAX_WAIT_MS',
    value: 'MS',
    default: '60000',
    help: 'Send document.updated at least this often (1-2x) while edits never pause, 0 = never',
    parse: (raw, name) => {
      const value = parseInteger(raw, name, 0, 24 * 3600 * 1000);
      if (value > 0 && value < 1000)
        throw new ConfigError(name, `must be 0 or at least 1000, got ${raw}`);
      return value;
    },
  },
  {
    key: 'webhookTimeoutMs',
    flag: 'webhook-timeout-ms',
    env: 'RELAY_WEBHOOK_TIMEOUT_MS',
    value: 'MS',
    default: '10000',
    help: 'Deadline of one webhook request (then it is retried)',
    parse: (raw, name) => parseInteger(raw, name, 10, 300 * 1000),
  },
  {
    key: 'webhookRetryBaseMs',
    flag: 'webhook-retry-base-ms',
    env: 'RELAY_WEBHOOK_RETRY_BASE_MS',
    value: 'MS',
    default: '10000',
    help: 'First retry of a failed webhook delivery; doubles, at most 1 h, given up after 24 h',
    parse: (raw, name) => parseInteger(raw, name, 10, 3600 * 1000),
  },
];

/** The `--help` text: every flag, its env var and default. */
export function helpText(): string {
  const rows = SETTINGS.map((s) => {
    const left = `  --${s.flag} ${s.value}`.padEnd(30);
    const env = s.env ? ` [env ${s.env}]` : '';
    const def = s.default !== undefined && s.default !== '' ? ` (default ${s.default})` : '';
    return `${left}${s.help}${env}${def}`;
  });
  return [
    'Usage: npm run relay -- [options]',
    '',
    'Options:',
    ...rows,
    `${'  --help'.padEnd(30)}Show this help`,
    '',
  ].join('\n');
}

/** Parse argv (without node and script) and env into a frozen Config, or ask for help. */
export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParseResult {
  const fromFlags = new Map<Key, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (!arg.startsWith('--')) throw new ConfigError(arg, 'unexpected argument (see --help)');
    const eq = arg.indexOf('=');
    const flag = arg.slice(2, eq === -1 ? undefined : eq);
    const setting = SETTINGS.find((s) => s.flag === flag);
    if (!setting) throw new ConfigError(`--${flag}`, 'unknown option (see --help)');
    let raw: string | undefined;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else if (setting.bare !== undefined) raw = setting.bare;
    else {
      raw = argv[i + 1];
      i++;
    }
    if (raw === undefined) throw new ConfigError(`--${flag}`, 'missing value');
    fromFlags.set(setting.key, raw);
  }
  const values: Partial<Record<Key, Config[Key]>> = {};
  for (const setting of SETTINGS) {
    const flagValue = fromFlags.get(setting.key);
    const envValue = setting.env ? env[setting.env] : undefined;
    const fromEnv = flagValue === undefined && envValue !== undefined && envValue !== '';
    const name = fromEnv && setting.env ? setting.env : `--${setting.flag}`;
    const raw = flagValue ?? (fromEnv ? envValue : setting.default);
    values[setting.key] = raw === undefined ? undefined : setting.parse(raw, name);
  }
  return { kind: 'config', config: Object.freeze(values as Config) };
}

/** Defaults with overrides, for tests and embedding (no argv/env involved). */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  const result = parseConfig([], {});
  if (result.kind !== 'config') throw new Error('unreachable');
  return Object.freeze({ ...result.config, ...overrides });
}
