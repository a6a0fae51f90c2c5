/**
 * The whole markdown story in one scenario, as two people and a reader meet it: Alice and Bob,
 * on edit links, co-edit one document with the live Split preview; Alice writes a heading and a
 * formula, Bob adds a diagram, Alice pastes a picture; both previews show all of it, typeset,
 * drawn and loaded. Carol, on a view link, opens the rendered page.
 */
import { expect } from '@playwright/test';
import { png } from '../server/test/images';
import type { DocPage } from './pages/doc-page';
import { PreviewPane, RENDER_TIMEOUT } from './pages/preview-pane';
import { pasteFile } from './support/image-paste';
import { tokenLinkTest } from './support/token-links';

const test = tokenLinkTest('together', 'e2e-together-secret');

/** Mermaid's first load (about 1 MB gzipped, then parsed) on a busy machine. */
const DIAGRAM_TIMEOUT = 60_000;

/** Heading, formula, diagram and picture all shown in `user`'s preview. */
async function expectRenderedDocument(user: DocPage): Promise<void> {
  const { root } = new PreviewPane(user);
  await expect(root.locator('h1')).toHaveText('Field notes', { timeout: RENDER_TIMEOUT });
  await expect(root.locator('.katex').first()).toBeVisible({ timeout: RENDER_TIMEOUT });
  await expect(root.locator('.katex-mathml annotation')).toHaveText('E = mc^2');
  const diagram = root.locator('.mermaid-diagram[data-diagram="rendered"] > svg');
  await expect(diagram).toHaveCount(1, { timeout: DIAGRAM_TIMEOUT });
  await expect(diagram.locator('text', { hasText: 'Measure' }).first()).toBeVisible();
  const picture = root.locator('img[alt="sample"]');
  await picture.scrollIntoViewIfNeeded({ timeout: RENDER_TIMEOUT });
  await expect
    .poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
      timeout: RENDER_TIMEOUT,
    })
    .toBe(40);
}

test('two editors write math, a diagram and a picture together; a view link shows it rendered', async ({
  open,
}) => {
  const alice = await open('alice', 'edit');
  const bob = await open('bob', 'edit');
  for (const user of [alice, bob]) {
    await expect(user.page.getByTestId('workspace')).toHaveAttribute('data-mode', 'split');
  }

  await alice.insertAtEnd('# Field notes\n\nEnergy: $E = mc^2$\n\n');
  await bob.waitForText({ contains: '$E = mc^2$' });
  await bob.insertAtEnd('```mermaid\ngraph LR\n  Measure --> Record\n```\n\n');
  await alice.waitForText({ contains: 'Measure --> Record' });
  await alice.insertAtEnd('Sample: ');
  await pasteFile(alice, 'sample.png', 'image/png', png(40, 30, { noise: true, seed: 3 }));
  await bob.waitForText({ contains: '![sample](<' });
  expect(await alice.text()).toBe(await bob.text());

  await expectRenderedDocument(alice);
  await expectRenderedDocument(bob);

  const carol = await open('carol', 'view');
  await expect(carol.page.getByTestId('workspace')).toHaveAttribute('data-mode', 'view');
  await expect(carol.editor).toBeHidden();
  await expectRenderedDocument(carol);
});
