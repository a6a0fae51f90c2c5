import { type BrowserContext, test as base, expect } from '@playwright/test';
import { generateRoomId } from '../../lib/room-id';
import { generateLinkId, signToken } from '../../lib/token';
import { DocPage } from '../pages/doc-page';
import { Stack } from './stack';

const SECRET = 'e2e-secured-secret';

/**
 * Tests on a deployment with a secret, as in production: the relay wants a token, "New document"
 * hands the creator an edit link, and editors see the Share dialog. One stack per worker.
 */
export const securedTest = base.extend<
  {
    /** A new browser context (closed after the test; uncaught page errors fail the test). */
    openContext: () => Promise<BrowserContext>;
    /** `/d/<fresh room>?t=<edit token>`. */
    docPath: string;
  },
  { secured: Stack }
>({
  secured: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern here.
    async ({}, use, workerInfo) => {
      const stack = await Stack.start(`secured-w${workerInfo.workerIndex}`, ['--secret', SECRET], {
        COEDIT_SECRET: SECRET,
      });
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
    await use(async () => {
      const context = await browser.newContext({
        baseURL: secured.appUrl,
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      context.on('weberror', (error) => errors.push(String(error.error().stack)));
      contexts.push(context);
      return context;
    });
    await Promise.all(contexts.map((context) => context.close()));
    expect(errors, 'uncaught errors in the app').toEqual([]);
  },
});

/** A DocPage for a page of `context` (not yet on a document). */
export function docPageIn(context: BrowserContext, page: DocPage['page'], stack: Stack): DocPage {
  return new DocPage(page, 'alice', { context, link: stack.link, tag: 'secured' });
}
