/**
 * The rendered document outside the live preview: the remembered mode is on the page before
 * React runs (no jump from Edit to the real mode), also after a client-side navigation,
 * Download's HTML page is a standalone, sanitized file, and the printable page (also from
 * Ctrl+P) prints just the document.
 */
import { readFile } from 'node:fs/promises';
import type { Route } from '@playwright/test';
import { expect, test } from './fixtures';
import { HomePage } from './pages/home-page';
import { PreviewPane, RENDER_TIMEOUT } from './pages/preview-pane';

/** Mermaid's first load (about 1 MB gzipped, then parsed) on a busy machine. */
const DIAGRAM_TIMEOUT = 60_000;

const DOC = [
  '# Quarterly <report>',
  '',
  'Revenue grew by $x^2$ percent.',
  '',
  '[bad](javascript:alert(1)) <img src=x onerror=alert(1)>',
  '',
  '```mermaid',
  'graph TD',
  '  A --> B',
  '```',
  '',
].join('\n');

test('the remembered mode is applied before the app’s scripts run', async ({ alice }) => {
  const workspace = alice.page.getByTestId('workspace');
  await expect(workspace).toHaveAttribute('data-mode', 'split');
  await alice.page.getByTestId('mode-switch').getByRole('radio', { name: 'View' }).check();
  await expect(workspace).toHaveAttribute('data-mode', 'view');

  // Hold every script chunk: what shows now is the server's HTML plus the inline mode script.
  const held: Route[] = [];
  let holding = true;
  await alice.page.route('**/_next/static/chunks/*.js', (route) =>
    holding ? held.push(route) : route.continue(),
  );
  await alice.page.reload({ waitUntil: 'domcontentloaded' });
  await expect(workspace).toHaveAttribute('data-mode', 'view');
  await expect(alice.page.getByTestId('preview-pane')).toBeVisible();
  await expect(alice.editor).toBeHidden();
  expect(held.length, 'the app had not started yet').toBeGreaterThan(0);
  holding = false;
  for (const route of held.splice(0)) await route.continue();
  await expect(alice.page.getByRole('radio', { name: 'View', exact: true })).toBeChecked({
    timeout: RENDER_TIMEOUT,
  });
  await expect(workspace).toHaveAttribute('data-mode', 'view');
});

test('after a client-side navigation the workspace shows the remembered mode from its first render', async ({
  alice,
}) => {
  const page = alice.page;
  // Every mode the workspace shows, in order, from the moment it is in the DOM ('none': no mode).
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { workspaceModes: seen });
    new MutationObserver(() => {
      const workspace = document.querySelector('[data-testid="workspace"]');
      const mode = workspace?.getAttribute('data-mode') ?? 'none';
      if (workspace && seen[seen.length - 1] !== mode) seen.push(mode);
    }).observe(document, { subtree: true, childList: true, attributeFilter: ['data-mode'] });
  });
  const modesSeen = () =>
    page.evaluate(() =>
      (window as unknown as { workspaceModes: string[] }).workspaceModes.splice(0),
    );
  const home = new HomePage(page);
  await home.goto();
  await home.createDocument(); // a server action's redirect: React renders the new page itself
  await alice.waitUntilReady();
  await expect(page.getByRole('radio', { name: 'Split', exact: true })).toBeChecked();
  expect(await modesSeen()).toEqual(['split']);

  await page.getByTestId('mode-switch').getByRole('radio', { name: 'View' }).check();
  await page.getByRole('link', { name: 'coedit home' }).click();
  await expect(home.recentDocs.first()).toBeVisible();
  await modesSeen();
  await home.recentDocs.first().click();
  await expect(page.getByRole('radio', { name: 'View', exact: true })).toBeChecked();
  await expect(page.getByTestId('preview-pane')).toBeVisible();
  expect(await modesSeen()).toEqual(['view']);
});

test('Download offers Markdown, a standalone HTML page and a printable page', async ({ alice }) => {
  await alice.insertAtEnd(DOC);
  await expect(alice.page).toHaveTitle('Quarterly <report> · coedit');
  // The open preview draws the diagram; the exports take its drawing.
  const drawn = new PreviewPane(alice).root.locator('.mermaid-diagram[data-diagram="rendered"]');
  await expect(drawn.locator('svg')).toHaveCount(1, { timeout: DIAGRAM_TIMEOUT });
  const downloadButton = alice.page.getByRole('button', { name: 'Download' });

  await downloadButton.click();
  await expect(alice.page.getByRole('menuitem')).toHaveText([
    'Markdown (.md)',
    'HTML page (.html)',
    'Print or save as PDF…',
  ]);
  await alice.page.keyboard.press('Escape');
  await expect(alice.page.getByRole('menu')).toHaveCount(0);
  await expect(downloadButton).toBeFocused();

  await downloadButton.click();
  const [download] = await Promise.all([
    alice.page.waitForEvent('download'),
    alice.page.getByRole('menuitem', { name: 'HTML page (.html)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('Quarterly report.html');
  const html = await readFile((await download.path()) ?? '', 'utf8');
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain('<title>Quarterly &lt;report&gt;</title>');
  expect(html).toContain('<h1 id="h-quarterly-report"');
  expect(html).toContain('class="katex"');
  expect(html).toContain('src:url(data:font/woff2;base64,'); // KaTeX's fonts travel with it
  expect(html).toMatch(/<div class="mermaid-diagram"[^>]*><svg /);
  expect(html).not.toContain('mermaid-source');
  // The hostile bits are text now: no script or link element, no handler, no javascript: URL.
  expect(html).not.toMatch(/<script|<link|<img|<[^>]*\son\w+=|(?:href|src)="\s*javascript:/i);
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');

  // The printable page: the document alone, and the hint is not printed.
  await downloadButton.click();
  const [printable] = await Promise.all([
    alice.context.waitForEvent('page'),
    alice.page.getByRole('menuitem', { name: 'Print or save as PDF…' }).click(),
  ]);
  await expect(printable.locator('main h1')).toHaveText('Quarterly <report>');
  await expect(printable).toHaveTitle('Quarterly <report>');
  await expect(printable.locator('header, iframe, .cm-editor, script')).toHaveCount(0);
  await expect(printable.locator('.print-hint')).toBeVisible();
  await printable.emulateMedia({ media: 'print' });
  await expect(printable.locator('.print-hint')).toBeHidden();
  await expect(printable.locator('main .katex')).toBeVisible();
  await expect(printable.locator('main .mermaid-diagram svg')).toBeVisible();
  // The formula is set in KaTeX's own fonts, from the file itself (its CSP allows no fetch).
  const loadedFonts = await printable.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((font) => font.status === 'loaded').map((f) => f.family);
  });
  expect(loadedFonts).toContain('KaTeX_Main');
  const pdf = await printable.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length).toBe(1);
  await printable.close();

  // Ctrl+P opens the same printable page instead of printing the app.
  await alice.content.click();
  const [shortcut] = await Promise.all([
    alice.context.waitForEvent('page'),
    alice.page.keyboard.press('Control+p'),
  ]);
  await expect(shortcut.locator('main h1')).toHaveText('Quarterly <report>');
  await shortcut.close();
});
