/**
 * Two relay instances fanning out through Redis, each with its own `next start`: alice's
 * browser talks to instance A, bob's to instance B, and they edit and see each other as if on
 * one relay. Each instance keeps its own sqlite file (it also stores what the other sends), so
 * this needs only the shared Redis (COEDIT_TEST_REDIS_URL, default 127.0.0.1:6379), under a
 * fresh channel prefix.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from '@playwright/test';
import { generateRoomId } from '../lib/room-id';
import { test } from './fixtures';
import { DocPage } from './pages/doc-page';
import { App } from './support/app';
import { LINK_TAG_HEADER, NetworkLink } from './support/network-link';
import { type ServerProcess, startServer } from './support/process';
import { APP_DIR, REPO_ROOT } from './support/stack';

const REDIS_URL = process.env.COEDIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LOG_DIR = join(REPO_ROOT, 'test-results', 'server-logs');

/** One relay instance with its network link and its own app server. */
interface Instance {
  readonly relay: ServerProcess;
  readonly link: NetworkLink;
  readonly app: App;
}

async function startInstance(name: string, dir: string, prefix: string): Promise<Instance> {
  const relay = await startServer({
    label: `relay-${name}`,
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      join(REPO_ROOT, 'server', 'main.ts'),
      ...['--host', '127.0.0.1', '--port', '0'],
      ...['--storage', `sqlite:${join(dir, `${name}.db`)}`],
      ...['--redis', REDIS_URL, '--redis-prefix', prefix],
    ],
    cwd: REPO_ROOT,
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    logFile: join(LOG_DIR, `cluster-${name}-relay.log`),
    readyLine: (line) => /^relay listening on (ws:\/\/\S+)$/.exec(line.trim())?.[1],
  });
  const port = Number(new URL(relay.ready).port);
  const link = await NetworkLink.start(() => ({ host: '127.0.0.1', port }));
  const app = await App.start({
    cwd: APP_DIR,
    relayUrl: link.url,
    logFile: join(LOG_DIR, `cluster-${name}-app.log`),
  });
  return { relay, link, app };
}

async function stopInstance(instance: Instance | undefined): Promise<void> {
  if (!instance) return;
  await Promise.allSettled([instance.app.stop(), instance.relay.stop('SIGTERM')]);
  await instance.link.close();
}

test.describe('two relay instances on Redis', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });

  let dir = '';
  let a: Instance | undefined;
  let b: Instance | undefined;
  const contexts: BrowserContext[] = [];

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    dir = mkdtempSync(join(tmpdir(), 'coedit-e2e-cluster-'));
    const prefix = `coedit-e2e-${randomBytes(6).toString('hex')}`;
    [a, b] = await Promise.all([startInstance('a', dir, prefix), startInstance('b', dir, prefix)]);
  });

  test.afterAll(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    await Promise.all([stopInstance(a), stopInstance(b)]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function openUser(browser: Browser, on: Instance, name: string, room: string) {
    const tag = `cluster/${name}/${contexts.length}`;
    const context = await browser.newContext({
      baseURL: on.app.url,
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

    // Both at once, then compare: concurrent edits across instances converge.
    await Promise.all([alice.typeAtEnd(' [a]'), bob.typeAtEnd(' [b]')]);
    await alice.waitForText({ contains: '[b]' });
    await bob.waitForText({ contains: '[a]' });
    await bob.waitForText(await alice.text());
  });
});
