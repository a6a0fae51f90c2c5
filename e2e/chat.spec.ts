/**
 * The chat beside a document, with three users: Enter sends and Shift+Enter breaks a line,
 * messages show their author and stay text, an unread badge counts what arrived while the panel
 * was closed, a message written offline arrives on reconnect, and the chat survives a reload.
 */

import { expect, test } from './fixtures';
import type { DocPage } from './pages/doc-page';

const chat = (user: DocPage) => user.page.getByTestId('chat');
const unread = (user: DocPage) => user.page.getByTestId('chat-unread');

async function openChat(user: DocPage): Promise<void> {
  const toggle = user.page.getByTestId('chat-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(user.page.getByTestId('chat-input')).toBeVisible();
}

async function send(user: DocPage, lines: readonly string[]): Promise<void> {
  const input = user.page.getByTestId('chat-input');
  await input.click();
  for (const [i, line] of lines.entries()) {
    if (i > 0) await user.page.keyboard.press('Shift+Enter');
    await user.page.keyboard.type(line);
  }
  await user.page.keyboard.press('Enter');
  await expect(input).toHaveValue('');
}

/** Author and text of each message `user` sees, in order. */
async function messages(user: DocPage): Promise<[string, string][]> {
  return chat(user)
    .getByTestId('chat-message')
    .evaluateAll((items) =>
      items.map((item) => [
        item.querySelector('[data-testid="message-author"]')?.textContent ?? '',
        item.querySelector('[data-testid="chat-text"]')?.textContent ?? '',
      ]),
    ) as Promise<[string, string][]>;
}

test('three users chat: unread badges, text only, offline messages and reloads', async ({
  users,
}) => {
  const [alice, bob, carol] = (await users(3)) as [DocPage, DocPage, DocPage];
  await openChat(alice);
  await send(alice, ['Hello <b>team</b> <img src=x onerror=alert(1)>', 'second line']);
  const first: [string, string] = [
    'alice',
    'Hello <b>team</b> <img src=x onerror=alert(1)>\nsecond line',
  ];
  await expect.poll(() => messages(alice)).toEqual([first]);

  // Closed panels count it.
  await expect(unread(bob)).toHaveText('1 unread');
  await expect(unread(carol)).toHaveText('1 unread');
  await openChat(bob);
  await expect.poll(() => messages(bob)).toEqual([first]);
  await expect(unread(bob)).toHaveCount(0);
  // Shown as text: no element of the message's markup made it into the page.
  await expect(chat(bob).locator('b, img')).toHaveCount(0);
  await bob.page.getByTestId('chat-toggle').click();

  // Carol writes offline; it arrives when she is back.
  await carol.goOffline();
  await openChat(carol);
  await send(carol, ['written offline']);
  await expect.poll(() => messages(carol)).toEqual([first, ['carol', 'written offline']]);
  await expect.poll(() => messages(alice)).toHaveLength(1);
  await carol.goOnline();
  await expect.poll(() => messages(alice)).toEqual([first, ['carol', 'written offline']]);
  await expect(unread(bob)).toHaveText('1 unread');

  // The chat is part of the document: after a reload it is all there, and still read.
  await bob.reload();
  await expect(unread(bob)).toHaveText('1 unread');
  await openChat(bob);
  await expect.poll(() => messages(bob)).toEqual([first, ['carol', 'written offline']]);
});
