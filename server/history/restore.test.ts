/**
 * Restoring a version is an ordinary collaborative edit: a restore made while another client is
 * typing keeps both, and the restorer can undo it without touching the other client's text.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { restoreText } from '../../lib/restore-text';
import { connectClient, type TestClient, waitFor } from '../test/harness';
import { type HistoryRelay, startHistoryRelay } from './test-relay';

const RESTORE = Symbol('restore');
let relay: HistoryRelay | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await relay?.close();
  relay = undefined;
});

const ORIGINAL =
  'Title\n\nFirst paragraph.\n\nSecond paragraph, the one that gets deleted.\n\nEnd.\n';

it('merges a restore with concurrent typing by another client, and undoes only the restore', async () => {
  relay = await startHistoryRelay();
  const room = 'restore-merge';
  const alice = connectClient(relay.url, room);
  const bob = connectClient(relay.url, room);
  clients.push(alice, bob);
  await Promise.all([alice.synced(), bob.synced()]);
  alice.text.insert(0, ORIGINAL);
  await waitFor(() => bob.text.toString() === ORIGINAL);
  const version = await relay.api.save(room, 'before the cut', 'alice');

  // Bob deletes the second paragraph; everyone sees it.
  const cut = ORIGINAL.indexOf('Second');
  const cutLength = ORIGINAL.indexOf('End.') - cut;
  bob.text.delete(cut, cutLength);
  const afterCut = bob.text.toString();
  await waitFor(() => alice.text.toString() === afterCut);

  // Alice restores while Bob keeps typing at the end: neither has seen the other's change yet.
  const versionText = await relay.api.text(room, version.id);
  expect(versionText).toBe(ORIGINAL);
  const undo = new Y.UndoManager(alice.text, { trackedOrigins: new Set([RESTORE]) });
  const typed = 'Bob was here.';
  for (const ch of typed) bob.text.insert(bob.text.length, ch);
  restoreText(alice.text, versionText, RESTORE);

  const merged = `${ORIGINAL}${typed}`;
  await waitFor(
    () => alice.text.toString() === merged && bob.text.toString() === merged,
    10_000,
    'both clients to hold the restored paragraph and Bob typing',
  );

  undo.undo();
  const undone = `${afterCut}${typed}`;
  expect(alice.text.toString()).toBe(undone);
  await waitFor(() => bob.text.toString() === undone, 10_000, 'bob to see the undo');
});
