import { generateRoomId } from '../lib/room-id';
import { expect, test } from './fixtures';
import { waitForConvergence } from './support/converge';

test('two documents open side by side never leak text into each other', async ({
  alice,
  bob,
  join,
}) => {
  const otherRoom = generateRoomId();
  // Same browsers, second tab on another document (tabs of one browser share storage).
  const aliceB = await alice.openTab(otherRoom);
  const bobB = await bob.openTab(otherRoom);

  await Promise.all([
    alice.typeAtEnd('alpha one ', 20),
    aliceB.typeAtEnd('beta one ', 20),
    bob.typeAtEnd('alpha two ', 20),
    bobB.typeAtEnd('beta two ', 20),
  ]);
  const a = await waitForConvergence([alice, bob], (t) => t.includes('one') && t.includes('two'));
  const b = await waitForConvergence([aliceB, bobB], (t) => t.includes('one') && t.includes('two'));
  expect(a).not.toContain('beta');
  expect(b).not.toContain('alpha');

  // Titles are per document too.
  await alice.title.fill('Document Alpha');
  await expect(bob.title).toHaveValue('Document Alpha');
  await expect(bobB.title).toHaveValue('');

  // A newcomer on the second document sees only its text.
  const carol = await join('carol', { room: otherRoom });
  await carol.waitForText(b);
  await expect(carol.title).toHaveValue('');
  for (const page of [alice, bob]) expect(await page.text()).toBe(a);
});
