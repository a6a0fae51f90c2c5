/**
 * The relay's interop promise under load: an unmodified y-websocket 3 `WebsocketProvider` (default
 * options, so it never reconnects after a close code in 4400–4499) is never stranded by the
 * relay's own limits. Over its rate a socket is throttled (no longer read, so TCP slows the sender
 * down); only sustained abuse is closed, with a code such a client retries.
 *
 * The relay runs as its own process from the production bundle, with its default limits. The
 * clients pass only what Node needs: `ws` as the WebSocket, and no BroadcastChannel (both clients
 * live in this process and would otherwise sync through it instead of through the relay).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode } from '../lib/close-codes';
import { DOC_TEXT } from '../lib/doc-schema';
import { ensureRelayBundle, RELAY_NODE_ARGS } from '../scripts/build-relay';
import { REPO_ROOT, type RelayProcess, spawnRelay, tempDir, waitFor } from './test/harness';
import { loadTrace, type Trace } from './test/traces';

let bundle: readonly string[];
let relay: RelayProcess | null = null;
/** The relay's data directory, removed once the relay has exited. */
let relayDir: { cleanup(): void } | null = null;
let trace: Trace;

beforeAll(async () => {
  bundle = [...RELAY_NODE_ARGS, await ensureRelayBundle(REPO_ROOT)];
  trace = loadTrace('automerge-paper');
}, 60_000);

afterEach(async () => {
  if (relay) {
    relay.child.kill('SIGTERM');
    await relay.exited;
  }
  relay = null;
  relayDir?.cleanup();
  relayDir = null;
});

/** A WebsocketProvider as any third-party program would open it, plus what happened to it. */
function standardClient(url: string, room: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const closeCodes: number[] = [];
  provider.on('connection-close', (event: CloseEvent | null) => {
    closeCodes.push(event?.code ?? 0);
  });
  return { doc, text: doc.getText(DOC_TEXT), provider, closeCodes };
}

type StandardClient = ReturnType<typeof standardClient>;

/** Apply `txns` one Yjs transaction each, yielding a macrotask every `every` of them. */
async function replay(client: StandardClient, txns: Trace['txns'], every = 1000): Promise<void> {
  const { doc, text } = client;
  for (let i = 0; i < txns.length; i++) {
    doc.transact(() => {
      for (const [pos, del, ins] of (txns[i] as Trace['txns'][number]).patches) {
        if (del > 0) text.delete(pos, del);
        if (ins) text.insert(pos, ins);
      }
    });
    if (i % every === every - 1) await new Promise((resolve) => setImmediate(resolve));
  }
}

function hasText(client: StandardClient, expected: string): boolean {
  return client.text.length === expected.length && client.text.toString() === expected;
}

async function metric(httpUrl: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

describe('an unmodified y-websocket client at machine speed', () => {
  it('replays automerge-paper against the default limits: throttled, never disconnected, and a second client converges within 30 s of the last keystroke', async () => {
    // The production default storage: every update goes through the SQLite append journal and
    // its background fold while the client writes at full speed.
    const dir = tempDir('coedit-standard-client-');
    relayDir = dir;
    relay = await spawnRelay(
      ['--port', '0', '--storage', `sqlite:${dir.path}/coedit.db`],
      20_000,
      bundle,
    );
    const httpUrl = relay.url.replace('ws:', 'http:');
    const sender = standardClient(relay.url, 'machine-speed');
    const receiver = standardClient(relay.url, 'machine-speed');
    await waitFor(() => sender.provider.synced && receiver.provider.synced, 10_000, 'both synced');

    const started = performance.now();
    await replay(sender, trace.txns);
    const lastKeystroke = performance.now();
    expect(sender.text.toString()).toBe(trace.endContent);
    await waitFor(() => hasText(receiver, trace.endContent), 30_000, 'receiver has endContent');
    const converged = performance.now();

    expect(sender.closeCodes).toEqual([]);
    expect(sender.provider.wsconnected).toBe(true);
    const throttles = await metric(httpUrl, /^relay_throttles_total (\d+)/m);
    const rateClosed = await metric(httpUrl, /relay_rejected_total\{reason="rate-limited"\} (\d+)/);
    expect(rateClosed).toBe(0);
    console.log(
      `machine speed: ${trace.txns.length} keystrokes replayed in ${Math.round(lastKeystroke - started)} ms; ` +
        `receiver converged ${Math.round(converged - lastKeystroke)} ms after the last; ${throttles} throttles`,
    );
    sender.provider.destroy();
    receiver.provider.destroy();
  }, 120_000);

  it('a flood past the sustained-abuse limit is closed with a code the client retries; it comes back and converges', async () => {
    relay = await spawnRelay(
      [
        '--port',
        '0',
        '--storage',
        'memory',
        '--max-messages-per-second',
        '200',
        '--throttle-close-after-ms',
        '1000',
      ],
      20_000,
      bundle,
    );
    const httpUrl = relay.url.replace('ws:', 'http:');
    const flooder = standardClient(relay.url, 'flood');
    const receiver = standardClient(relay.url, 'flood');
    await waitFor(() => flooder.provider.synced && receiver.provider.synced, 10_000, 'both synced');

    // 200 frames/s with a 2,000-frame burst: 20,000 keystrokes stay over budget for seconds.
    const flood = trace.txns.slice(0, 20_000);
    await replay(flooder, flood);
    const expected = flooder.text.toString();
    await waitFor(
      () => flooder.closeCodes.includes(CloseCode.RateLimited),
      30_000,
      'the flood is closed for sustained abuse',
    );
    await waitFor(() => hasText(receiver, expected), 30_000, 'receiver converges after reconnect');
    await waitFor(() => flooder.provider.wsconnected, 10_000, 'flooder reconnected');
    expect(flooder.closeCodes.every((code) => code === CloseCode.RateLimited)).toBe(true);
    expect(
      await metric(httpUrl, /relay_rejected_total\{reason="rate-limited"\} (\d+)/),
    ).toBeGreaterThanOrEqual(1);
    flooder.provider.destroy();
    receiver.provider.destroy();
  }, 120_000);

  it('a client whose own doc holds an update without its dependency is closed with a code it retries; it converges once the dependency arrives', async () => {
    relay = await spawnRelay(['--port', '0', '--storage', 'memory'], 20_000, bundle);
    // A writer's two updates, the second (over 64 KiB) anchored to the first.
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));
    writer.getText(DOC_TEXT).insert(0, 'first ');
    writer.getText(DOC_TEXT).insert(6, 'x'.repeat(70 * 1024));
    const [first, second] = updates as [Uint8Array, Uint8Array];
    const expected = writer.getText(DOC_TEXT).toString();

    // Only the second reached this client (a tab that got it from a peer first): Yjs keeps it
    // pending, and every sync step 2 the client sends carries it.
    const stranded = standardClient(relay.url, 'dangling');
    Y.applyUpdate(stranded.doc, second);
    await waitFor(
      () => stranded.closeCodes.includes(CloseCode.OutOfSync),
      20_000,
      'the dangling update is dropped with 4509',
    );
    const other = standardClient(relay.url, 'dangling');
    await waitFor(() => other.provider.synced, 10_000, 'the other client synced');
    Y.applyUpdate(other.doc, first);
    await waitFor(() => hasText(other, expected), 20_000, 'the other client gets the second');
    await waitFor(() => hasText(stranded, expected), 20_000, 'the stranded client converges');
    await waitFor(() => stranded.provider.wsconnected, 10_000, 'the stranded client reconnected');
    expect(stranded.closeCodes.every((code) => code === CloseCode.OutOfSync)).toBe(true);
    stranded.provider.destroy();
    other.provider.destroy();
  }, 120_000);
});
