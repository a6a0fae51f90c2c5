/**
 * Fixtures for specs on a relay started with a secret, whose users arrive through signed links
 * (edit or view), as in production. One relay + app per worker (`secured`), a fresh room per
 * test, and `open(name, role)`: a user in a context of their own on that room's link.
 */
import { type Browser, type BrowserContext, test as base, expect } from '@playwright/test';
import { generateRoomId } from '../../lib/room-id';
import { generateLinkId, type Role, signToken } from '../../lib/token';
import { DocPage, LOAD_TIMEOUT } from '../pages/doc-page';
import { LINK_TAG_HEADER } from './network-link';
import { Stack } from './stack';

export interface TokenLinkFixtures {
  readonly room: string;
  readonly open: (name: string, role: Role) => Promise<DocPage>;
}

export interface TokenLinkOptions {
  /** More relay flags (the secret is always set). */
  readonly relayArgs?: readonly string[];
  /** Tag every request, so `goOffline` can cut this user's relay connections (see openAs). */
  readonly tagRequests?: boolean;
}

/** A test function whose relay has `secret`; `name` tells the workers' stacks apart. */
export function tokenLinkTest(name: string, secret: string, options: TokenLinkOptions = {}) {
  const { relayArgs = [], tagRequests = false } = options;
  return base.extend<TokenLinkFixtures, { secured: Stack }>({
    secured: [
      // biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern here.
      async ({}, use, workerInfo) => {
        const stack = await Stack.start(`${name}-w${workerInfo.workerIndex}`, [
          '--secret',
          secret,
          ...relayArgs,
        ]);
        await use(stack);
        await stack.stop();
      },
      { scope: 'worker', timeout: 120_000 },
    ],

    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern here.
    room: async ({}, use) => use(generateRoomId()),

    open: async ({ browser, secured, room }, use, testInfo) => {
      const contexts: BrowserContext[] = [];
      await use(async (user, role) => {
        const token = await signToken(secret, { room, role, linkId: generateLinkId() });
        const tag = `${testInfo.testId}/${user}`;
        const page = await openAs(browser, secured, contexts, tag, user, { tagRequests });
        await page.page.goto(`/d/${room}?t=${token}`);
        await expect(page.connection).toHaveAttribute('data-status', 'connected', {
          timeout: LOAD_TIMEOUT,
        });
        await page.page.waitForFunction(() => typeof window.__coeditText === 'function');
        await page.setName(user);
        return page;
      });
      await Promise.all(contexts.map((context) => context.close()));
    },
  });
}

/**
 * A user `name` in a new context of `browser` on `stack`'s app (not yet on a document); the
 * caller closes `contexts`. With `tagRequests`, every request carries the tag header, which lets
 * the network link drop this user's relay connections; it also makes the page's own fetches to
 * the relay cross-origin requests with a custom header, so only specs that go offline use it.
 */
export async function openAs(
  browser: Browser,
  stack: Stack,
  contexts: BrowserContext[],
  tag: string,
  name: string,
  { tagRequests = false }: { readonly tagRequests?: boolean } = {},
): Promise<DocPage> {
  const context = await browser.newContext({
    baseURL: stack.appUrl,
    permissions: ['clipboard-read', 'clipboard-write'],
    ...(tagRequests ? { extraHTTPHeaders: { [LINK_TAG_HEADER]: tag } } : {}),
  });
  contexts.push(context);
  return new DocPage(await context.newPage(), name, { context, link: stack.link, tag });
}
