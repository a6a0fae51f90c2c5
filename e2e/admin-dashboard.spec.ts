/**
 * The live operations dashboard at /admin, on a relay with a secret: y-websocket clients in
 * this process make the load; the page, opened with an admin token, must show numbers that
 * move and agree with the relay's /metrics, and say so at once when the relay goes away and
 * comes back.
 */
import { type Browser, expect, type Page, test } from '@playwright/test';
import { generateRoomId } from '../lib/room-id';
import { generateLinkId, signAdminToken, signToken } from '../lib/token';
import { connectClient, type TestClient } from '../server/test/harness';
import { Stack } from './support/stack';

const SECRET = 'e2e-admin-dashboard-secret';

test.describe.configure({ mode: 'serial' });

let stack: Stack;
// biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern here.
test.beforeAll(async ({}, workerInfo) => {
  test.setTimeout(120_000);
  stack = await Stack.start(`admin-w${workerInfo.workerIndex}`, ['--secret', SECRET], {
    COEDIT_SECRET: SECRET,
  });
});
test.afterAll(() => stack?.stop());

const clients: TestClient[] = [];
test.afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

async function editors(room: string, count: number): Promise<TestClient[]> {
  const token = await signToken(SECRET, { room, role: 'edit', linkId: generateLinkId() });
  const made = Array.from({ length: count }, () => connectClient(stack.relay.url, room, { token }));
  clients.push(...made);
  await Promise.all(made.map((c) => c.synced()));
  return made;
}

/** One sample of the relay's /metrics, e.g. `relay_open_connections`. */
async function metric(sample: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${stack.relay.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  if (!line) throw new Error(`no ${sample} in /metrics`);
  return Number(line.slice(sample.length + 1));
}

/** /admin in a fresh browser context; `close` also checks the page threw nothing. */
async function openDashboard(
  browser: Browser,
  fragment = '',
): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL: stack.appUrl });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error.stack)));
  await page.goto(`/admin${fragment}`);
  return {
    page,
    async close() {
      await context.close();
      expect(errors, 'uncaught errors on the dashboard').toEqual([]);
    },
  };
}

const selfRow = (page: Page) => page.locator('tr[data-instance]').first();
const cellNumber = async (page: Page, cell: string) =>
  Number(await selfRow(page).locator(`[data-cell="${cell}"]`).textContent());

test('with the admin token, the numbers and charts move with the load and agree with /metrics', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const admin = await signAdminToken(SECRET, { linkId: 'dashboard' });
  const { page, close } = await openDashboard(browser, `#token=${admin}`);
  // The token left the address bar at once (kept for this tab only).
  await expect(page).toHaveURL(/\/admin$/);
  await expect(selfRow(page)).toHaveAttribute('data-health', 'ok');

  const room = generateRoomId();
  const [alice] = (await editors(room, 3)) as [TestClient, ...TestClient[]];
  let typed = 0;
  const typing = setInterval(() => alice.text.insert(alice.text.length, `${typed++} `), 40);
  try {
    // The busiest room is ours, with its three people, linked to its page.
    const row = page.locator(`tr[data-room="${room}"]`);
    await expect(row.locator('[data-cell="people"]')).toHaveText('3', { timeout: 15_000 });
    await expect(row.getByRole('link', { name: room })).toHaveAttribute('href', `/d/${room}`);
    await expect
      .poll(async () => Number(await row.locator('[data-cell="updates"]').textContent()))
      .toBeGreaterThan(0);

    // Connections: the page says what /metrics says.
    await expect
      .poll(async () => [
        await cellNumber(page, 'connections'),
        await metric('relay_open_connections'),
      ])
      .toEqual([3, 3]);
    await expect(page.getByTestId('current-connections')).toHaveText('3');

    // Updates: the total keeps moving, the rate chart draws more points, the rate is not zero.
    const before = await cellNumber(page, 'updates-total');
    await expect.poll(() => cellNumber(page, 'updates-total')).toBeGreaterThan(before + 10);
    await expect
      .poll(async () => Number(await page.getByTestId('current-updates-in').textContent()))
      .toBeGreaterThan(0);
    const plot = page.locator('[data-metric="updates-in"] [role="img"]');
    await expect(plot.locator('canvas')).toHaveCount(1);
    const points = Number(await plot.getAttribute('data-points'));
    await expect
      .poll(async () => Number(await plot.getAttribute('data-points')))
      .toBeGreaterThan(points);
  } finally {
    clearInterval(typing);
  }
  // Once typing stops, the page's total settles on exactly what /metrics counts.
  await expect
    .poll(async () => {
      const counted = await metric('relay_messages_in_total{type="sync-update"}');
      return (await cellNumber(page, 'updates-total')) === counted && counted > 0;
    })
    .toBe(true);
  await close();
});

test('the relay going away shows a banner at once; it reconnects by itself and the charts resume', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const admin = await signAdminToken(SECRET, { linkId: 'dashboard' });
  const { page, close } = await openDashboard(browser, `#token=${admin}`);
  await expect(selfRow(page)).toHaveAttribute('data-health', 'ok');
  const before = await selfRow(page).getAttribute('data-instance');

  await stack.relay.stop('SIGKILL');
  const banner = page.getByTestId('stream-banner');
  await expect(banner).toContainText('Relay unreachable', { timeout: 10_000 });
  await expect(selfRow(page)).toHaveAttribute('data-health', 'unreachable', { timeout: 10_000 });

  await stack.relay.start();
  // Backoff is capped at 10 s; the stream comes back with the restarted relay's history.
  await expect(banner).toHaveCount(0, { timeout: 20_000 });
  await expect(selfRow(page)).toHaveAttribute('data-health', 'ok');
  expect(await selfRow(page).getAttribute('data-instance')).not.toBe(before);
  const plot = page.locator('[data-metric="connections"] [role="img"]');
  const points = Number(await plot.getAttribute('data-points'));
  await expect
    .poll(async () => Number(await plot.getAttribute('data-points')))
    .toBeGreaterThan(points);
  await close();
});

test('without a token the relay refuses and the page says so; a share token is not enough', async ({
  browser,
}) => {
  const { page, close } = await openDashboard(browser);
  const banner = page.getByTestId('stream-banner');
  await expect(banner).toContainText('refused the token (401)');
  const room = generateRoomId();
  const share = await signToken(SECRET, { room, role: 'edit', linkId: generateLinkId() });
  await page.getByLabel('Admin token').fill(share);
  await page.getByRole('button', { name: 'Use' }).click();
  await expect(banner).toContainText('refused the token (403)');
  await page.getByLabel('Admin token set').fill(await signAdminToken(SECRET, { linkId: 'x' }));
  await page.getByRole('button', { name: 'Use' }).click();
  await expect(banner).toHaveCount(0);
  await expect(selfRow(page)).toHaveAttribute('data-health', 'ok');
  // Kept for this tab: a reload stays signed in, without the token in any URL.
  await page.reload();
  await expect(selfRow(page)).toHaveAttribute('data-health', 'ok');
  await close();
});
