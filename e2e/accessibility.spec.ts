/**
 * axe-core on every page and panel, in light and dark mode: the home page, the document page in
 * Edit, Split and View, the Share dialog and the version history (with a diff shown), and the
 * document page at phone width. Any serious or critical violation fails, printed rule by rule.
 *
 * The preview is a sandboxed srcdoc frame with an opaque origin. The page is checked with the
 * frame left out, and the frame's document, as rendered at that moment (a document with
 * headings, a task list, links, a table, code, math and a footnote), is checked on a page of
 * its own in the same colour scheme (see expectFrameAccessible for why).
 */
import { type BrowserContext, expect, type Page } from '@playwright/test';
import type { DocPage } from './pages/doc-page';
import { HistoryPanel } from './pages/history-panel';
import { HomePage } from './pages/home-page';
import { PreviewPane, type ViewModeName } from './pages/preview-pane';
import { expectAccessible, expectFrameAccessible } from './support/axe';
import { docPageIn, securedTest as test } from './support/secured-test';
import type { Stack } from './support/stack';

const PHONE = { width: 390, height: 844 } as const;
const FRAME = '[data-testid="preview-frame"]';

/** Something of everything the preview renders. */
const DOCUMENT = [
  '# Trip notes',
  '',
  'Plans for the **spring** trip: see [the map](https://example.com/map) or <https://example.org>.',
  '',
  '## Packing',
  '',
  '- [ ] tent',
  '- [x] stove',
  '',
  '## Budget',
  '',
  '| Item | Cost |',
  '|---|---:|',
  '| Train | 40 |',
  '',
  '> Travel light.',
  '',
  '```js',
  'const total = 40; // euros',
  '```',
  '',
  'Inline `code`, ~~old plan~~, a formula $x^2$ and a footnote.[^1]',
  '',
  '[^1]: Prices from last year.',
  '',
].join('\n');

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} mode`, () => {
    /** A new tab in `colorScheme`, at `viewport` if given. */
    const openPage = async (
      openContext: () => Promise<BrowserContext>,
      viewport?: { width: number; height: number },
    ): Promise<Page> => {
      const context = await openContext();
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme });
      if (viewport) await page.setViewportSize(viewport);
      return page;
    };

    /** The document at `docPath` with DOCUMENT in it, saved. */
    const openFilledDoc = async (page: Page, docPath: string, stack: Stack): Promise<DocPage> => {
      const doc = docPageIn(page.context(), page, stack);
      await doc.open(docPath);
      await doc.insertAtEnd(DOCUMENT);
      await doc.waitForSaved();
      return doc;
    };

    test('home page, with a recent document listed', async ({ openContext, docPath, secured }) => {
      const page = await openPage(openContext);
      await openFilledDoc(page, docPath, secured);
      const home = new HomePage(page);
      await home.goto();
      await expect(home.recentDocs).toHaveCount(1);
      await expectAccessible(page, `the home page (${colorScheme})`);
    });

    test('document page in Edit, Split and View', async ({ openContext, docPath, secured }) => {
      const page = await openPage(openContext);
      const doc = await openFilledDoc(page, docPath, secured);
      const preview = new PreviewPane(doc);
      for (const mode of ['Edit', 'Split', 'View'] as const) {
        await showMode(preview, mode);
        await expectDocPageAccessible(page, `the document page, ${mode} (${colorScheme})`);
      }
    });

    test('Share dialog and version history', async ({ openContext, docPath, secured }) => {
      const page = await openPage(openContext);
      const doc = await openFilledDoc(page, docPath, secured);

      await page.getByTestId('share-button').click();
      const dialog = page.getByTestId('share-dialog');
      await expect(dialog.getByTestId('share-link')).not.toHaveCount(0);
      await expectAccessible(page, `the Share dialog (${colorScheme})`, { exclude: FRAME });
      await page.keyboard.press('Escape');
      await expect(dialog).not.toBeVisible();

      const history = new HistoryPanel(page);
      await history.open();
      await history.saveVersion('Before the trip');
      await history.version('Before the trip').click();
      await expect(history.diff).toBeVisible();
      await expectAccessible(page, `the version history (${colorScheme})`, { exclude: FRAME });
      await history.close();
      await expect(doc.content).toBeVisible();
    });

    test('document page at phone width (390 px), Split', async ({
      openContext,
      docPath,
      secured,
    }) => {
      const page = await openPage(openContext, PHONE);
      const doc = await openFilledDoc(page, docPath, secured);
      const preview = new PreviewPane(doc);
      await showMode(preview, 'Split');
      await expectDocPageAccessible(page, `the document page at 390 px (${colorScheme})`);
    });
  });
}

/** The page without the preview frame, then the frame's document (when shown) on its own. */
async function expectDocPageAccessible(page: Page, where: string): Promise<void> {
  await expectAccessible(page, where, { exclude: FRAME });
  if ((await page.locator(FRAME).count()) > 0) {
    await expectFrameAccessible(page, FRAME, `the preview in ${where}`);
  }
}

/** Switch to `mode` and wait until what it shows is there (the preview rendered). */
async function showMode(preview: PreviewPane, mode: ViewModeName): Promise<void> {
  await preview.setMode(mode);
  await expect(preview.user.page.getByTestId('workspace')).toHaveAttribute(
    'data-mode',
    mode.toLowerCase(),
  );
  if (mode === 'Edit') {
    await expect(preview.pane).toHaveCount(0);
    return;
  }
  await preview.waitForRendered('Prices from last year.');
  await expect(preview.outline.getByRole('button', { name: 'Budget' })).toBeVisible();
}
