import { expect, test } from './fixtures';
import { waitForConvergence } from './support/converge';

// These tests stop the relay, so each gets its own relay + app instead of the worker's.
test.use({ ownStack: true });

/** Clients back off with jitter (up to 15 s between attempts), so reconnecting can take a while. */
const RECONNECT_TIMEOUT = 30_000;

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`relay ${signal} and restart: clients reconnect by themselves and nothing typed is lost`, async ({
    alice,
    bob,
    join,
    stack,
  }) => {
    test.setTimeout(120_000);
    await alice.typeAtEnd('Before. ');
    await bob.waitForText('Before. ');

    // The relay goes down while both are typing.
    await Promise.all([
      alice.typeAtEnd('alice-during ', 30),
      bob.typeAt(0, 'bob-during ', 30),
      stack.relay.stop(signal),
    ]);
    await alice.waitForConnection('offline');
    await bob.waitForConnection('offline');

    // And they keep typing while it is down.
    await alice.typeAtEnd('alice-down');
    await bob.typeAt(0, 'bob-down ');

    // Same port, same sqlite file.
    await stack.relay.start();
    await alice.waitForConnection('connected', RECONNECT_TIMEOUT);
    await bob.waitForConnection('connected', RECONNECT_TIMEOUT);
    const parts = ['Before.', 'alice-during', 'bob-during', 'alice-down', 'bob-down'];
    const text = await waitForConvergence(
      [alice, bob],
      (t) => parts.every((part) => t.includes(part)),
      RECONNECT_TIMEOUT,
    );
    expect(text).toBe('bob-down bob-during Before. alice-during alice-down');
    await alice.waitForSaved();
    await bob.waitForSaved();

    // Everything reached the relay's storage: after another crash and restart, a newcomer with
    // an empty browser gets all of it with nobody else online.
    await alice.close();
    await bob.close();
    await stack.relay.stop('SIGKILL');
    await stack.relay.start();
    const carol = await join('carol');
    await carol.waitForText(text);
  });
}
