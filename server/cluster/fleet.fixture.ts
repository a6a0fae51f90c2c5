/**
 * Test fixtures for several relay instances: in-process relays wired to a Cluster, a fresh
 * PostgreSQL database per test file, fresh Redis prefixes, and convergence checks over
 * y-websocket clients.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { DOC_TEXT } from '../../lib/doc-schema';
import { type Config, defaultConfig } from '../config';
import { silentLogger } from '../log';
import { createRelay, type Relay } from '../relay';
import type { AuthorStore } from '../storage/authors';
import { openPostgresStore } from '../storage/postgres';
import type { DocStore } from '../storage/store';
import { rebuild } from '../storage/store.contract';
import { type TestClient, waitFor } from '../test/harness';
import { createTestDatabase, type TestDatabase } from '../test/postgres';
import type { WebhookStore } from '../webhooks/store';
import type { Cluster } from './cluster';

export const SHARED_REDIS_URL = process.env.COEDIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const freshPrefix = (): string => `coedit-test-${randomBytes(6).toString('hex')}`;

export interface Instance {
  readonly relay: Relay;
  readonly cluster: Cluster;
  readonly url: string;
  readonly httpUrl: string;
  /** Close the relay, then its cluster and store (in the order main.ts does). */
  close(): Promise<void>;
}

/** An in-process relay on a free port using `cluster` and `store` (closed with it). */
export async function startInstance(options: {
  cluster: Cluster;
  store: DocStore;
  sharedStore: boolean;
  /** Client-id bindings (closed with the instance); absent: none. */
  authors?: AuthorStore;
  /** Webhooks (closed by the caller: instances may share one); absent: none. */
  webhooks?: WebhookStore;
  config?: Partial<Config>;
}): Promise<Instance> {
  const { cluster, store, sharedStore, authors, webhooks } = options;
  const config = defaultConfig({ port: 0, unloadGraceMs: 50, ...options.config });
  const relay = createRelay(config, {
    store,
    logger: silentLogger(),
    cluster,
    sharedStore,
    ...(authors ? { authors } : {}),
    ...(webhooks ? { webhooks } : {}),
  });
  const { port } = await relay.listen();
  let closing: Promise<void> | null = null;
  return {
    relay,
    cluster,
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    close() {
      closing ??= relay
        .close()
        .then(() => cluster.close())
        .then(() => authors?.close())
        .then(() => store.close());
      return closing;
    },
  };
}

/** A fresh, empty PostgreSQL database created before this file's tests and dropped after them. */
export function databasePerFile(): { readonly url: string } {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  return {
    get url() {
      if (!db) throw new Error('the test database is created in beforeAll');
      return db.url;
    },
  };
}

/** The text of `room` as a relay starting now would load it from the database at `url`. */
export async function storedText(url: string, room: string): Promise<string> {
  const store = await openPostgresStore(url);
  try {
    return rebuild(await store.load(room))
      .getText(DOC_TEXT)
      .toString();
  } finally {
    await store.close();
  }
}

/** `<name:i>` tokens typed one by one at random positions, pausing between keystrokes. */
export async function typeTokens(
  client: TestClient,
  name: string,
  count: number,
  pauseMs = 0,
): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const token = `<${name}:${i}>`;
    // Only between tokens, so no token is split by another client's insert.
    const boundaries = [0, ...[...client.text.toString().matchAll(/>/g)].map((m) => m.index + 1)];
    const at = boundaries[Math.floor(Math.random() * boundaries.length)] ?? 0;
    client.text.insert(at, token);
    tokens.push(token);
    await new Promise((resolve) =>
      pauseMs ? setTimeout(resolve, pauseMs) : setImmediate(resolve),
    );
  }
  return tokens;
}

/** Wait until every client holds the same text containing every token. */
export async function converged(
  clients: readonly TestClient[],
  tokens: readonly string[],
  timeoutMs = 15_000,
): Promise<string> {
  const first = clients[0];
  if (!first) throw new Error('no clients');
  const check = () => {
    const text = first.text.toString();
    return (
      clients.every((c) => c.text.toString() === text) && tokens.every((t) => text.includes(t))
    );
  };
  await waitFor(check, timeoutMs, 'clients to converge').catch((err: Error) => {
    const texts = clients.map((c) => c.text.toString().slice(0, 300));
    const missing = tokens.filter((t) => !first.text.toString().includes(t)).slice(0, 10);
    throw new Error(`${err.message}\nmissing: ${missing}\ntexts: ${JSON.stringify(texts)}`);
  });
  return first.text.toString();
}

/** GET /healthz as JSON, with its HTTP status. */
export async function health(
  httpUrl: string,
): Promise<{ status: number; body: { status: string } }> {
  const res = await fetch(`${httpUrl}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string } };
}

/** The value of one sample of GET /metrics, e.g. `relay_cluster_status` or `name{type="x"}`. */
export async function metric(httpUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  if (!line) throw new Error(`no sample ${sample} in /metrics`);
  return Number(line.slice(sample.length + 1));
}
