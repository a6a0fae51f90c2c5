/**
 * Test harness: real relays on port 0 and real y-websocket clients (WebsocketProvider over the
 * `ws` package), plus `waitFor` to wait for a condition instead of sleeping.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DOC_TEXT } from '../../lib/doc-schema';
import { type Config, defaultConfig } from '../config';
import { type Logger, silentLogger } from '../log';
import { createRelay, type Relay } from '../relay';
import type { AuthorStore } from '../storage/authors';
import { createMemoryAuthorStore } from '../storage/authors-memory';
import { createMemoryStore } from '../storage/memory';
import type { DocStore } from '../storage/store';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Resolve once `predicate` holds; reject with `what` after `timeoutMs`. Polls every millisecond. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

export interface TestRelay {
  readonly relay: Relay;
  readonly store: DocStore;
  readonly port: number;
  /** `ws://127.0.0.1:PORT` (a room name is appended by clients). */
  readonly url: string;
  readonly httpUrl: string;
  close(): Promise<void>;
}

/**
 * Start an in-process relay on a free port; memory stores unless given. Client-id bindings are
 * on (as in production) unless `authors` is null.
 */
export async function startRelay(
  options: {
    store?: DocStore;
    authors?: AuthorStore | null;
    config?: Partial<Config>;
    logger?: Logger;
  } = {},
): Promise<TestRelay> {
  const store = options.store ?? createMemoryStore();
  const authors =
    options.authors === null ? undefined : (options.authors ?? createMemoryAuthorStore());
  const config = defaultConfig({ port: 0, unloadGraceMs: 50, ...options.config });
  const relay = createRelay(config, {
    store,
    logger: options.logger ?? silentLogger(),
    ...(authors ? { authors } : {}),
  });
  const { port } = await relay.listen();
  return {
    relay,
    store,
    port,
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    close: () => relay.close(),
  };
}

export interface TestClient {
  readonly doc: Y.Doc;
  readonly text: Y.Text;
  readonly provider: WebsocketProvider;
  /** Wait until the provider finished its sync handshake. */
  synced(timeoutMs?: number): Promise<void>;
  /** Drop the TCP connection without a goodbye (no awareness removal from the client). */
  kill(): void;
  destroy(): void;
}

/**
 * A real y-websocket client for `room`; `ack` opts into Acks, `token` is sent as `?token=`,
 * `clientKey` as `?clientKey=` (the app's proof that its client ids are its own).
 */
export function connectClient(
  url: string,
  room: string,
  options: { ack?: boolean; doc?: Y.Doc; token?: string | null; clientKey?: string } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const params: Record<string, string> = {};
  if (options.ack) params.ack = '1';
  if (options.token) params.token = options.token;
  if (options.clientKey) params.clientKey = options.clientKey;
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
    params,
  });
  return {
    doc,
    text: doc.getText(DOC_TEXT),
    provider,
    synced: (timeoutMs = 10_000) => waitFor(() => provider.synced, timeoutMs, `sync of ${room}`),
    kill() {
      provider.shouldConnect = false;
      (provider.ws as unknown as WebSocket | null)?.terminate();
    },
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** A temp directory removed by the returned cleanup. */
export function tempDir(prefix = 'coedit-test-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export interface RelayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** stderr collected so far (pino JSON lines), for failure messages. */
  stderr(): string;
}

/**
 * Spawn `node ENTRY ARGS` and wait for its listening line. ENTRY is the sources through tsx by
 * default (`npm run relay:dev`); the bundle `npm run relay` runs is `[...RELAY_NODE_ARGS, bundle]`.
 */
export async function spawnRelay(
  args: readonly string[],
  timeoutMs = 20_000,
  entry: readonly string[] = ['--import', 'tsx', 'server/main.ts'],
): Promise<RelayProcess> {
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | string>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown'));
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    lines.on('line', (line) => {
      const match = /^relay listening on (ws:\/\/\S+)$/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited (${code}) before listening:\n${stderr}`));
    });
  });
  return { child, url, port: Number(new URL(url).port), exited, stderr: () => stderr };
}

export interface RawSocket {
  readonly ws: WebSocket;
  /** Binary frames received so far. */
  readonly frames: Uint8Array[];
  /** Resolves once open. */
  readonly opened: Promise<void>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the HTTP status if the upgrade was refused. */
  readonly refused: Promise<number>;
}

/** A bare `ws` socket to `url/path`, for speaking (or breaking) the protocol by hand. */
export function rawSocket(
  url: string,
  path: string,
  options: { autoPong?: boolean; origin?: string; headers?: Record<string, string> } = {},
): RawSocket {
  const ws = new WebSocket(`${url}/${path}`, {
    autoPong: options.autoPong ?? true,
    ...(options.origin ? { origin: options.origin } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const frames: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  ws.on('error', () => {});
  const opened = new Promise<void>((resolveOpen) => ws.once('open', () => resolveOpen()));
  const closed = new Promise<{ code: number; reason: string }>((resolveClose) => {
    ws.once('close', (code, reason) => resolveClose({ code, reason: reason.toString() }));
  });
  const refused = new Promise<number>((resolveRefused) => {
    ws.once('unexpected-response', (_req, res) => {
      resolveRefused(res.statusCode ?? 0);
      ws.terminate();
    });
  });
  return { ws, frames, opened, closed, refused };
}

/** A pino logger that keeps its JSON lines in memory, for asserting on log output. */
export function captureLogger(level: 'debug' | 'info' | 'warn' = 'warn'): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
} {
  const chunks: string[] = [];
  const logger = pino({ level }, { write: (chunk: string) => void chunks.push(chunk) });
  return {
    logger,
    lines: () => chunks.flatMap((c) => c.trim().split('\n')).map((l) => JSON.parse(l)),
  };
}
