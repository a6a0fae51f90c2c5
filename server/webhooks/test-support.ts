/**
 * Test support for webhooks: an in-process relay with a webhook store (memory or a sqlite file
 * shared with its documents), version history and authorship, plus a real HTTP receiver on
 * 127.0.0.1 whose answer each test decides (status, or hang).
 */
import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Config, defaultConfig } from '../config';
import { createMemoryVersionStore } from '../history/memory';
import { VersionHistory } from '../history/service';
import { openSqliteVersionStore } from '../history/sqlite';
import type { VersionStore } from '../history/version-store';
import { silentLogger } from '../log';
import { createRelay, type Relay } from '../relay';
import type { AuthorStore } from '../storage/authors';
import { createMemoryAuthorStore } from '../storage/authors-memory';
import { openSqliteAuthorStore } from '../storage/authors-sqlite';
import { createMemoryLinkStore } from '../storage/links-memory';
import { createMemoryStore } from '../storage/memory';
import { openSqliteStore } from '../storage/sqlite';
import type { DocStore } from '../storage/store';
import type { WebhookConfig } from './relay-webhooks';
import type { WebhookStore } from './store';
import { createMemoryWebhookStore } from './store-memory';
import { openSqliteWebhookStore } from './store-sqlite';

/** Parsed JSON of the API and the bodies under test: the assertions check its shape. */
// biome-ignore lint/suspicious/noExplicitAny: tests read JSON whose shape they assert
export type Json = any;

/** Fast timings: tests run in seconds, not the production minutes. */
export const FAST: WebhookConfig = {
  webhookAllowPrivate: true,
  webhookDebounceMs: 300,
  webhookMaxWaitMs: 0,
  webhookTimeoutMs: 2_000,
  webhookRetryBaseMs: 50,
};

export interface WebhookRelay {
  readonly relay: Relay;
  readonly webhooks: WebhookStore;
  readonly url: string;
  readonly httpUrl: string;
  /** JSON request to the relay's API; resolves with status and parsed body (null if none). */
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Json }>;
  /** Close the relay, then every store. */
  close(): Promise<void>;
}

export async function startWebhookRelay(
  options: { dir?: string; config?: Partial<Config>; webhooks?: WebhookStore } = {},
): Promise<WebhookRelay> {
  let store: DocStore;
  let versions: VersionStore;
  let authors: AuthorStore;
  let webhooks: WebhookStore;
  if (options.dir) {
    const path = join(options.dir, 'coedit.db');
    store = openSqliteStore(path);
    versions = openSqliteVersionStore(path);
    authors = openSqliteAuthorStore(path);
    webhooks = options.webhooks ?? openSqliteWebhookStore(path);
  } else {
    store = createMemoryStore();
    versions = createMemoryVersionStore();
    authors = createMemoryAuthorStore();
    webhooks = options.webhooks ?? createMemoryWebhookStore();
  }
  const logger = silentLogger();
  const history = new VersionHistory({ store: versions, logger });
  const config = defaultConfig({ port: 0, unloadGraceMs: 50, ...FAST, ...options.config });
  const links = config.secret === undefined ? undefined : createMemoryLinkStore();
  const relay = createRelay(config, {
    store,
    logger,
    history,
    authors,
    webhooks,
    ...(links ? { links } : {}),
  });
  const { port } = await relay.listen();
  const httpUrl = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | null = null;
  return {
    relay,
    webhooks,
    url: `ws://127.0.0.1:${port}`,
    httpUrl,
    async api(method, path, body, headers = {}) {
      const res = await fetch(`${httpUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    close() {
      closing ??= (async () => {
        await relay.close();
        await Promise.all([versions.close(), authors.close(), webhooks.close(), links?.close()]);
        await store.close();
      })();
      return closing;
    },
  };
}

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

/** What the receiver answers the n-th request (0-based): a status, or never ('hang'). */
export type Answer = (n: number, request: Received) => number | 'hang';

export interface Receiver {
  readonly url: string;
  readonly port: number;
  /** Every request received so far, in order (hanging ones included). */
  readonly received: Received[];
  /** Requests answered with a 2xx. */
  readonly accepted: Received[];
  answer: Answer;
  close(): Promise<void>;
}

export async function startReceiver(answer: Answer = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const accepted: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const receiver: Receiver = {
    url: '',
    port: 0,
    received,
    accepted,
    answer,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      const n = received.length;
      received.push(request);
      const status = receiver.answer(n, request);
      if (status === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (status >= 200 && status < 300) accepted.push(request);
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, { url: `http://127.0.0.1:${port}/hook`, port });
}

/** The parsed bodies of `requests` whose event is `event`. */
export function bodiesOf(requests: readonly Received[], event?: string): Json[] {
  return requests.map((r) => JSON.parse(r.body)).filter((b) => !event || b.event === event);
}
