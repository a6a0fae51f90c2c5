import { expect, test } from './fixtures';
import { LOAD_TIMEOUT } from './pages/doc-page';
import { waitForConvergence } from './support/converge';

test('a user goes offline, both keep typing, and the texts converge when they are back', async ({
  alice,
  bob,
}) => {
  await alice.typeAtEnd('Shared start.');
  await bob.waitForText('Shared start.');

  await bob.goOffline();
  await bob.waitForConnection('offline');
  await bob.waitForSaveState('offline');
  // The relay noticed too: alice no longer sees bob.
  await alice.waitForPresence(['alice']);

  await Promise.all([alice.typeAtEnd(' Alice online.', 20), bob.typeAt(0, 'Bob offline. ', 20)]);
  await alice.waitForText('Shared start. Alice online.');
  await bob.waitForText('Bob offline. Shared start.');

  await bob.goOnline();
  await bob.waitForConnection('connected');
  const text = await waitForConvergence([alice, bob], (t) => t.includes('Bob offline.'));
  expect(text).toBe('Bob offline. Shared start. Alice online.');
  await bob.waitForSaved();
  await alice.waitForSaved();
  await alice.waitForPresence(['alice', 'bob']);
});

test('edits made without the relay survive a reload and merge when it is reachable again', async ({
  alice,
  bob,
  room,
}) => {
  await alice.typeAtEnd('Before.');
  await bob.waitForText('Before.');

  // Bob loses the relay but not the web server, so his page can reload meanwhile.
  bob.disconnectRelay();
  await bob.waitForConnection('offline');
  const storedBefore = await bob.storedUpdateCount(room);
  await bob.typeAtEnd(' Kept on this device.');
  await expect.poll(() => bob.storedUpdateCount(room)).toBeGreaterThan(storedBefore);

  await bob.page.reload();
  await expect(bob.content).toBeVisible({ timeout: LOAD_TIMEOUT });
  await bob.waitForText('Before. Kept on this device.');
  await bob.waitForConnection('offline');
  await expect(bob.page.getByTestId('save-status')).toHaveAttribute('data-state', 'offline');

  await alice.typeAt(0, 'Alice: ');
  bob.reconnectRelay();
  await bob.waitForConnection('connected', 30_000);
  const text = await waitForConvergence(
    [alice, bob],
    (t) => t.includes('Kept') && t.includes('Alice'),
  );
  expect(text).toBe('Alice: Before. Kept on this device.');
  await bob.waitForSaved();
});
