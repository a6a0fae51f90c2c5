import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectClient,
  type RelayProcess,
  spawnRelay,
  tempDir,
  waitFor,
} from '../server/test/harness';
import { buildRelay, RELAY_NODE_ARGS, relayBundleStaleness } from './build-relay';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function stop(relay: RelayProcess): Promise<number | string> {
  relay.child.kill('SIGTERM');
  return relay.exited;
}

describe('production relay bundle', () => {
  it('builds, then serves and stores documents exactly like the sources do', async () => {
    const bundle = await buildRelay();
    expect(relayBundleStaleness()).toBeNull();
    const entry = [...RELAY_NODE_ARGS, bundle];
    const dir = tempDir('coedit-bundle-');
    cleanups.push(dir.cleanup);
    const storage = ['--port', '0', '--storage', `sqlite:${join(dir.path, 'bundle.db')}`];

    const relay = await spawnRelay(storage, 20_000, entry);
    const alice = connectClient(relay.url, 'bundled');
    const bob = connectClient(relay.url, 'bundled');
    cleanups.push(
      () => alice.destroy(),
      () => bob.destroy(),
    );
    await Promise.all([alice.synced(), bob.synced()]);
    alice.text.insert(0, 'from the bundle');
    await waitFor(() => bob.text.toString() === 'from the bundle', 5000, 'bob to receive');
    alice.destroy();
    bob.destroy();
    expect(await stop(relay)).toBe(0);

    // The SQLite backend (a lazily loaded chunk) kept it across a restart.
    const again = await spawnRelay(storage, 20_000, entry);
    cleanups.push(async () => void (await stop(again)));
    const carol = connectClient(again.url, 'bundled');
    cleanups.push(() => carol.destroy());
    await carol.synced();
    expect(carol.text.toString()).toBe('from the bundle');
  }, 60_000);
});
