/**
 * `npx tsx bench/preview/first-load-js.ts`: the JavaScript a document page loads, gzipped, as
 * Chromium fetches it from the production app (`E2E_APP_DIR=DIR` measures another build, e.g.
 * an older commit's). Two loads of a new document: in Edit mode (the page's first-load JS: the
 * preview is not shown) and in Split mode (plus what the preview loads lazily: its code, the
 * render worker and KaTeX). Each script body is gzipped here at zlib's default level, so the
 * figure does not depend on how the server compresses.
 */
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../e2e/support/chromium';
import { APP_DIR, Stack } from '../../e2e/support/stack';
import { generateRoomId } from '../../lib/room-id';

interface Loaded {
  readonly files: number;
  readonly rawBytes: number;
  readonly gzipBytes: number;
}

async function scriptsLoadedBy(page: Page, url: string, mode: 'edit' | 'split'): Promise<Loaded> {
  const bodies = new Map<string, Promise<Buffer>>();
  page.on('response', (response) => {
    const type = response.request().resourceType();
    const isScript = type === 'script' || /\.m?js(\?|$)/.test(new URL(response.url()).pathname);
    if (isScript && response.ok()) bodies.set(response.url(), response.body());
  });
  await page.addInitScript((chosen) => localStorage.setItem('coedit:view-mode', chosen), mode);
  await page.goto(url);
  await page.locator('.cm-content[contenteditable="true"]').waitFor({ timeout: 60_000 });
  // A build from before the preview has no mode switch: its Split load is an ordinary one.
  if (mode === 'split' && (await page.getByTestId('mode-switch').count()) > 0) {
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>('[data-testid="preview-frame"]')?.dataset.renderedSeq,
      null,
      { timeout: 60_000 },
    );
  }
  await page.waitForLoadState('networkidle');
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const body of await Promise.all(bodies.values())) {
    rawBytes += body.length;
    gzipBytes += gzipSync(body).length;
  }
  return { files: bodies.size, rawBytes, gzipBytes };
}

async function main(): Promise<void> {
  const stack = await Stack.start('first-load-js');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_EXECUTABLE,
    args: [...CHROMIUM_ARGS],
  });
  try {
    console.log(`app build: ${APP_DIR}`);
    for (const mode of ['edit', 'split'] as const) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const loaded = await scriptsLoadedBy(page, `${stack.appUrl}/d/${generateRoomId()}`, mode);
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
      console.log(
        `${mode.padEnd(5)} mode: ${loaded.files} scripts, ${kb(loaded.rawBytes)} raw, ${kb(loaded.gzipBytes)} gzipped`,
      );
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
