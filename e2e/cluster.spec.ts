/**
 * Two relay instances fanning out through Redis, each with its own `next start`: alice's
 * browser talks to instance A, bob's to instance B, and they edit and see each other as if on
 * one relay. Each instance keeps its own sqlite file (it also stores what the other sends), so
 * this needs only the shared Redis (COEDIT_TEST_REDIS_URL, default 127.0.0.1:6379), under a
 * fresh channel prefix.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext } from '@playwright/test';
import { generateRoomId } from '../lib/room-id';
import { test } from './fixtures';
import { DocPage } from './pages/doc-page';
import { LINK_TAG_HEADER } from './support/network-link';
import { Stack } from './support/stack';

const REDIS_URL = process.env.COEDIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One relay instance (its own sqlite file) with its network link and its own app server. */
function startInstance(name: string, prefix: string): Promise<Stack> {
  return Stack.start(`cluster-${name}`, ['--redis', REDIS_URL, '--redis-prefix', prefix]);
}

test.describe('two relay instances on Redis', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });

  let a: Stack | undefined;
  let b: Stack | undefined;
  const contexts: BrowserContext[] = [];

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const prefix = `coedit-e2e-${randomBytes(6).toString('hex')}`;
    [a, b] = await Promise.all([startInstance('a', prefix), startInstance('b', prefix)]);
  });

  test.afterAll(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function openUser(browser: Browser, on: Stack, name: string, room: string) {
    const tag = `cluster/${name}/${contexts.length}`;
    const context = await browser.newContext({
      baseURL: on.appUrl,
      extraHTTPHeaders: { [LINK_TAG_HEADER]: tag },
    });
    contexts.push(context);
    const user = new DocPage(await context.newPage(), name, { context, link: on.link, tag });
    await user.open(`/d/${room}`);
    await user.setName(name);
    return user;
  }

  test('alice on instance A and bob on instance B edit together and see each other', async ({
    browser,
  }) => {
    if (!a || !b) throw new Error('instances did not start');
    const room = generateRoomId();
    const alice = await openUser(browser, a, 'alice', room);
    const bob = await openUser(browser, b, 'bob', room);

    await alice.waitForPresence(['alice', 'bob']);
    await bob.waitForPresence(['alice', 'bob']);

    await alice.typeAtEnd('Hello from A. ');
    await bob.waitForText({ contains: 'Hello from A. ' });
    await bob.typeAtEnd('Hi from B.');
    await alice.waitForText({ contains: 'Hi from B.' });
    await bob.waitForText(await alice.text());

    // Both at once, then compare: concurrent edits across instances converge. Each token goes in
    // as one edit: typed key by key, the two could interleave (a caret at the end moves past
    // the other's insert there), which converges just as well but splits the tokens.
    await Promise.all([alice.insertAtEnd(' [a]'), bob.insertAtEnd(' [b]')]);
    await alice.waitForText({ contains: '[b]' });
    await bob.waitForText({ contains: '[a]' });
    await bob.waitForText(await alice.text());
  });
});
