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

test('authors, comments and chat survive a relay crash and restart with edits made while it was down', async ({
  alice,
  bob,
  join,
  stack,
}) => {
  test.setTimeout(120_000);
  await alice.typeAtEnd('Alice was here.');
  await bob.waitForText('Alice was here.');
  await stack.relay.stop('SIGKILL');
  await alice.waitForConnection('offline');
  await bob.waitForConnection('offline');

  // While it is down: Bob writes, comments on Alice's words and chats.
  await bob.typeAtEnd(' Bob too.');
  await bob.moveCursorTo(0);
  for (let i = 0; i < 5; i++) await bob.page.keyboard.press('Shift+ArrowRight');
  await bob.page.getByTestId('comment-start').click();
  await bob.page.getByTestId('comment-input').fill('Who is Alice?');
  await bob.page.getByTestId('comment-input').press('Enter');
  await bob.page.getByTestId('chat-toggle').click();
  await bob.page.getByTestId('chat-input').fill('sent while the relay was down');
  await bob.page.getByTestId('chat-input').press('Enter');

  await stack.relay.start();
  await bob.waitForConnection('connected', RECONNECT_TIMEOUT);
  await alice.waitForText('Alice was here. Bob too.', RECONNECT_TIMEOUT);
  await bob.waitForSaved();

  // A newcomer, once everyone is gone, finds all of it, attributed as written.
  await alice.close();
  await bob.close();
  const carol = await join('carol');
  await carol.waitForText('Alice was here. Bob too.');
  const thread = carol.page.getByTestId('comment-thread');
  await expect(thread).toContainText('Alice');
  await expect(thread.getByTestId('message-author')).toHaveText('bob');
  await expect(thread.getByTestId('comment-text')).toHaveText('Who is Alice?');
  await carol.page.getByTestId('chat-toggle').click();
  await expect(carol.page.getByTestId('chat-text')).toHaveText('sent while the relay was down');
  await expect(carol.page.getByTestId('chat').getByTestId('message-author')).toHaveText('bob');
  await carol.page.getByTestId('show-authors').check();
  await expect(carol.page.getByTestId('author-legend-item')).toContainText([
    'carol',
    'alice',
    'bob',
  ]);
  // Every character is tinted (the comment's highlight may split a mark into more elements).
  await expect
    .poll(() =>
      carol.content
        .locator('.cm-author')
        .evaluateAll((marks) => marks.map((m) => m.textContent).join('')),
    )
    .toBe('Alice was here. Bob too.');
});
