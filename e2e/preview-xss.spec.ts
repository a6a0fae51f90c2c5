/**
 * Every payload of the hostile corpus (lib/markdown/hostile-corpus.ts) written into a document
 * open in two browsers: pasted into one user's editor (the local path) and rendered in the other
 * user's preview as it arrives through the relay (the remote path); batches alternate writers,
 * so both browsers take both paths. Nothing may run or escape the preview frame:
 * - no dialog in either page (a dialog handler fails the test),
 * - a canary: alert/confirm/prompt/print are wrapped in the page AND inside the preview frame to
 *   set `window.__pwned`, which must stay undefined in both,
 * - no navigation of the page or the frame, no popup, no request to evil.example,
 * - every Mermaid payload is really drawn by Mermaid (an <svg> in place of its source, no
 *   error box), so none is inert merely because it did not parse,
 * - no CSP violation, counted by a 'securitypolicyviolation' listener in the page and in the
 *   frame (the frame also reports its own count to the page, in `data-csp-violations`), with one
 *   exception: Mermaid parses label text as HTML in an inert document of the frame, and the
 *   frame's CSP reports the `onerror` of an `<img>` label there as a refused inline handler
 *   (`script-src-attr`). Without the CSP that handler does not run either (no image loads in an
 *   inert document); the canary in the frame proves nothing ran. Any other directive fails.
 * - the page outside the preview is unchanged: the element tree of <head> and <body> (tags and
 *   attribute names; the editor and preview skipped), the tab title, the app's globals.
 */
import type { Frame, Page } from '@playwright/test';
import { DIAGRAMS, HOSTILE_CORPUS } from '../lib/markdown/hostile-corpus';
import { expect, test } from './fixtures';
import type { DocPage } from './pages/doc-page';
import { PreviewPane } from './pages/preview-pane';

const BATCH_SIZE = 10;
/** Mermaid's first load and drawing of a batch's diagrams on a busy machine. */
const DIAGRAM_TIMEOUT = 60_000;

declare global {
  interface Window {
    __pwned?: string;
    __canaryInstalled?: boolean;
    __cspViolations?: number;
    __cspDirectives?: string[];
  }
}

/** Runs first in every document of the context, the preview's sandboxed frame included. */
function installCanary(): void {
  window.__cspViolations = 0;
  window.__cspDirectives = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations = (window.__cspViolations ?? 0) + 1;
    window.__cspDirectives?.push(event.effectiveDirective);
  });
  for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
    const original = window[name] as (...args: unknown[]) => unknown;
    Object.defineProperty(window, name, {
      value: function (this: unknown, ...args: unknown[]) {
        window.__pwned = name;
        return original.apply(this, args);
      },
    });
  }
  window.__canaryInstalled = true;
}

/** Tags and attribute names of head and body, skipping the editor's and preview's insides. */
function pageStructure(): string {
  const skipped = '[data-testid="editor"], [data-testid="preview-pane"]';
  const walk = (element: Element): string => {
    const attributes = [...element.attributes].map((a) => a.name).sort();
    const open = `<${element.localName} ${attributes.join(' ')}>`;
    if (element.matches(skipped)) return `${open}…`;
    const children = [...element.children].map(walk).join('');
    return `${open}${children}</${element.localName}>`;
  };
  return walk(document.head) + walk(document.body);
}

async function previewFrame(page: Page): Promise<Frame> {
  const handle = await page.getByTestId('preview-frame').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('no preview frame');
  return frame;
}

interface Watch {
  readonly user: DocPage;
  readonly preview: PreviewPane;
  readonly incidents: string[];
  structure: string;
}

async function watch(user: DocPage): Promise<Watch> {
  const incidents: string[] = [];
  const page = user.page;
  page.on('dialog', (dialog) => {
    incidents.push(`${user.name}: dialog "${dialog.message()}"`);
    void dialog.dismiss();
  });
  user.context.on('page', (popup) => incidents.push(`${user.name}: popup ${popup.url()}`));
  await user.context.route(/evil\.example|\/\/e\.x\//, (route) => {
    if (route.request().url().includes('evil.example')) {
      incidents.push(`${user.name}: request to ${route.request().url()}`);
    }
    return route.abort();
  });
  await user.context.addInitScript(installCanary);
  await user.reload();
  page.on('framenavigated', (frame) => {
    const isPage = frame === page.mainFrame();
    if (isPage || frame.url() !== 'about:srcdoc') {
      incidents.push(`${user.name}: ${isPage ? 'page' : 'frame'} navigated to ${frame.url()}`);
    }
  });
  return { user, preview: new PreviewPane(user), incidents, structure: '' };
}

async function expectInert(
  watched: Watch,
  title: string,
  /** Mermaid labels with HTML in them were drawn (see the CSP note at the top). */
  mermaidLabels: boolean,
): Promise<void> {
  const { user, preview, incidents } = watched;
  const page = user.page;
  expect(incidents, `${user.name}: incidents`).toEqual([]);
  expect(await page.evaluate(() => window.__pwned), `${user.name}: page canary`).toBeUndefined();
  expect(await page.evaluate(() => window.__cspViolations)).toBe(0);
  const frame = await previewFrame(page);
  expect(frame.url()).toBe('about:srcdoc');
  const inFrame = await frame.evaluate(() => [window.__canaryInstalled, window.__pwned]);
  expect(inFrame, `${user.name}: frame canary installed, not set`).toEqual([true, undefined]);
  const refused = await frame.evaluate(() => window.__cspDirectives ?? []);
  const allowed = mermaidLabels ? ['script-src-attr'] : [];
  expect(
    refused.filter((directive) => !allowed.includes(directive)),
    `${user.name}: CSP violations in the frame`,
  ).toEqual([]);
  const reported = await preview.frameElement.getAttribute('data-csp-violations');
  expect(Number(reported ?? 0), `${user.name}: violations the frame reported`).toBe(refused.length);
  await expect(preview.frameElement).toHaveAttribute(
    'sandbox',
    'allow-scripts allow-popups allow-popups-to-escape-sandbox',
  );
  expect(await page.evaluate(pageStructure), `${user.name}: page outside the preview`).toBe(
    watched.structure,
  );
  await expect(page).toHaveTitle(`${title} · coedit`);
  expect(page.url()).toContain('/d/');
  const globals = await page.evaluate(() => [
    typeof window.__coeditText,
    typeof document.getElementById,
    String(window.location.href === document.URL),
  ]);
  expect(globals).toEqual(['function', 'function', 'true']);
  await expect(page.locator('iframe')).toHaveCount(1);
  const outlineExtras = preview.outline.locator('*:not(ol):not(li):not(button):not(p)');
  await expect(outlineExtras).toHaveCount(0);
}

test('every payload of the hostile corpus is inert, typed locally and arriving remotely', async ({
  alice,
  bob,
}) => {
  test.setTimeout(240_000);
  expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(60);
  const watched = [await watch(alice), await watch(bob)];

  const batches = Math.ceil(HOSTILE_CORPUS.length / BATCH_SIZE);
  let mermaidLabels = false;
  for (let batch = 0; batch < batches; batch++) {
    const payloads = HOSTILE_CORPUS.slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE);
    const [writer, reader] = batch % 2 === 0 ? [alice, bob] : [bob, alice];
    const title = `XSS batch ${batch + 1}`;
    const end = `END-OF-BATCH-${batch + 1}`;

    // A fresh text for the batch: its own heading (hence title), then the snapshot.
    await writer.content.focus();
    await writer.page.keyboard.press('Control+a');
    await writer.page.keyboard.press('Delete');
    await writer.insertAtEnd(`# ${title}\n\nstart\n`);
    for (const w of watched) await w.preview.waitForRendered('start');
    for (const w of watched) {
      await expect(w.preview.root.locator('h1')).toHaveText(title);
      await expect(w.user.page).toHaveTitle(`${title} · coedit`);
      w.structure = await w.user.page.evaluate(pageStructure);
    }

    const body = payloads.map((payload) => payload.source).join('\n\n');
    await writer.insertAtEnd(`\n${body}\n\n${end}\n`);
    await reader.waitForText({ contains: end });
    for (const w of watched) await w.preview.waitForRendered(end);
    const diagrams = payloads.filter((payload) => DIAGRAMS.includes(payload)).length;
    for (const w of watched) {
      const drawn = w.preview.root.locator('.mermaid-diagram[data-diagram="rendered"] > svg');
      await expect(drawn, `${w.user.name}: diagrams drawn`).toHaveCount(diagrams, {
        timeout: DIAGRAM_TIMEOUT,
      });
      await expect(w.preview.root.locator('[data-diagram="error"]')).toHaveCount(0);
      await expect(w.preview.root.locator('pre.mermaid-source')).toHaveCount(0);
    }
    // Give anything asynchronous (image errors, timers, fonts) a moment to fire.
    await writer.page.waitForTimeout(300);
    // The frames' counts run over the whole test: once such labels came, they may be in them.
    mermaidLabels ||= payloads.some((p) => DIAGRAMS.includes(p) && p.source.includes('<img'));
    for (const w of watched) await expectInert(w, title, mermaidLabels);
  }
});
