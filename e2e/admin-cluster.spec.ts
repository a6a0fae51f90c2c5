/**
 * The operations dashboard of a cluster: two relay instances on a private Redis, each with its
 * own app. The dashboard of either instance shows a line per instance; when Redis goes away the
 * page says so at a glance (this instance degraded, the other unreachable from here), and both
 * are back to ok once Redis is.
 */
import { randomBytes } from 'node:crypto';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { PrivateRedis } from '../server/cluster/redis-server.fixture';
import { Stack } from './support/stack';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let redis: PrivateRedis | undefined;
let a: Stack | undefined;
let b: Stack | undefined;
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  redis = await PrivateRedis.start();
  const prefix = `coedit-e2e-admin-${randomBytes(6).toString('hex')}`;
  const args = ['--redis', redis.url, '--redis-prefix', prefix];
  [a, b] = await Promise.all([
    Stack.start('admin-cluster-a', args),
    Stack.start('admin-cluster-b', args),
  ]);
});

test.afterAll(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.kill();
});

const rows = (page: Page) => page.locator('tr[data-instance]');
const rowsIn = (page: Page, health: string) =>
  page.locator(`tr[data-instance][data-health="${health}"]`);

test('each instance draws both, and a Redis outage shows as degraded, then ok again', async ({
  browser,
}) => {
  if (!a || !b || !redis) throw new Error('the cluster did not start');
  const pages: Page[] = [];
  for (const stack of [a, b]) {
    const context = await browser.newContext({ baseURL: stack.appUrl });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/admin');
    pages.push(page);
  }
  const [onA, onB] = pages as [Page, Page];
  for (const page of pages) {
    await expect(rows(page)).toHaveCount(2, { timeout: 20_000 });
    await expect(rowsIn(page, 'ok')).toHaveCount(2, { timeout: 20_000 });
  }
  // Both pages list the same two instances.
  const idsOf = async (page: Page) =>
    (await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-instance'))))
      .map(String)
      .sort();
  expect(await idsOf(onA)).toEqual(await idsOf(onB));

  await redis.kill();
  // This instance serves its own clients still, degraded; the other one's samples stop coming.
  const own = rows(onA).filter({ hasText: 'this relay' });
  await expect(own).toHaveAttribute('data-health', 'degraded', { timeout: 20_000 });
  await expect(rowsIn(onA, 'unreachable')).toHaveCount(1, { timeout: 20_000 });

  await redis.restart();
  await expect(rowsIn(onA, 'ok')).toHaveCount(2, { timeout: 30_000 });
  await expect(rowsIn(onB, 'ok')).toHaveCount(2, { timeout: 30_000 });
});
