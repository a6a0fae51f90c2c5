import { expect, test } from './fixtures';

/** Issue 4: someone who closes the tab disappears for the others within this budget. */
const LEAVE_BUDGET_MS = 2_000;

test('everyone sees the others in "People here" with labelled cursors; a closed tab leaves within 2 s', async ({
  users,
}, testInfo) => {
  const people = await users(3);
  const [alice, bob, carol] = people;
  if (!alice || !bob || !carol) throw new Error('expected three users');
  const everyone = people.map((person) => person.name);

  for (const person of people) {
    await person.waitForPresence(everyone);
    // Exactly one entry is marked as yourself, and it is you.
    const self = person.presenceUsers.filter({ hasText: '(you)' });
    await expect(self).toHaveCount(1);
    await expect(self).toContainText(person.name);
  }

  // Everyone puts their caret somewhere; the others see it, labelled with the name.
  await alice.typeAtEnd('alice was here. ');
  await bob.typeAtEnd('bob too. ');
  await carol.typeAtEnd('and carol.');
  for (const viewer of people) {
    for (const other of people) {
      if (other === viewer) continue;
      await viewer.waitForRemoteCursor(other.name);
      await expect(viewer.remoteCursor(other.name).locator('.cm-ySelectionInfo')).toHaveText(
        other.name,
      );
    }
  }

  // Carol closes her tab: she leaves the list (and her cursor goes) for alice and bob in time.
  const closedAt = Date.now();
  await carol.close();
  const remaining = () => Math.max(1, LEAVE_BUDGET_MS - (Date.now() - closedAt));
  await Promise.all(
    [alice, bob].map((viewer) => viewer.waitForPresence(['alice', 'bob'], remaining())),
  );
  const leftAfterMs = Date.now() - closedAt;
  testInfo.annotations.push({ type: 'leave latency', description: `${leftAfterMs} ms` });
  await expect(alice.remoteCursor('carol')).toHaveCount(0);
  await expect(bob.remoteCursor('carol')).toHaveCount(0);
  // alice and bob still see each other.
  await alice.waitForRemoteCursor('bob');
  await bob.waitForRemoteCursor('alice');
});

test('a new display name shows up for the others', async ({ alice, bob }) => {
  await bob.waitForPresence(['alice', 'bob']);
  await alice.displayName.fill('Alice Liddell');
  await alice.displayName.press('Enter');
  await bob.waitForPresence(['Alice Liddell', 'bob']);
  await alice.typeAtEnd('hi');
  await bob.waitForRemoteCursor('Alice Liddell');
});
