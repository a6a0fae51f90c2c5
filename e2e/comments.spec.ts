/**
 * Comment threads with three people: Alice and Bob on edit links, Carol on a view link. A thread
 * started on a selection is seen live by the others with its text highlighted, its anchor follows
 * an edit made before it, a reply and a resolve reach everyone, and Carol reads it all but has no
 * way to write.
 */
import { expect } from '@playwright/test';
import type { DocPage } from './pages/doc-page';
import { tokenLinkTest } from './support/token-links';

const test = tokenLinkTest('comments', 'e2e-comments-secret');

const threads = (user: DocPage) => user.page.getByTestId('comment-thread');

/** The text under the comment highlights of `user`'s editor. */
const highlighted = (user: DocPage) =>
  user.content
    .locator('.cm-comment')
    .evaluateAll((marks) => marks.map((mark) => mark.textContent).join(''));

/** Author and text of each message of `user`'s first thread. */
const messages = (user: DocPage) =>
  threads(user)
    .first()
    .getByTestId('comment-message')
    .evaluateAll((items) =>
      items.map(
        (item) =>
          `${item.querySelector('[data-testid="message-author"]')?.textContent}: ${
            item.querySelector('[data-testid="comment-text"]')?.textContent
          }`,
      ),
    );

test('a thread with a reply and a resolve is seen live by the others; a view link only reads', async ({
  open,
}) => {
  const alice = await open('alice', 'edit');
  const bob = await open('bob', 'edit');
  const carol = await open('carol', 'view');
  await alice.typeAtEnd('The quick brown fox jumps.');
  await bob.waitForText('The quick brown fox jumps.');

  // Alice selects "brown" and comments on it.
  await alice.moveCursorTo(10);
  for (let i = 0; i < 5; i++) await alice.page.keyboard.press('Shift+ArrowRight');
  await alice.page.getByTestId('comment-start').click();
  await alice.page.getByTestId('comment-input').fill('Is it really brown?');
  await alice.page.getByTestId('comment-input').press('Enter');

  await expect(threads(bob)).toHaveCount(1);
  await expect(threads(bob).first()).toContainText('brown');
  await expect.poll(() => messages(bob)).toEqual(['alice: Is it really brown?']);
  await expect.poll(() => highlighted(bob)).toBe('brown');

  // Bob writes before it: the anchor moves with its text.
  await bob.typeAt(0, 'Look: ');
  await alice.waitForText('Look: The quick brown fox jumps.');
  await expect.poll(() => highlighted(alice)).toBe('brown');

  await threads(bob).first().getByTestId('comment-reply').fill('Yes, quite.');
  await threads(bob).first().getByTestId('comment-reply').press('Enter');
  await expect
    .poll(() => messages(alice))
    .toEqual(['alice: Is it really brown?', 'bob: Yes, quite.']);

  // Carol reads along, with no way to write.
  await expect
    .poll(() => messages(carol))
    .toEqual(['alice: Is it really brown?', 'bob: Yes, quite.']);
  await expect(carol.page.getByTestId('comment-start')).toHaveCount(0);
  await expect(carol.page.getByTestId('comment-reply')).toHaveCount(0);
  await expect(carol.page.getByTestId('comment-resolve')).toHaveCount(0);

  // Alice resolves: it leaves the open list and the highlight everywhere.
  await threads(alice).first().getByTestId('comment-resolve').click();
  await expect(threads(bob)).toHaveCount(0);
  await expect.poll(() => highlighted(bob)).toBe('');
  await bob.page.getByRole('button', { name: 'Show resolved (1)' }).click();
  await expect(threads(bob).first().getByTestId('comment-resolved-by')).toHaveText(
    'Resolved by alice',
  );
  // And back.
  await threads(bob).first().getByTestId('comment-resolve').click();
  await expect.poll(() => highlighted(alice)).toBe('brown');

  // A comment is someone else's input: markup in it stays text on every other page.
  const hostile = '<img src=x onerror="document.body.dataset.pwned=1"><b>bold?</b>';
  await threads(alice).first().getByTestId('comment-reply').fill(hostile);
  await threads(alice).first().getByTestId('comment-reply').press('Enter');
  for (const reader of [bob, carol]) {
    await expect(threads(reader).first().getByTestId('comment-text').last()).toHaveText(hostile);
    await expect(reader.page.getByTestId('comments').locator('img, b')).toHaveCount(0);
    expect(await reader.page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
  }
});
