/**
 * The markdown preview with two people: Split is the default on a wide screen; what one writes
 * (a heading, a table, math, a task list) shows rendered in the other's sandboxed preview; a task
 * checkbox clicked in the preview toggles `[ ]`/`[x]` in everyone's source, also when two people
 * click at once; the mode is remembered; the outline moves both panes to a heading.
 */
import { expect, test } from './fixtures';
import { PreviewPane } from './pages/preview-pane';
import { waitForConvergence } from './support/converge';

const BODY = [
  '',
  '',
  '| Fruit | Count |',
  '|---|---|',
  '| apple | 3 |',
  '',
  'Area: $x^2$',
  '',
  '- [ ] first',
  '- [ ] second',
  '- [ ] third',
  '',
].join('\n');
/** 0-based source lines of the three tasks in `# Plan` + BODY. */
const TASK_LINES = [8, 9, 10] as const;

test('two users co-edit in Split mode and toggle tasks from the preview', async ({
  alice,
  bob,
}) => {
  const alicePreview = new PreviewPane(alice);
  const bobPreview = new PreviewPane(bob);
  await expect(alicePreview.modeRadio('Split')).toBeChecked();
  await expect(bobPreview.modeRadio('Split')).toBeChecked();

  // A heading typed key by key, the rest pasted.
  await alice.typeAtEnd('# Plan');
  await alice.insertAtEnd(BODY);
  await bob.waitForText({ contains: '- [ ] third' });

  await expect(bobPreview.root.locator('h1#h-plan')).toHaveText('Plan', { timeout: 15_000 });
  await expect(bobPreview.root.locator('table th')).toHaveText(['Fruit', 'Count']);
  await expect(bobPreview.root.locator('table td')).toHaveText(['apple', '3']);
  await expect(bobPreview.root.locator('.katex')).toHaveCount(1);
  for (const line of TASK_LINES) await expect(bobPreview.taskCheckbox(line)).not.toBeChecked();
  await expect(bobPreview.outline.getByRole('button', { name: 'Plan' })).toBeVisible();

  // Bob ticks the first task in his preview: Alice's source says [x], both previews agree.
  await bobPreview.taskCheckbox(TASK_LINES[0]).click();
  await alice.waitForText({ contains: '- [x] first' });
  await expect(alicePreview.taskCheckbox(TASK_LINES[0])).toBeChecked({ timeout: 15_000 });
  await expect(bobPreview.taskCheckbox(TASK_LINES[0])).toBeChecked();

  // Both tick at once, different boxes: both edits land, everyone converges.
  await Promise.all([
    alicePreview.taskCheckbox(TASK_LINES[1]).click(),
    bobPreview.taskCheckbox(TASK_LINES[2]).click(),
  ]);
  const text = await waitForConvergence(
    [alice, bob],
    (t) => t.includes('- [x] second') && t.includes('- [x] third'),
  );
  expect(text).toContain('- [x] first');
  for (const preview of [alicePreview, bobPreview]) {
    for (const line of TASK_LINES) {
      await expect(preview.taskCheckbox(line)).toBeChecked({ timeout: 15_000 });
    }
  }

  // Unticking works the same way, and the toggle is in Alice's undo history.
  await alicePreview.taskCheckbox(TASK_LINES[0]).click();
  await bob.waitForText({ contains: '- [ ] first' });
  await alice.undo();
  await bob.waitForText({ contains: '- [x] first' });

  const renderMs = await bobPreview.lastRenderMs();
  console.log(`preview: last change-to-frame render took ${renderMs} ms`);
});

test('the mode is remembered, and the outline moves both panes', async ({ alice }) => {
  const preview = new PreviewPane(alice);
  const lines = Array.from({ length: 80 }, (_, i) => `line ${i}`).join('\n\n');
  await alice.insertAtEnd(`# Top\n\n${lines}\n\n## Far down\n\n${lines}\n\nthe end\n`);
  await preview.waitForRendered('the end');

  // Outline: the heading comes to the top of the preview and the caret to its source line.
  await preview.outline.getByRole('button', { name: 'Far down' }).click();
  await expect
    .poll(() => alice.page.evaluate(() => document.activeElement?.textContent ?? ''))
    .toBe('Far down');
  const headingTop = () =>
    preview.root.locator('#h-far-down').evaluate((h) => h.getBoundingClientRect().top);
  await expect.poll(headingTop).toBeLessThan(40);
  await expect(alice.editor.locator('.cm-activeLine')).toHaveText('## Far down');

  // View hides the editor, Edit hides the preview; the choice survives a reload.
  await preview.setMode('View');
  await expect(alice.editor).toBeHidden();
  await expect(preview.frameElement).toBeVisible();
  await preview.setMode('Edit');
  await expect(preview.pane).toHaveCount(0);
  await alice.page.reload();
  await alice.waitUntilReady();
  await expect(preview.modeRadio('Edit')).toBeChecked();
  await expect(preview.pane).toHaveCount(0);

  // The switch is one tab stop with arrow keys, like any radio group.
  await preview.modeRadio('Edit').focus();
  await alice.page.keyboard.press('ArrowRight');
  await expect(preview.modeRadio('Split')).toBeChecked();
  await expect(preview.frameElement).toBeVisible();
  await preview.waitForRendered('the end');
});

test('scroll sync follows both panes until it is turned off', async ({ alice }) => {
  const preview = new PreviewPane(alice);
  const paragraphs = Array.from({ length: 150 }, (_, i) => `para ${i}`).join('\n\n');
  await alice.insertAtEnd(`[a link](https://example.com/)\n\n${paragraphs}\n`);
  await preview.waitForRendered('para 149');

  // Links leave the frame for a new tab, without an opener or a referrer.
  const link = preview.root.getByRole('link', { name: 'a link' });
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);

  /** The number of the first "para N" at the top of the editor / of the preview. */
  const editorTop = () =>
    alice.editor.locator('.cm-scroller').evaluate((scroller) => {
      const top = scroller.getBoundingClientRect().top;
      const lines = [...scroller.querySelectorAll('.cm-line')];
      const line = lines.find(
        (l) => l.getBoundingClientRect().bottom > top + 2 && /^para/.test(l.textContent ?? ''),
      );
      return Number(line?.textContent?.slice(5) ?? -1);
    });
  const previewTop = () =>
    preview.root.evaluate((root) => {
      const paragraph = [...root.querySelectorAll('p')].find(
        (p) => p.getBoundingClientRect().bottom > 2 && /^para/.test(p.textContent ?? ''),
      );
      return Number(paragraph?.textContent?.slice(5) ?? -1);
    });
  const scroller = alice.editor.locator('.cm-scroller');

  // Editor → preview.
  await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight / 2));
  await expect.poll(previewTop).toBeGreaterThan(30);
  await expect
    .poll(async () => Math.abs((await previewTop()) - (await editorTop())))
    .toBeLessThan(3);

  // Preview → editor.
  await preview.root.evaluate(() => window.scrollTo(0, 0));
  await expect.poll(editorTop).toBeLessThan(5);

  // Off: the preview stays where it is while the editor moves.
  await preview.scrollSync.uncheck();
  const before = await previewTop();
  await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await expect.poll(editorTop).toBeGreaterThan(100);
  await alice.page.waitForTimeout(500);
  expect(await previewTop()).toBe(before);
});
