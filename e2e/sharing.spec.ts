import { expect, test } from './fixtures';
import { waitForConvergence } from './support/converge';

test('Copy link: the copied URL opened by someone else shows the same document', async ({
  alice,
  join,
}) => {
  await alice.typeAtEnd('Shared through a link.');
  await alice.page.getByRole('button', { name: 'Copy link' }).click();
  await expect(alice.page.getByRole('button', { name: 'Link copied' })).toBeVisible();
  const copied = await alice.page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(alice.page.url());

  const bob = await join('bob', { url: copied });
  expect(bob.page.url()).toBe(copied);
  await bob.waitForText('Shared through a link.');
  await bob.waitForPresence(['alice', 'bob']);
});

test('undo in one editor undoes only that user’s edits', async ({ alice, bob }) => {
  await alice.typeAtEnd('Alice wrote this. ');
  await bob.waitForText('Alice wrote this. ');
  await bob.typeAtEnd('Bob wrote that.');
  await alice.waitForText('Alice wrote this. Bob wrote that.');

  // Alice's undo takes back her sentence, not bob's (which came later).
  await alice.undo();
  await waitForConvergence([alice, bob], (t) => t === 'Bob wrote that.');

  // Bob's undo takes back his own; alice's redo brings hers back.
  await bob.undo();
  await waitForConvergence([alice, bob], (t) => t === '');
  await alice.redo();
  await waitForConvergence([alice, bob], (t) => t === 'Alice wrote this. ');
});

test('title and language are shared; Download names the file after them', async ({
  alice,
  bob,
}) => {
  await alice.title.fill('Meeting notes');
  await expect(bob.title).toHaveValue('Meeting notes');
  await expect(bob.page).toHaveTitle('Meeting notes · coedit');
  await expect(alice.page).toHaveTitle('Meeting notes · coedit');

  await bob.language.selectOption('python');
  await expect(alice.language).toHaveValue('python');

  await alice.typeAtEnd('print(1)');
  await bob.waitForText('print(1)');
  const [download] = await Promise.all([
    bob.page.waitForEvent('download'),
    bob.page.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^Meeting notes\.py$/);
});
