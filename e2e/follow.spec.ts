/**
 * Follow mode (issue 16): click a person in "People here" and your editor keeps their cursor in
 * view while they type far below, until you scroll, click in the editor, press Stop, or they
 * leave. A "Following <name>" chip (a polite live region) shows while it lasts.
 */
import { expect, test } from './fixtures';
import { type DocPage, SYNC_TIMEOUT } from './pages/doc-page';
import { expectAccessible } from './support/axe';

/** Is `name`'s remote caret rendered inside the visible part of `viewer`'s editor? */
function caretInView(viewer: DocPage, name: string): Promise<boolean> {
  return viewer.editor.evaluate((editor, who) => {
    const scroller = editor.querySelector('.cm-scroller');
    const carets = [...editor.querySelectorAll('.cm-ySelectionCaret')].filter(
      (caret) => caret.querySelector('.cm-ySelectionInfo')?.textContent === who,
    );
    const caret = carets.length === 1 ? carets[0] : undefined;
    if (!scroller || !caret) return false;
    const box = caret.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    return box.top >= view.top && box.bottom <= view.bottom;
  }, name);
}

function lineCount(user: DocPage): Promise<number> {
  return user.text().then((text) => text.split('\n').length);
}

/** The follow button of `name` in `viewer`'s "People here", and `viewer`'s chip. */
function followControls(viewer: DocPage, name: string) {
  return {
    button: viewer.presence.getByRole('button', { name: `Follow ${name}` }),
    chip: viewer.page.getByTestId('follow-chip'),
  };
}

test('the follower keeps the leader’s cursor in view while the leader types 200 lines below; scrolling stops it', async ({
  alice,
  bob,
}) => {
  // Two browsers typing and scrolling on a busy 2-core machine took up to 48 s of the usual 60.
  test.setTimeout(120_000);
  // 300 lines; alice's caret ends on the last one, about 270 lines below bob's viewport.
  const lines = Array.from({ length: 300 }, (_, i) => `line ${i + 1}`).join('\n');
  await alice.pasteAtEnd(lines);
  await bob.waitForText({ contains: 'line 300' });
  // Out of bob's view, so his editor does not even render her caret.
  expect(await caretInView(bob, 'alice')).toBe(false);

  const { button, chip } = followControls(bob, 'alice');
  // Only the others are buttons: nobody follows themselves.
  await expect(bob.presence.getByRole('button', { name: /bob/ })).toHaveCount(0);
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  await expect(bob.page.getByRole('status').filter({ hasText: 'Following alice' })).toBeVisible();
  await expect(chip).toHaveText(/Following alice/);
  await expect.poll(() => caretInView(bob, 'alice')).toBe(true);

  // alice keeps typing: 40 more lines, more than the editor's height below where she started.
  const typing = alice.type('\nmore'.repeat(40), 25);
  try {
    for (const atLeast of [310, 320, 330, 340]) {
      await expect
        .poll(() => lineCount(bob), { timeout: SYNC_TIMEOUT })
        .toBeGreaterThanOrEqual(atLeast);
      await expect.poll(() => caretInView(bob, 'alice'), { timeout: 5_000 }).toBe(true);
    }
  } finally {
    await typing;
  }
  await bob.waitForText(await alice.text());
  await expect.poll(() => caretInView(bob, 'alice')).toBe(true);
  await expect(chip).toBeVisible();

  // bob scrolls up: following stops, the chip goes, and alice's typing no longer moves his view.
  await bob.editor.hover();
  await bob.page.mouse.wheel(0, -3000);
  await expect(chip).toHaveCount(0);
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => caretInView(bob, 'alice')).toBe(false);
  await alice.type('\nafter'.repeat(5));
  await bob.waitForText(await alice.text());
  expect(await caretInView(bob, 'alice')).toBe(false);
});

test('follow stops with the chip’s button, a click in the editor, or when the leader leaves', async ({
  alice,
  bob,
}) => {
  await alice.typeAtEnd('hello');
  await bob.waitForRemoteCursor('alice');
  const { button, chip } = followControls(bob, 'alice');

  await button.click();
  await expect(chip).toBeVisible();
  // The list's buttons and the chip, in both colour schemes (the preview frame has its own test).
  for (const colorScheme of ['light', 'dark'] as const) {
    await bob.page.emulateMedia({ colorScheme });
    await expectAccessible(bob.page, `following someone (${colorScheme})`, {
      exclude: '[data-testid="preview-frame"]',
    });
  }
  await chip.getByRole('button', { name: 'Stop following alice' }).click();
  await expect(chip).toHaveCount(0);

  // From the keyboard; pressing the same button again stops too.
  await button.focus();
  await bob.page.keyboard.press('Enter');
  await expect(chip).toBeVisible();
  await bob.page.keyboard.press('Enter');
  await expect(chip).toHaveCount(0);

  await button.click();
  await expect(chip).toBeVisible();
  await bob.content.click();
  await expect(chip).toHaveCount(0);

  await button.click();
  await expect(chip).toBeVisible();
  await alice.close();
  await expect(chip).toHaveCount(0, { timeout: SYNC_TIMEOUT });
});
