/**
 * Replays the automerge-paper editing trace (259,778 single-character edits) keystroke by
 * keystroke through one client while a second client watches; both must end at endContent.
 * The trace lives outside the repo: $COEDIT_TRACES_DIR, else ../shared/traces beside the repo.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqliteStore } from './storage/sqlite';
import type { DocStore } from './storage/store';
import {
  connectClient,
  REPO_ROOT,
  startRelay,
  type TestClient,
  type TestRelay,
  tempDir,
  waitFor,
} from './test/harness';

interface Trace {
  endContent: string;
  txns: { patches: [number, number, string][] }[];
}

function loadTrace(name: string): Trace {
  const dir = process.env.COEDIT_TRACES_DIR ?? resolve(REPO_ROOT, '../shared/traces');
  const file = join(dir, `${name}.json.gz`);
  if (!existsSync(file)) {
    throw new Error(
      `editing trace not found at ${file}: set COEDIT_TRACES_DIR to the folder holding ${name}.json.gz`,
    );
  }
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Trace;
}

/** Keystrokes between yields to the event loop, so the socket flushes while we type. */
const KEYSTROKES_PER_YIELD = 200;

let dir: ReturnType<typeof tempDir>;
let store: DocStore;
let relay: TestRelay;
const clients: TestClient[] = [];

beforeAll(async () => {
  dir = tempDir();
  store = openSqliteStore(join(dir.path, 'trace.db'));
  relay = await startRelay({ store });
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

  let keystrokes = 0;
  for (const { patches } of trace.txns) {
    // One Y transaction per keystroke, as an editor sends it: one update frame each.
    typist.doc.transact(() => {
      for (const [pos, deleted, inserted] of patches) {
        if (deleted > 0) typist.text.delete(pos, deleted);
        if (inserted !== '') typist.text.insert(pos, inserted);
      }
    });
    if (++keystrokes % KEYSTROKES_PER_YIELD === 0) await new Promise((r) => setImmediate(r));
  }
  expect(typist.text.toString()).toBe(trace.endContent);
  await waitFor(() => watcher.text.length === trace.endContent.length, 60_000, 'watcher to catch up');
  expect(watcher.text.toString()).toBe(trace.endContent);

  // What the relay stored is the same document.
  const late = connectClient(relay.url, 'trace');
  clients.push(late);
  await late.synced(10_000);
  await waitFor(() => late.text.length === trace.endContent.length, 10_000, 'late joiner');
  expect(late.text.toString()).toBe(trace.endContent);
}, 120_000);
