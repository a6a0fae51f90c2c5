/**
 * "Show authors" with three users: each one's text is tinted in their own colour in every
 * browser, names show on hover and in the legend, new text is tinted live, and it all comes back
 * after a reload (the relay vouches for the authors: server/authorship/).
 */

import { expect, test } from './fixtures';
import { type DocPage, LOAD_TIMEOUT } from './pages/doc-page';

/** The colour a user picked (their identity in this browser), as `r, g, b`. */
async function colorOf(user: DocPage): Promise<string> {
  const hex = await user.page.evaluate(
    () => (JSON.parse(localStorage.getItem('coedit:identity') ?? '{}') as { color: string }).color,
  );
  const value = Number.parseInt(hex.slice(1), 16);
  return `${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}`;
}

/** Each tinted run of the editor: its text and the rgb part of its background. */
async function tintedRuns(user: DocPage): Promise<{ text: string; rgb: string }[]> {
  return user.content.evaluate((content) =>
    [...content.querySelectorAll('.cm-author')].map((element) => {
      const background = getComputedStyle(element).backgroundColor;
      const rgb = /rgba?\((\d+), (\d+), (\d+)/.exec(background);
      return { text: element.textContent ?? '', rgb: rgb ? `${rgb[1]}, ${rgb[2]}, ${rgb[3]}` : '' };
    }),
  );
}

/** Wait until every line `text` of `author` is tinted in `rgb` in `viewer`'s editor. */
async function expectTinted(viewer: DocPage, text: string, rgb: string): Promise<void> {
  await expect
    .poll(
      async () => [
        // A run may render as several elements (other marks split it), all in one colour.
        ...new Set(
          (await tintedRuns(viewer))
            .filter((run) => text.includes(run.text) || run.text.includes(text))
            .map((run) => run.rgb),
        ),
      ],
      { message: `${viewer.name} sees "${text}" in ${rgb}`, timeout: 15_000 },
    )
    .toEqual([rgb]);
}

test('three users see each author’s text in their colour, live and after a reload', async ({
  users,
}) => {
  const [alice, bob, carol] = (await users(3)) as [DocPage, DocPage, DocPage];
  await alice.typeAtEnd('Alice wrote this.');
  await bob.waitForText('Alice wrote this.');
  await bob.typeAtEnd(' Bob added that.');
  await carol.waitForText('Alice wrote this. Bob added that.');
  await carol.typeAtEnd(' Carol closes.');
  const all = 'Alice wrote this. Bob added that. Carol closes.';
  for (const user of [alice, bob]) await user.waitForText(all);

  const colors = {
    alice: await colorOf(alice),
    bob: await colorOf(bob),
    carol: await colorOf(carol),
  };
  for (const viewer of [alice, bob, carol]) {
    await expect(viewer.content.locator('.cm-author')).toHaveCount(0);
    await viewer.page.getByTestId('show-authors').check();
    await expectTinted(viewer, 'Alice wrote this.', colors.alice);
    await expectTinted(viewer, ' Bob added that.', colors.bob);
    await expectTinted(viewer, ' Carol closes.', colors.carol);
    const legend = viewer.page.getByTestId('author-legend-item');
    await expect(legend).toHaveCount(3);
    await expect(legend.filter({ hasText: '(you)' })).toContainText(viewer.name);
  }

  // Hovering names the author.
  await alice.content.getByText('Bob added that').hover();
  await expect(alice.page.locator('.cm-author-tooltip')).toHaveText('Written by bob');

  // Live: what carol types now is tinted in her colour for the others at once.
  await carol.typeAtEnd(' More from Carol.');
  await expectTinted(alice, ' Carol closes. More from Carol.', colors.carol);

  // After a reload the setting is remembered and the tints come back.
  await bob.reload();
  await expect(bob.page.getByTestId('show-authors')).toBeChecked();
  await expectTinted(bob, 'Alice wrote this.', colors.alice);
  await expectTinted(bob, ' Bob added that.', colors.bob);

  // Without the relay (and so without anyone's presence), the colours are last time's.
  bob.disconnectRelay();
  await bob.waitForConnection('offline');
  await bob.page.reload();
  await expect(bob.content).toBeVisible({ timeout: LOAD_TIMEOUT });
  await bob.waitForConnection('offline');
  await expectTinted(bob, 'Alice wrote this.', colors.alice);
  await expectTinted(bob, ' Carol closes. More from Carol.', colors.carol);
});
