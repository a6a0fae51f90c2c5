/**
 * Test support: an in-process relay with version history on port 0, optionally on a sqlite file
 * (DocStore and VersionStore share it, as in production), plus a small client for the HTTP API.
 */
import { join } from 'node:path';
import { type Config, defaultConfig } from '../config';
import { silentLogger } from '../log';
import { createRelay, type Relay } from '../relay';
import { createMemoryAuthorStore } from '../storage/authors-memory';
import { createMemoryLinkStore } from '../storage/links-memory';
import { createMemoryStore } from '../storage/memory';
import { openSqliteStore } from '../storage/sqlite';
import type { DocStore } from '../storage/store';
import { createMemoryWebhookStore } from '../webhooks/store-memory';
import type { Clock } from './auto-versioner';
import { createMemoryVersionStore } from './memory';
import type { RetentionPolicy } from './retention';
import type { ScheduleOptions } from './schedule';
import { VersionHistory } from './service';
import { openSqliteVersionStore } from './sqlite';
import type { VersionMeta, VersionStore } from './version-store';

export interface HistoryRelay {
  readonly relay: Relay;
  readonly history: VersionHistory;
  readonly url: string;
  readonly httpUrl: string;
  readonly api: HistoryClient;
  /** Close the relay, then both stores. */
  close(): Promise<void>;
}

export async function startHistoryRelay(
  options: {
    /** Directory for a sqlite file `coedit.db`; memory stores when absent. */
    dir?: string;
    schedule?: ScheduleOptions;
    retention?: RetentionPolicy;
    clock?: Clock;
    unloadGraceMs?: number;
    config?: Partial<Config>;
    /** Client-id bindings and the authorship routes (in memory). */
    authors?: boolean;
    /** Webhooks and their routes (in memory). */
    webhooks?: boolean;
  } = {},
): Promise<HistoryRelay> {
  let store: DocStore;
  let versions: VersionStore;
  if (options.dir) {
    const path = join(options.dir, 'coedit.db');
    store = openSqliteStore(path);
    versions = openSqliteVersionStore(path);
  } else {
    store = createMemoryStore();
    versions = createMemoryVersionStore();
  }
  const logger = silentLogger();
  const history = new VersionHistory({
    store: versions,
    logger,
    ...(options.schedule ? { schedule: options.schedule } : {}),
    ...(options.retention ? { retention: options.retention } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const config = defaultConfig({
    port: 0,
    unloadGraceMs: options.unloadGraceMs ?? 50,
    ...options.config,
  });
  const links = config.secret === undefined ? undefined : createMemoryLinkStore();
  const authors = options.authors ? createMemoryAuthorStore() : undefined;
  const webhooks = options.webhooks ? createMemoryWebhookStore() : undefined;
  const relay = createRelay(config, {
    store,
    logger,
    history,
    ...(links ? { links } : {}),
    ...(authors ? { authors } : {}),
    ...(webhooks ? { webhooks } : {}),
  });
  const { port } = await relay.listen();
  const httpUrl = `http://127.0.0.1:${port}`;
  return {
    relay,
    history,
    url: `ws://127.0.0.1:${port}`,
    httpUrl,
    api: new HistoryClient(httpUrl),
    async close() {
      await relay.close();
      await versions.close();
      await store.close();
      await links?.close();
      await webhooks?.close();
    },
  };
}

/** The HTTP API as tests call it: plain fetch, JSON in and out. */
export class HistoryClient {
  constructor(private readonly base: string) {}

  async list(room: string): Promise<VersionMeta[]> {
    const res = await this.fetch(`/rooms/${room}/versions`);
    return ((await res.json()) as { versions: VersionMeta[] }).versions;
  }

  async text(room: string, id: string): Promise<string> {
    const res = await this.fetch(`/rooms/${room}/versions/${id}`);
    return ((await res.json()) as { text: string }).text;
  }

  async save(room: string, name: string, author?: string): Promise<VersionMeta> {
    const res = await this.fetch(`/rooms/${room}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, author }),
    });
    return ((await res.json()) as { version: VersionMeta }).version;
  }

  /** fetch that throws on a non-2xx status (with the response body in the message). */
  async fetch(path: string, init?: RequestInit): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, init);
    if (!res.ok)
      throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res;
  }
}
