/**
 * Multi-user fixtures. A test asks for named users; each is a separate browser context (own
 * cookies, IndexedDB, network) with one tab already on the test's document and its display name
 * set. Example:
 *
 * ```ts
 * import { expect, test } from './fixtures';
 *
 * test('bob sees what alice types', async ({ alice, bob }) => {
 *   await alice.typeAtEnd('hello');
 *   await bob.waitForText('hello');
 * });
 *
 * test('five people', async ({ users }) => {
 *   const people = await users(5); // alice, bob, carol, dave, erin
 * });
 *
 * test('late joiner', async ({ alice, join }) => {
 *   const carol = await join('carol'); // same document, joins now
 * });
 * ```
 */
import { type BrowserContext, test as base, expect } from '@playwright/test';
import { generateRoomId } from '../lib/room-id';
import { DocPage } from './pages/doc-page';
import { LINK_TAG_HEADER } from './support/network-link';
import { Stack } from './support/stack';

export { expect };

/** Names handed out by `users(n)`, in order. */
export const USER_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];

export interface JoinOptions {
  /** Document to open; defaults to the test's `room`. */
  readonly room?: string;
  /** Open this URL or path instead (e.g. a copied link). */
  readonly url?: string;
}

interface TestFixtures {
  /** Option: give this test its own relay + app (for tests that stop or restart the relay). */
  ownStack: boolean;
  /** The relay, network link and app this test talks to. */
  stack: Stack;
  /** A fresh document id for this test. */
  room: string;
  /** Open a new user (own browser context) named `name` on a document. */
  join: (name: string, options?: JoinOptions) => Promise<DocPage>;
  /** `count` users named from {@link USER_NAMES}, all on `room`, opened in parallel. */
  users: (count: number) => Promise<DocPage[]>;
  alice: DocPage;
  bob: DocPage;
}

interface WorkerFixtures {
  sharedStack: Stack;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  sharedStack: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern here.
    async ({}, use, workerInfo) => {
      const stack = await Stack.start(`w${workerInfo.workerIndex}`);
      await use(stack);
      await stack.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  ownStack: [false, { option: true }],

  stack: async ({ ownStack, sharedStack }, use, testInfo) => {
    if (!ownStack) return use(sharedStack);
    const stack = await Stack.start(`w${testInfo.workerIndex}-t${testInfo.testId.slice(-8)}`);
    try {
      await use(stack);
    } finally {
      await stack.stop();
    }
  },

  baseURL: async ({ stack }, use) => use(stack.appUrl),

  // biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern here.
  room: async ({}, use) => use(generateRoomId()),

  join: async ({ browser, stack, room }, use, testInfo) => {
    const contexts: BrowserContext[] = [];
    const pageErrors: string[] = [];
    const consoleLines: string[] = [];
    await use(async (name, options = {}) => {
      // The tag lets the network link find this user's connections (see goOffline).
      const tag = `${testInfo.testId}/${name}/${contexts.length}`;
      const context = await browser.newContext({
        baseURL: stack.appUrl,
        permissions: ['clipboard-read', 'clipboard-write'],
        extraHTTPHeaders: { [LINK_TAG_HEADER]: tag },
      });
      contexts.push(context);
      context.on('weberror', (error) => pageErrors.push(`${name}: ${error.error().stack}`));
      context.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          consoleLines.push(`${name} [${message.type()}] ${message.text()}`);
        }
      });
      const user = new DocPage(await context.newPage(), name, { context, link: stack.link, tag });
      await user.open(options.url ?? `/d/${options.room ?? room}`);
      await user.setName(name);
      return user;
    });
    await Promise.all(contexts.map((context) => context.close()));
    // Browser console errors are expected when the network drops; kept for failed tests only.
    if (testInfo.status !== testInfo.expectedStatus && consoleLines.length > 0) {
      await testInfo.attach('browser-console', { body: consoleLines.join('\n') });
    }
    if (process.env.E2E_PRINT_CONSOLE) for (const line of consoleLines) console.log(line);
    expect(pageErrors, 'uncaught errors in the app').toEqual([]);
  },

  users: async ({ join }, use) => {
    await use(async (count) => {
      if (count > USER_NAMES.length) throw new Error(`at most ${USER_NAMES.length} users`);
      return Promise.all(USER_NAMES.slice(0, count).map((name) => join(name)));
    });
  },

  alice: async ({ join }, use) => use(await join('alice')),
  bob: async ({ join }, use) => use(await join('bob')),
});
