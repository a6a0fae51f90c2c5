/**
 * Pathological markdown in a live split preview: 10,000 nested lists, 10,000 nested quotes, a
 * 5,000-row table, emphasis and link runs shaped for catastrophic backtracking, a 1 MB line.
 * Rendering happens in a worker, the frame gets only changed blocks and shows a notice for a
 * block too large to preview, and the editor's highlighting is bounded (markdown-bounds.ts), so
 * no update (the paste, a local keystroke, a remote keystroke) blocks either editor page's main
 * thread for more than 200 ms: measured with the Long Tasks API on both pages. The document
 * arrives as a paste event, as from Ctrl+V: Playwright's `insertText` would go through the
 * browser's contenteditable editing instead, quadratic in lines even on a bare CodeMirror.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { DocPage } from './pages/doc-page';
import { PreviewPane } from './pages/preview-pane';

// One case at a time, after every other spec (the 'blocking' project): timings, not throughput.
test.describe.configure({ mode: 'serial' });

/** The bound: no update may block the editor's main thread for longer. */
const MAX_BLOCKING_MS = 200;

const PATHOLOGICAL: Record<string, string> = {
  'nested lists': `${'- '.repeat(10_000)}deep\n`,
  'nested quotes': `${'>'.repeat(10_000)} deep\n`,
  'a 5,000-row table': [
    '| n | square | note |',
    '|---|---|---|',
    ...Array.from({ length: 5_000 }, (_, i) => `| ${i} | ${i * i} | *row* ${i} |`),
    '',
  ].join('\n'),
  'emphasis runs': `${'*a **b _c '.repeat(20_000)}\n`,
  'link runs': `${'[a]('.repeat(20_000)}${'[x'.repeat(20_000)}\n`,
  'a 1 MB line': `${'lorem ipsum '.repeat(83_000)}\n`,
};

declare global {
  interface Window {
    __longTasks?: number[];
  }
}

/** Start recording long tasks (≥ 50 ms) of `page`'s main thread from now on. */
async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks?.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
}

async function longestTask(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, ...(window.__longTasks ?? [])));
}

async function typeAndSeeRendered(writer: DocPage, readers: PreviewPane[], word: string) {
  await writer.typeAtEnd(`\n\n${word}`);
  for (const preview of readers) await preview.waitForRendered(word, 30_000);
}

for (const [name, source] of Object.entries(PATHOLOGICAL)) {
  test(`${name}: no update blocks an editor for over ${MAX_BLOCKING_MS} ms`, async ({
    alice,
    bob,
  }) => {
    test.setTimeout(180_000);
    const previews = [new PreviewPane(alice), new PreviewPane(bob)];
    for (const preview of previews) await expect(preview.modeRadio('Split')).toBeChecked();
    await Promise.all([recordLongTasks(alice.page), recordLongTasks(bob.page)]);

    await alice.pasteAtEnd(`${source}\nafter-paste\n`);
    for (const preview of previews) await preview.waitForRendered('after-paste', 60_000);
    const paste = [await longestTask(alice.page), await longestTask(bob.page)];

    await Promise.all([recordLongTasks(alice.page), recordLongTasks(bob.page)]);
    await typeAndSeeRendered(alice, previews, 'typedbyalice');
    await typeAndSeeRendered(bob, previews, 'typedbybob');
    const typing = [await longestTask(alice.page), await longestTask(bob.page)];

    console.log(
      `${name} (${(source.length / 1024).toFixed(0)} KiB): longest main-thread task ` +
        `alice/bob: paste ${paste.join('/')} ms, typing ${typing.join('/')} ms`,
    );
    for (const ms of [...paste, ...typing]) expect(ms).toBeLessThanOrEqual(MAX_BLOCKING_MS);
  });
}
