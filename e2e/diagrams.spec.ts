/**
 * Mermaid diagrams in the live preview: a flowchart one user writes is drawn (an <svg> in the
 * sandboxed frame) for them and for a remote co-editor; typing elsewhere keeps the drawn diagram
 * (the same element, not redrawn); a diagram that does not parse shows a readable error; and a
 * document without a diagram never requests Mermaid's bundle, which a diagram then does.
 */
import type { Frame, Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { PreviewPane, RENDER_TIMEOUT } from './pages/preview-pane';

/** Mermaid's bundle, a static asset of the build (frame-document.ts). */
const MERMAID_ASSET = '/_next/static/media/mermaid.min.';
/** Mermaid's first load (about 1 MB gzipped, then parsed) on a busy machine. */
const DIAGRAM_TIMEOUT = 60_000;

const FLOWCHART = ['```mermaid', 'graph TD', '  Start --> Stop', '```'].join('\n');

declare global {
  interface Window {
    __firstDiagram?: Element | null;
  }
}

async function previewFrame(page: Page): Promise<Frame> {
  const frame = await (await page.getByTestId('preview-frame').elementHandle())?.contentFrame();
  if (!frame) throw new Error('no preview frame');
  return frame;
}

test('a flowchart is drawn for both users and is not redrawn by edits elsewhere', async ({
  alice,
  bob,
}) => {
  const alicePreview = new PreviewPane(alice);
  const bobPreview = new PreviewPane(bob);
  await alice.insertAtEnd(`# Flow\n\n${FLOWCHART}\n\nafter\n`);

  for (const preview of [alicePreview, bobPreview]) {
    const drawn = preview.root.locator('.mermaid-diagram[data-diagram="rendered"] > svg');
    await expect(drawn).toHaveCount(1, { timeout: DIAGRAM_TIMEOUT });
    await expect(drawn.locator('text', { hasText: 'Start' }).first()).toBeVisible();
    await expect(preview.root.locator('pre.mermaid-source')).toHaveCount(0);
  }

  const bobFrame = await previewFrame(bob.page);
  await bobFrame.evaluate(() => {
    window.__firstDiagram = document.querySelector('.mermaid-diagram svg');
  });
  await alice.insertAtEnd('\nTyped below the diagram.\n');
  await bobPreview.waitForRendered('Typed below the diagram.');
  expect(
    await bobFrame.evaluate(
      () =>
        window.__firstDiagram != null &&
        document.querySelector('.mermaid-diagram svg') === window.__firstDiagram,
    ),
    'the unchanged diagram kept its drawing',
  ).toBe(true);

  // Bob breaks the diagram: both see an error box with the source, not a crash.
  await bob.insertAtEnd('\n```mermaid\ngraph TD\n  A --> \n```\n\nend of doc\n');
  for (const preview of [alicePreview, bobPreview]) {
    await preview.waitForRendered('end of doc');
    const error = preview.root.locator('.mermaid-diagram[data-diagram="error"] .mermaid-error');
    await expect(error).toContainText('This diagram could not be drawn', {
      timeout: DIAGRAM_TIMEOUT,
    });
    await expect(preview.root.locator('.mermaid-diagram[data-diagram="rendered"]')).toHaveCount(1);
  }
});

test('a document without a diagram never requests Mermaid; one with a diagram does', async ({
  alice,
}) => {
  const preview = new PreviewPane(alice);
  const requests: string[] = [];
  const onRequest = (request: Request) => {
    if (request.url().includes(MERMAID_ASSET)) requests.push(request.url());
  };
  alice.context.on('request', onRequest);
  await alice.reload();
  await alice.insertAtEnd(
    '# No diagrams\n\nMath $x^2$ and code:\n\n```js\nlet a = 1;\n```\n\ndone\n',
  );
  await preview.waitForRendered('done', RENDER_TIMEOUT);
  await expect(preview.root.locator('.katex')).toHaveCount(1);
  expect(requests, 'Mermaid requested without a diagram').toEqual([]);

  const [response] = await Promise.all([
    alice.page.waitForResponse((r) => r.url().includes(MERMAID_ASSET), {
      timeout: DIAGRAM_TIMEOUT,
    }),
    alice.insertAtEnd(`\n${FLOWCHART}\n`),
  ]);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('javascript');
  await expect(preview.root.locator('.mermaid-diagram svg')).toHaveCount(1, {
    timeout: DIAGRAM_TIMEOUT,
  });
  expect(requests).toHaveLength(1);
  alice.context.off('request', onRequest);
});
