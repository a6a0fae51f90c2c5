/**
 * Replays the automerge-paper editing trace (259,778 single-character edits) keystroke by
 * keystroke through one client while a second client watches; both must end at endContent.
 * The trace lives outside the repo: $COEDIT_TRACES_DIR, else ../shared/traces beside the repo.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqliteStore } from './storage/sqlite';
import type { DocStore } from './storage/store';
import {
  connectClient,
  startRelay,
  type TestClient,
  type TestRelay,
  tempDir,
  waitFor,
} from './test/harness';
import { loadTrace } from './test/traces';

/** Keystrokes per burst between yields to the event loop. */
const KEYSTROKES_PER_YIELD = 250;

let dir: ReturnType<typeof tempDir>;
let store: DocStore;
let relay: TestRelay;
const clients: TestClient[] = [];

beforeAll(async () => {
  dir = tempDir();
  store = openSqliteStore(join(dir.path, 'trace.db'));
  // A replay is a firehose, not a person: the per-socket rate limits would (rightly) stop it.
  relay = await startRelay({ store, config: { maxMessagesPerSecond: 0, maxBytesPerSecond: 0 } });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await relay.close();
  await store.close();
  dir.cleanup();
});

it('replays automerge-paper keystroke by keystroke; typist and watcher end at endContent', async () => {
  const trace = loadTrace('automerge-paper');
  const typist = connectClient(relay.url, 'trace');
  const watcher = connectClient(relay.url, 'trace');
  clients.push(typist, watcher);
  await Promise.all([typist.synced(), watcher.synced()]);

  // Each keystroke is its own Y transaction and so its own update frame, as from an editor.
  // A burst of frames is corked into one socket write, then the event loop runs so the relay
  // and the watcher (same process) get their turn.
  const socket = (typist.provider.ws as unknown as { _socket: { cork(): void; uncork(): void } })
    ._socket;
  for (let start = 0; start < trace.txns.length; start += KEYSTROKES_PER_YIELD) {
    socket.cork();
    for (const { patches } of trace.txns.slice(start, start + KEYSTROKES_PER_YIELD)) {
      typist.doc.transact(() => {
        for (const [pos, deleted, inserted] of patches) {
          if (deleted > 0) typist.text.delete(pos, deleted);
          if (inserted !== '') typist.text.insert(pos, inserted);
        }
      });
    }
    socket.uncork();
    await new Promise((r) => setImmediate(r));
  }
  expect(typist.text.toString()).toBe(trace.endContent);
  await waitFor(
    () => watcher.text.length === trace.endContent.length,
    60_000,
    'watcher to catch up',
  );
  expect(watcher.text.toString()).toBe(trace.endContent);

  // What the relay stored is the same document.
  const late = connectClient(relay.url, 'trace');
  clients.push(late);
  await late.synced(10_000);
  await waitFor(() => late.text.length === trace.endContent.length, 10_000, 'late joiner');
  expect(late.text.toString()).toBe(trace.endContent);
}, 120_000);
