import { expect, test } from './fixtures';
import { onlyChars, waitForConvergence } from './support/converge';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();

test('two users typing at the same spot and elsewhere end with identical text and every keystroke', async ({
  alice,
  bob,
}) => {
  // A shared anchor both users type into: "||".
  await alice.typeAtEnd('||');
  await bob.waitForText('||');

  // Same spot, key by key, at the same time: the keystrokes interleave.
  const aliceInside = 'abcdefghijklmno';
  const bobInside = 'ABCDEFGHIJKLMNO';
  await Promise.all([alice.typeAt(1, aliceInside, 25), bob.typeAt(1, bobInside, 25)]);
  // Elsewhere, also at the same time: alice at the end, bob at the start.
  await Promise.all([alice.typeAtEnd('xyz', 25), bob.typeAt(0, 'XYZ', 25)]);

  const text = await waitForConvergence([alice, bob], (t) => t.length === 2 + 30 + 6);
  expect(text.startsWith('XYZ|')).toBe(true);
  expect(text.endsWith('|xyz')).toBe(true);
  const inside = text.slice('XYZ|'.length, -'|xyz'.length);
  // Each user's keystrokes are all there, in the order typed.
  expect(onlyChars(inside, LOWER)).toBe(aliceInside);
  expect(onlyChars(inside, UPPER)).toBe(bobInside);
});

test('five users typing at once for a few seconds all converge', async ({ users }) => {
  const people = await users(5);
  // Disjoint alphabets, so each person's keystrokes can be picked out of the merged text.
  const alphabets = ['abcde', 'fghij', 'klmno', 'pqrst', 'uvwxy'];
  const bursts = alphabets.map((a) => {
    const reversed = [...a].reverse().join('');
    return { start: a + a, end: reversed + reversed, startAgain: a + reversed };
  });

  // Each person: a burst at the start, one at the end, one at the start again; all at once.
  await Promise.all(
    people.map(async (person, i) => {
      const burst = bursts[i];
      if (!burst) throw new Error('missing burst');
      await person.typeAt(0, burst.start, 40);
      await person.typeAtEnd(burst.end, 40);
      await person.typeAt(0, burst.startAgain, 40);
    }),
  );

  const total = bursts.reduce((n, b) => n + b.start.length + b.end.length + b.startAgain.length, 0);
  const text = await waitForConvergence(people, (t) => t.length === total, 20_000);
  for (const [i, alphabet] of alphabets.entries()) {
    const burst = bursts[i];
    if (!burst) throw new Error('missing burst');
    // Later start-of-text bursts land before earlier ones; the end burst is last.
    expect(onlyChars(text, alphabet), `${people[i]?.name}'s keystrokes`).toBe(
      burst.startAgain + burst.start + burst.end,
    );
  }
});

test('a late joiner sees the whole document, and reloading keeps it', async ({ alice, join }) => {
  const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.';
  const body = Array.from({ length: 60 }, (_, i) => `Line ${i + 1}: ${paragraph}`).join('\n');
  await alice.insertAtEnd(body);
  await alice.typeAtEnd('\nTyped by alice at the end.');
  const expected = `${body}\nTyped by alice at the end.`;
  await alice.waitForText(expected);
  await alice.waitForSaved();

  const bob = await join('bob');
  await bob.waitForText(expected);
  await bob.reload();
  await bob.waitForText(expected);

  // With alice gone, a newcomer still gets everything from the relay.
  await alice.close();
  const carol = await join('carol');
  await carol.waitForText(expected);
  await carol.reload();
  await carol.waitForText(expected);
});
