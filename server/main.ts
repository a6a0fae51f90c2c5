/**
 * Composition root of the relay process: config → store → relay.listen, and signals →
 * graceful close. stdout carries exactly one line, `relay listening on ws://HOST:PORT`; logs
 * go to stderr. Exit codes: 0 clean shutdown, 1 runtime failure, 2 invalid configuration.
 */
import type { Cluster } from './cluster/cluster';
import { type Config, ConfigError, helpText, parseConfig } from './config';
import { HistoryOptionError, openHistory } from './history/open-history';
import type { VersionHistory } from './history/service';
import { createLogger, type Logger } from './log';
import { createRelay, type Relay } from './relay';
import type { AuthorStore } from './storage/authors';
import type { ImageStore } from './storage/images';
import { openAuthorStore } from './storage/open-authors';
import { openImageStore } from './storage/open-images';
import { openLinkStore } from './storage/open-links';
import { openStore } from './storage/open-store';
import type { DocStore } from './storage/store';
import { openWebhookStore } from './webhooks/open-store';
import type { WebhookStore } from './webhooks/store';

/** Shutdown must finish within this; past it the process exits non-zero anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/** The same signal again within this is one request delivered twice, not a second request. */
const REPEATED_SIGNAL_MS = 1000;

function readConfig(): Config {
  try {
    const result = parseConfig(process.argv.slice(2), process.env);
    if (result.kind === 'help') {
      process.stdout.write(helpText());
      process.exit(0);
    }
    return result.config;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`relay: invalid configuration: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

function formatUrl(host: string, port: number): string {
  return host.includes(':') ? `ws://[${host}]:${port}` : `ws://${host}:${port}`;
}

function handleSignals(
  relay: Relay,
  cluster: Cluster | undefined,
  stores: readonly { close(): Promise<void> }[],
  logger: Logger,
): void {
  let first: { signal: NodeJS.Signals; at: number } | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (first) {
      // Ctrl-C under `npm run relay` arrives twice: from the terminal and forwarded by npm.
      if (signal === first.signal && performance.now() - first.at < REPEATED_SIGNAL_MS) return;
      logger.warn({ signal }, 'second signal; exiting without waiting');
      process.exit(1);
    }
    first = { signal, at: performance.now() };
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    relay
      .close()
      .then(() => cluster?.close())
      .then(() => Promise.all(stores.map((s) => s.close())))
      .then(
        () => {
          logger.info('shutdown complete');
          process.exit(0);
        },
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Without Redis the relay is alone: no cluster at all, not even a local one. */
async function connectCluster(config: Config, logger: Logger): Promise<Cluster | undefined> {
  if (!config.redisUrl) return undefined;
  // Loaded on demand: ioredis alone is ~9 MB of RSS in every relay that has no Redis.
  const { connectRedisCluster } = await import('./cluster/redis');
  return connectRedisCluster({
    url: config.redisUrl,
    prefix: config.redisPrefix,
    withhold: config.redisWithhold,
    logger,
  });
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  let store: DocStore;
  try {
    store = await openStore(config.storage, (err) =>
      logger.warn(
        { err },
        'background storage error (idle connection, WAL checkpoint or journal fold)',
      ),
    );
  } catch (err) {
    logger.fatal({ err, storage: config.storage.kind }, 'cannot open storage');
    process.exit(1);
  }
  const cluster = await connectCluster(config, logger);
  const sharedStore = cluster !== undefined && config.storage.kind === 'postgres';
  let history: VersionHistory;
  try {
    history = await openHistory(config.storage, process.env, logger);
  } catch (err) {
    if (err instanceof HistoryOptionError) {
      process.stderr.write(`relay: invalid configuration: ${err.message}\n`);
      process.exit(2);
    }
    logger.fatal({ err }, 'cannot open version history');
    process.exit(1);
  }
  // Revocations live beside the documents. Every write is committed before it resolves, so the
  // store needs no flush at shutdown; the process exit releases it.
  const links = config.secret ? await openLinkStore(config.storage) : undefined;
  let images: ImageStore;
  try {
    // Created at start (tables included) so a storage problem shows now, not at the first paste.
    images = await openImageStore(config.storage, (err) =>
      logger.warn({ err }, 'background image storage error (idle connection)'),
    );
  } catch (err) {
    logger.fatal({ err, storage: config.storage.kind }, 'cannot open image storage');
    process.exit(1);
  }
  let authors: AuthorStore;
  try {
    // Client-id bindings live beside the documents; every write commits before it resolves.
    authors = await openAuthorStore(config.storage, (err) =>
      logger.warn({ err }, 'background author storage error (idle connection)'),
    );
  } catch (err) {
    logger.fatal({ err, storage: config.storage.kind }, 'cannot open author storage');
    process.exit(1);
  }
  let webhooks: WebhookStore;
  try {
    // Webhooks and their delivery queue live beside the documents and survive restarts.
    webhooks = await openWebhookStore(config.storage, (err) =>
      logger.warn({ err }, 'background webhook storage error (idle connection)'),
    );
  } catch (err) {
    logger.fatal({ err, storage: config.storage.kind }, 'cannot open webhook storage');
    process.exit(1);
  }
  const relay = createRelay(config, {
    store,
    authors,
    logger,
    cluster,
    sharedStore,
    history,
    links,
    images,
    webhooks,
  });
  handleSignals(relay, cluster, [store, history, images, authors, webhooks], logger);
  try {
    const { host, port } = await relay.listen();
    logger.info({ host, port, storage: config.storage.kind }, 'relay ready');
    process.stdout.write(`relay listening on ${formatUrl(host, port)}\n`);
  } catch (err) {
    logger.fatal({ err }, 'cannot listen');
    process.exit(1);
  }
}

void main();
