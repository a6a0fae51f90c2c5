/**
 * Versions survive a relay restart and reproduce their text exactly: the sveltecomponent trace
 * is replayed keystroke by keystroke through a real client; along the way a named version is
 * taken through the HTTP API whenever the relay has caught up; after a restart on the same
 * sqlite file every version's text must equal the trace's text at that point.
 */
import { afterAll, expect, it } from 'vitest';
import { connectClient, type TestClient, tempDir, waitFor } from '../test/harness';
import { applyPatches, loadTrace } from '../test/traces';
import { startHistoryRelay } from './test-relay';

const ROOM = 'svelte-history';
const VERSIONS = 30;
/** A replay is a firehose, not a person: the per-socket rate limits would (rightly) stop it. */
const FIREHOSE = { maxMessagesPerSecond: 0, maxBytesPerSecond: 0 };

const dir = tempDir('coedit-history-trace-');
const clients: TestClient[] = [];
afterAll(() => {
  for (const client of clients) client.destroy();
  dir.cleanup();
});

it('reproduces every version of a replayed trace exactly after a restart', async () => {
  const trace = loadTrace('sveltecomponent');
  const first = await startHistoryRelay({ dir: dir.path, config: FIREHOSE });
  const typist = connectClient(first.url, ROOM);
  const watcher = connectClient(first.url, ROOM);
  clients.push(typist, watcher);
  await Promise.all([typist.synced(), watcher.synced()]);

  const expected = new Map<string, string>();
  const every = Math.ceil(trace.txns.length / VERSIONS);
  let reference = trace.startContent;
  for (let i = 0; i < trace.txns.length; i++) {
    const { patches } = trace.txns[i] as { patches: [number, number, string][] };
    typist.doc.transact(() => {
      for (const [pos, del, ins] of patches) {
        if (del > 0) typist.text.delete(pos, del);
        if (ins) typist.text.insert(pos, ins);
      }
    });
    reference = applyPatches(reference, patches);
    if ((i + 1) % every === 0 || i === trace.txns.length - 1) {
      // The watcher only sees what the relay applied and stored, so the relay has it too.
      const want = reference;
      await waitFor(() => watcher.text.toString() === want, 15_000, `watcher at txn ${i}`);
      const meta = await first.api.save(ROOM, `after ${i + 1} edits`, 'Typist');
      expected.set(meta.id, want);
    }
  }
  expect(reference).toBe(trace.endContent);
  expect(expected.size).toBeGreaterThanOrEqual(VERSIONS);
  typist.destroy();
  watcher.destroy();
  await first.close();

  const second = await startHistoryRelay({ dir: dir.path, config: FIREHOSE });
  try {
    const listed = await second.api.list(ROOM);
    expect(listed.map((v) => v.id)).toEqual([...expected.keys()]);
    expect(listed.every((v) => v.kind === 'named' && v.authors.includes('Typist'))).toBe(true);
    for (const [id, text] of expected) {
      expect(await second.api.text(ROOM, id)).toBe(text);
    }
  } finally {
    await second.close();
  }
});
