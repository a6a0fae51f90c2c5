import { expect, test } from './fixtures';
import { HistoryPanel } from './pages/history-panel';

const INTRO = 'Intro\n\n';
const PARAGRAPH = 'The paragraph that bob deletes.\n\n';
const OUTRO = 'Outro';

test('a named version restores a paragraph another user deleted, and the restore can be undone', async ({
  alice,
  bob,
}) => {
  await alice.insertAtEnd(INTRO + PARAGRAPH + OUTRO);
  await bob.waitForText(INTRO + PARAGRAPH + OUTRO);

  const aliceHistory = new HistoryPanel(alice.page);
  await aliceHistory.open();
  await aliceHistory.saveVersion('Before the cut');
  await expect(aliceHistory.version('Before the cut')).toContainText('alice');
  await aliceHistory.close();

  // Bob selects the paragraph (and the blank line after it) with the keyboard and deletes it.
  await bob.moveCursorTo(INTRO.length);
  await bob.page.keyboard.press('Shift+ArrowDown');
  await bob.page.keyboard.press('Shift+ArrowDown');
  await bob.page.keyboard.press('Backspace');
  await bob.waitForText(INTRO + OUTRO);
  await alice.waitForText(INTRO + OUTRO);

  await aliceHistory.open();
  await aliceHistory.restore('Before the cut');
  await alice.waitForText(INTRO + PARAGRAPH + OUTRO);
  await bob.waitForText(INTRO + PARAGRAPH + OUTRO);
  await aliceHistory.close();

  await alice.undo();
  await alice.waitForText(INTRO + OUTRO);
  await bob.waitForText(INTRO + OUTRO);
});

test('the history panel opens with 100 versions listed quickly', async ({ alice, stack, room }) => {
  await alice.insertAtEnd('Some text worth keeping.\n');
  await alice.waitForSaved();
  const api = `http://127.0.0.1:${stack.relay.port}/rooms/${room}/versions`;
  for (let i = 1; i <= 100; i++) {
    const res = await fetch(api, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Version ${i}`, author: 'alice' }),
    });
    expect(res.status).toBe(201);
  }

  const history = new HistoryPanel(alice.page);
  const started = Date.now();
  await history.button.click();
  await expect(history.versions).toHaveCount(100);
  const openMs = Date.now() - started;
  test.info().annotations.push({ type: 'history-open-ms', description: String(openMs) });
  console.log(`history panel with 100 versions opened in ${openMs} ms`);
  // Newest first.
  await expect(history.versions.first()).toContainText('Version 100');
  expect(openMs).toBeLessThan(5000);
});
