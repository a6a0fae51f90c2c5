/**
 * The document header as a new user meets it: at phone width (390 px) in light and dark mode
 * nothing scrolls sideways and every header control is whole; a malformed document link is a
 * 404, not a server error; and a markdown document nobody titled is named after its first
 * heading (header, tab, recent documents, download) until someone types a title.
 *
 * Runs on a relay with a secret so the Share button (shown only for share tokens) is there.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  test as base,
  expect,
  type Locator,
  type Page,
} from '@playwright/test';
import { generateRoomId } from '../lib/room-id';
import { generateLinkId, signToken } from '../lib/token';
import { DocPage } from './pages/doc-page';
import { HomePage } from './pages/home-page';
import { REPO_ROOT, Stack } from './support/stack';

const SECRET = 'e2e-header-secret';
const PHONE = { width: 390, height: 844 } as const;
const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'phone-width');

const test = base.extend<
  {
    /** A new browser context (closed after the test) with an editor's link to a fresh doc. */
    openContext: (options?: Parameters<Browser['newContext']>[0]) => Promise<BrowserContext>;
    docPath: string;
  },
  { secured: Stack }
>({
  secured: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern here.
    async ({}, use, workerInfo) => {
      const stack = await Stack.start(`header-w${workerInfo.workerIndex}`, ['--secret', SECRET]);
      await use(stack);
      await stack.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  baseURL: async ({ secured }, use) => use(secured.appUrl),

  // biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern here.
  docPath: async ({}, use) => {
    const room = generateRoomId();
    const token = await signToken(SECRET, { room, role: 'edit', linkId: generateLinkId() });
    await use(`/d/${room}?t=${token}`);
  },

  openContext: async ({ browser, secured }, use) => {
    const contexts: BrowserContext[] = [];
    const errors: string[] = [];
    await use(async (options = {}) => {
      const context = await browser.newContext({ baseURL: secured.appUrl, ...options });
      context.on('weberror', (error) => errors.push(String(error.error().stack)));
      contexts.push(context);
      return context;
    });
    await Promise.all(contexts.map((context) => context.close()));
    expect(errors, 'uncaught errors in the app').toEqual([]);
  },
});

async function openDoc(context: BrowserContext, secured: Stack, path: string): Promise<DocPage> {
  const page = await context.newPage();
  const user = new DocPage(page, 'alice', { context, link: secured.link, tag: 'header' });
  await user.open(path);
  return user;
}

/** Fails when the page is wider than the viewport (it would scroll sideways). */
async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, 'page scroll width').toBeLessThanOrEqual(clientWidth);
}

/** The element's box lies wholly inside the viewport. */
async function expectFullyVisible(locator: Locator, viewportWidth: number): Promise<void> {
  await expect(locator).toBeVisible();
  const box = await locator.boundingBox();
  if (!box) throw new Error('no bounding box');
  expect(box.x, 'left edge').toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, 'right edge').toBeLessThanOrEqual(viewportWidth);
}

/** The select is wide enough for its current label plus its arrow (not a bare arrow). */
async function expectLabelFits(select: Locator): Promise<void> {
  const { needed, width } = await select.evaluate((element: HTMLSelectElement) => {
    const style = getComputedStyle(element);
    const context = document.createElement('canvas').getContext('2d');
    if (!context) throw new Error('no canvas');
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const label = element.selectedOptions[0]?.textContent ?? '';
    const padding = Number.parseFloat(style.paddingLeft) + Number.parseFloat(style.paddingRight);
    // The arrow takes about 20 px in Chromium.
    return { needed: context.measureText(label).width + padding + 20, width: element.clientWidth };
  });
  expect(width, 'language picker width').toBeGreaterThanOrEqual(needed);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`at phone width (${colorScheme}) the home and document pages fit the screen`, async ({
    openContext,
    secured,
    docPath,
  }) => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const context = await openContext({
      viewport: PHONE,
      colorScheme,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const doc = await openDoc(context, secured, docPath);
    // A heading longer than the screen becomes the (derived) title in the header.
    const heading = 'Notes from the planning meeting, with a title longer than a phone is wide';
    await doc.typeAtEnd(`# ${heading}`);
    await expect(doc.title).toHaveAttribute('placeholder', heading);

    await expectNoHorizontalOverflow(doc.page);
    await expectFullyVisible(doc.page.getByTestId('share-button'), PHONE.width);
    await expectFullyVisible(doc.language, PHONE.width);
    await expectLabelFits(doc.language);
    for (const name of ['Download', 'Copy link', 'Share']) {
      await expectFullyVisible(doc.page.getByRole('button', { name, exact: true }), PHONE.width);
    }
    await expectFullyVisible(doc.title, PHONE.width);
    await doc.page.screenshot({ path: join(SCREENSHOT_DIR, `document-${colorScheme}.png`) });

    const home = new HomePage(doc.page);
    await home.goto();
    await expect(home.recentDocs.first()).toBeVisible();
    await expectNoHorizontalOverflow(home.page);
    await expectFullyVisible(home.newDocument, PHONE.width);
    await home.page.screenshot({ path: join(SCREENSHOT_DIR, `home-${colorScheme}.png`) });
  });
}

test('a document link with a malformed percent escape is a 404 page', async ({ request }) => {
  for (const path of ['/d/%%%bad', '/d/%E0%A4%A', '/d/%%%bad?t=x']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
    expect(await response.text(), path).toContain('Document not found');
  }
  expect((await request.get('/d/bad%20room')).status()).toBe(404);
});

test('an untitled document is named after its first heading until someone types a title', async ({
  openContext,
  secured,
  docPath,
}) => {
  const context = await openContext();
  const doc = await openDoc(context, secured, docPath);
  await expect(doc.page).toHaveTitle('Untitled · coedit');

  await doc.typeAtEnd('```\n# Not this one\n```\n\n# Meeting notes\n\nAgenda first.');
  await expect(doc.page).toHaveTitle('Meeting notes · coedit');
  await expect(doc.title).toHaveValue('');
  await expect(doc.title).toHaveAttribute('placeholder', 'Meeting notes');
  expect(await download(doc.page)).toBe('Meeting notes.md');

  const home = new HomePage(await context.newPage());
  await home.goto();
  await expect(home.recentDocs.first()).toContainText('Meeting notes');

  await doc.title.fill('Agenda');
  await expect(doc.page).toHaveTitle('Agenda · coedit');
  expect(await download(doc.page)).toBe('Agenda.md');
  await home.page.reload();
  await expect(home.recentDocs.first()).toContainText('Agenda');

  // Clearing the explicit title gives the heading back.
  await doc.title.fill('');
  await expect(doc.page).toHaveTitle('Meeting notes · coedit');
});

async function download(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Download' }).click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'Markdown (.md)' }).click(),
  ]);
  return file.suggestedFilename();
}
