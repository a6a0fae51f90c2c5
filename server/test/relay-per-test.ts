/**
 * The usual preamble of a relay test file: a fresh in-process relay (memory store) for every
 * test, and clients on it that are destroyed, with the relay, after each test.
 */
import { afterEach, beforeEach } from 'vitest';
import { connectClient, startRelay, type TestClient, type TestRelay } from './harness';

export interface RelayPerTest {
  /** The running test's relay. */
  readonly relay: TestRelay;
  /** A real y-websocket client on the running test's relay, destroyed after the test. */
  client(room: string, options?: { ack?: boolean }): TestClient;
}

/** Call at the top level of a test file; registers the beforeEach/afterEach hooks. */
export function relayPerTest(options: Parameters<typeof startRelay>[0] = {}): RelayPerTest {
  let current: TestRelay | undefined;
  const clients: TestClient[] = [];
  const relay = (): TestRelay => {
    if (!current) throw new Error('the relay starts in beforeEach: use it inside a test');
    return current;
  };
  beforeEach(async () => {
    current = await startRelay(options);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await current?.close();
    current = undefined;
  });
  return {
    get relay() {
      return relay();
    },
    client(room, clientOptions = {}) {
      const made = connectClient(relay().url, room, clientOptions);
      clients.push(made);
      return made;
    },
  };
}
