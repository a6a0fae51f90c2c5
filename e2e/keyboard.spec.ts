/**
 * A keyboard-only walk through the product, with nothing but `page.keyboard` (Tab, Shift+Tab,
 * Enter, Escape, arrow keys and typing): create a document from the home page, type in the
 * editor (Tab indents there; Escape then Tab leaves it, CodeMirror's convention), copy a link
 * from the Share dialog, open and close the version history, switch modes, and jump to a heading
 * through the preview's outline. Along the way: every control reached shows a focus ring, the
 * dialogs keep focus inside while open, close on Escape and hand focus back to their button.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { HistoryPanel } from './pages/history-panel';
import { PreviewPane } from './pages/preview-pane';
import { docPageIn, securedTest as test } from './support/secured-test';

/** More Tab presses than any page here has stops between two controls. */
const MAX_TAB_PRESSES = 40;

/**
 * Press Tab (or Shift+Tab) until `target` has focus. In the editor Tab indents, so passing
 * through it takes Escape first, as a keyboard user does.
 */
async function tabTo(page: Page, target: Locator, direction: 'forward' | 'back' = 'forward') {
  const key = direction === 'forward' ? 'Tab' : 'Shift+Tab';
  for (let presses = 0; presses <= MAX_TAB_PRESSES; presses++) {
    if (await hasFocus(target)) return;
    const inEditor = await page.evaluate(() =>
      Boolean(document.activeElement?.closest('.cm-content')),
    );
    if (inEditor) await page.keyboard.press('Escape');
    await page.keyboard.press(key);
  }
  throw new Error(`${MAX_TAB_PRESSES} × ${key} never reached ${target}`);
}

function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === document.activeElement).catch(() => false);
}

/** `target` has focus and shows a ring (for a visually hidden radio: its label does). */
async function expectFocusRing(target: Locator): Promise<void> {
  await expect(target).toBeFocused();
  const ring = await target.evaluate((element) => {
    const shown = element.matches('input[type="radio"]') ? element.closest('label') : element;
    const style = getComputedStyle(shown ?? element);
    return style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2;
  });
  expect(ring, `a focus ring on ${target}`).toBe(true);
}

/** Tab `presses` times; focus never leaves `container`. */
async function expectFocusTrapped(page: Page, container: Locator, presses: number) {
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
    const inside = await container.evaluate((element) => element.contains(document.activeElement));
    expect(inside, `focus still inside after ${i + 1} presses`).toBe(true);
  }
}

test('create, write, share, look back and navigate with the keyboard alone', async ({
  openContext,
  secured,
}) => {
  const context = await openContext();
  const page = await context.newPage();
  await page.goto('/');

  // Home: the first Tab stop is "New document"; Enter creates the document.
  const newDocument = page.getByRole('button', { name: 'New document' });
  await tabTo(page, newDocument);
  await expectFocusRing(newDocument);
  await page.keyboard.press('Enter');
  // A deployment with a secret: the new document opens with its creator's edit link.
  await expect(page).toHaveURL(/\/d\/[A-Za-z0-9_-]{22}\?t=/);
  const doc = docPageIn(context, page, secured);
  await doc.waitUntilReady();
  const preview = new PreviewPane(doc);
  await expect(preview.modeRadio('Split')).toBeChecked();

  // The editor: Tab reaches it; typing writes; Tab there indents (Shift+Tab undoes that).
  await tabTo(page, doc.content);
  await page.keyboard.type('# Plan\n\nIntro text.\n\n## Details\n\nThe details.\n');
  await doc.waitForText('# Plan\n\nIntro text.\n\n## Details\n\nThe details.\n');
  await page.keyboard.press('Tab');
  await doc.waitForText({ contains: 'The details.\n  ' });
  await page.keyboard.press('Shift+Tab');
  await doc.waitForText('# Plan\n\nIntro text.\n\n## Details\n\nThe details.\n');
  // Escape, then Tab: focus moves on (to the preview's toolbar) instead of indenting.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(doc.content).not.toBeFocused();
  await expectFocusRing(page.getByRole('button', { name: 'Outline' }));
  expect(await doc.text()).toBe('# Plan\n\nIntro text.\n\n## Details\n\nThe details.\n');

  // Share: open with Enter, copy a link, focus stays inside, Escape closes and returns focus.
  const shareButton = page.getByTestId('share-button');
  await tabTo(page, shareButton, 'back');
  await expectFocusRing(shareButton);
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('share-dialog');
  await expect(dialog).toBeVisible();
  const firstLink = dialog.getByTestId('share-link').first();
  await expect(firstLink).toBeVisible();
  const copy = firstLink.getByRole('button', { name: 'Copy' });
  await tabTo(page, copy);
  await expectFocusRing(copy);
  await page.keyboard.press('Enter');
  await expect(firstLink.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await firstLink.getByTestId('share-link-url').inputValue());
  expect(copied).toContain('/d/');
  await expectFocusTrapped(page, dialog, 12);
  await page.keyboard.press('Escape');
  await expect(dialog).not.toBeVisible();
  await expect(shareButton).toBeFocused();

  // History: a modal drawer with the same keyboard contract.
  const history = new HistoryPanel(page);
  await tabTo(page, history.button, 'back');
  await expectFocusRing(history.button);
  await page.keyboard.press('Enter');
  await expect(history.panel).toHaveAttribute('data-state', 'ready');
  await expect
    .poll(() => history.panel.evaluate((panel) => panel.contains(document.activeElement)))
    .toBe(true);
  await expectFocusTrapped(page, history.panel, 8);
  await page.keyboard.press('Escape');
  await expect(history.panel).toHaveCount(0);
  await expect(history.button).toBeFocused();

  // Modes: one Tab stop for the group, arrow keys choose.
  const split = preview.modeRadio('Split');
  await tabTo(page, split, 'back');
  await expectFocusRing(split);
  await page.keyboard.press('ArrowRight');
  await expect(preview.modeRadio('View')).toBeChecked();
  await expect(page.getByTestId('workspace')).toHaveAttribute('data-mode', 'view');
  await expect(doc.editor).toBeHidden();
  await page.keyboard.press('ArrowLeft');
  await expect(split).toBeChecked();
  await expect(page.getByTestId('workspace')).toHaveAttribute('data-mode', 'split');

  // The outline: Tab to a heading's entry, Enter jumps there in the preview and the editor.
  await preview.waitForRendered('The details.');
  const details = preview.outline.getByRole('button', { name: 'Details' });
  await tabTo(page, details);
  await expectFocusRing(details);
  await page.keyboard.press('Enter');
  await expect(doc.editor.locator('.cm-activeLine')).toHaveText('## Details');
  const frame = await (await preview.frameElement.elementHandle())?.contentFrame();
  if (!frame) throw new Error('no preview frame');
  await expect.poll(() => frame.evaluate(() => window.scrollY)).toBeGreaterThan(0);
});
