/**
 * Capability links end to end, on a relay started with a secret: a view link reads along live
 * but cannot type, opens rendered and cannot tick task checkboxes; revoking a link from the
 * Share dialog removes its holder within 1 s; a page without a token is told why it cannot
 * connect; a document deleted through the API tells its editors so, also after a reload.
 */
import { type BrowserContext, expect } from '@playwright/test';
import { signAdminToken } from '../lib/token';
import { LOAD_TIMEOUT, SYNC_TIMEOUT } from './pages/doc-page';
import { PreviewPane } from './pages/preview-pane';
import { openAs, tokenLinkTest } from './support/token-links';

const SECRET = 'e2e-access-secret';
const test = tokenLinkTest('access', SECRET);

test('a view link reads along live, shows "View only" and cannot type', async ({ open }) => {
  const alice = await open('alice', 'edit');
  const viewer = await open('viewer', 'view');
  await expect(viewer.page.getByTestId('view-only-badge')).toHaveText('View only');
  await expect(alice.page.getByTestId('view-only-badge')).toHaveCount(0);
  await expect(viewer.content).toHaveAttribute('contenteditable', 'false');
  await expect(viewer.title).toHaveAttribute('readonly', '');
  await expect(viewer.page.getByTestId('share-button')).toHaveCount(0);

  await alice.typeAtEnd('Live for everyone.');
  await viewer.waitForText('Live for everyone.');
  await viewer.waitForPresence(['alice', 'viewer']);
  await alice.waitForPresence(['alice', 'viewer']);

  // View links open rendered; the source is one click away, and read-only.
  await viewer.page.getByRole('radio', { name: 'Source', exact: true }).check();
  await viewer.content.click();
  await viewer.page.keyboard.type('sneaky');
  await alice.typeAtEnd(' Still here.');
  await viewer.waitForText('Live for everyone. Still here.');
  expect(await alice.text()).toBe('Live for everyone. Still here.');
  await expect(viewer.connection).toHaveAttribute('data-status', 'connected');
});

test('a view link opens the rendered document, with View | Source', async ({ open }) => {
  const alice = await open('alice', 'edit');
  await alice.typeAtEnd('# Hello readers');
  const viewer = await open('viewer', 'view');
  const modes = viewer.page.getByTestId('mode-switch').getByRole('radio');
  await expect(modes).toHaveCount(2);
  await expect(viewer.page.getByRole('radio', { name: 'View', exact: true })).toBeChecked();
  await expect(viewer.page.getByRole('radio', { name: 'Source', exact: true })).not.toBeChecked();
  await expect(viewer.page.getByTestId('workspace')).toHaveAttribute('data-mode', 'view');
  await expect(viewer.editor).toBeHidden();
  const rendered = viewer.page.frameLocator('[data-testid="preview-frame"]').locator('h1');
  await expect(rendered).toHaveText('Hello readers', { timeout: 15_000 });
  await expect(alice.page.getByTestId('mode-switch').getByRole('radio')).toHaveCount(3);

  // Source: the read-only editor, with the text; the choice is not remembered.
  await viewer.page.getByRole('radio', { name: 'Source', exact: true }).check();
  await expect(viewer.editor).toBeVisible();
  await expect(viewer.page.getByTestId('preview-pane')).toHaveCount(0);
  await expect(viewer.content).toHaveAttribute('contenteditable', 'false');
  await viewer.waitForText('# Hello readers');
  await viewer.page.reload();
  await expect(viewer.page.getByRole('radio', { name: 'View', exact: true })).toBeChecked();
  await expect(rendered).toHaveText('Hello readers', { timeout: 15_000 });
});

test('revoking a link in the Share dialog removes its holder within 1 s', async ({
  browser,
  secured,
  open,
}) => {
  const alice = await open('alice', 'edit');
  await alice.page.getByTestId('share-button').click();
  const dialog = alice.page.getByTestId('share-dialog');
  const viewLink = dialog.locator('[data-testid="share-link"][data-role="view"]');
  await expect(viewLink).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await expect(dialog.locator('[data-role="edit"]')).toHaveCount(1);
  const url = await viewLink.getByTestId('share-link-url').inputValue();

  const contexts: BrowserContext[] = [];
  const bob = await openAs(browser, secured, contexts, 'bob', 'bob');
  try {
    await bob.page.goto(url);
    await expect(bob.connection).toHaveAttribute('data-status', 'connected', {
      timeout: LOAD_TIMEOUT,
    });
    await expect(bob.page.getByTestId('view-only-badge')).toBeVisible();
    await bob.setName('bob');
    await alice.waitForPresence(['alice', 'bob']);

    await viewLink.getByTestId('revoke-link').click();
    await expect(bob.page.getByTestId('fatal-error')).toHaveAttribute('data-code', '4403', {
      timeout: 1000,
    });
    await expect(bob.page.getByTestId('fatal-error')).toContainText('revoked');
    // The dialog offers a fresh view link once the revocation is stored (wait for it: the
    // holder's socket may close before the dialog hears back); the old one stays dead on reload.
    await expect(viewLink).toHaveCount(1);
    await expect(viewLink.getByTestId('share-link-url')).not.toHaveValue(url, {
      timeout: SYNC_TIMEOUT,
    });
    await bob.page.reload();
    await expect(bob.page.getByTestId('fatal-error')).toHaveAttribute('data-code', '4401', {
      timeout: LOAD_TIMEOUT,
    });
    await expect(alice.connection).toHaveAttribute('data-status', 'connected');
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
});

test('a page without a token says why it cannot connect', async ({ browser, secured, room }) => {
  const contexts: BrowserContext[] = [];
  const user = await openAs(browser, secured, contexts, 'anon', 'anon');
  try {
    await user.page.goto(`/d/${room}`);
    await expect(user.page.getByTestId('fatal-error')).toHaveAttribute('data-code', '4401', {
      timeout: LOAD_TIMEOUT,
    });
    await expect(user.page.getByTestId('fatal-error')).toContainText('valid access token');
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
});

test('a view link opens rendered, with task checkboxes a reader cannot tick', async ({ open }) => {
  const alice = await open('alice', 'edit');
  const viewer = await open('viewer', 'view');
  await alice.insertAtEnd('# Chores\n\n- [ ] dishes\n- [x] laundry\n');
  const viewerPreview = new PreviewPane(viewer);
  await expect(viewer.page.getByTestId('workspace')).toHaveAttribute('data-mode', 'view');
  await viewerPreview.waitForRendered('laundry');
  await expect(viewerPreview.taskCheckbox(2)).toBeDisabled();
  await expect(viewerPreview.taskCheckbox(3)).toBeDisabled();
  await expect(viewerPreview.taskCheckbox(3)).toBeChecked();
  await expect(new PreviewPane(alice).taskCheckbox(2)).toBeEnabled({ timeout: 15_000 });

  // A forced click on the disabled box (or its label) changes nothing for anyone.
  await viewerPreview.taskCheckbox(2).click({ force: true });
  await viewerPreview.root.getByText('dishes').click({ force: true });
  await alice.typeAtEnd('done.');
  await viewer.waitForText({ contains: 'done.' });
  expect(await alice.text()).toContain('- [ ] dishes');
  await expect(viewerPreview.taskCheckbox(2)).not.toBeChecked();
});

test('a document deleted through the API tells its editors, and stays deleted', async ({
  open,
  secured,
  room,
}) => {
  const alice = await open('alice', 'edit');
  await alice.typeAtEnd('Soon gone.');
  const admin = await signAdminToken(SECRET, { linkId: 'e2e-admin' });
  const api = `http://127.0.0.1:${secured.relay.port}/api/v1/documents/${room}`;
  await expect
    .poll(
      async () =>
        (await fetch(`${api}/text`, { headers: { authorization: `Bearer ${admin}` } })).text(),
      {
        timeout: SYNC_TIMEOUT,
      },
    )
    .toBe('Soon gone.');
  // A home page in another tab lists it among the recent documents.
  const home = await alice.page.context().newPage();
  await home.goto('/');
  await expect(home.locator(`a[href="/d/${room}"]`)).toHaveCount(1, { timeout: LOAD_TIMEOUT });
  const deleted = await fetch(api, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(deleted.status).toBe(200);
  const fatal = alice.page.getByTestId('fatal-error');
  await expect(fatal).toHaveAttribute('data-code', '4410', { timeout: SYNC_TIMEOUT });
  await expect(fatal).toContainText('This document was deleted');
  // Its copy in the browser does not bring it back: the relay refuses the room for good.
  await alice.page.reload();
  await expect(alice.page.getByTestId('fatal-error')).toHaveAttribute('data-code', '4410', {
    timeout: LOAD_TIMEOUT,
  });
  const after = await fetch(`${api}/text`, { headers: { authorization: `Bearer ${admin}` } });
  expect(after.status).toBe(410);
  // And it left this browser's recent documents: the other tab follows, and so does a reload.
  await expect(home.locator(`a[href="/d/${room}"]`)).toHaveCount(0);
  await home.reload();
  await expect(home.getByRole('heading', { name: 'Recent documents' })).toBeVisible();
  await expect(home.locator(`a[href="/d/${room}"]`)).toHaveCount(0);
});
