import { expect, test } from './fixtures';
import { SAVE_TEXT } from './pages/doc-page';
import { GENERATED_DOC_PATH, HomePage } from './pages/home-page';

for (const [why, path] of [
  ['characters a room id cannot have', '/d/not%20a%20room!'],
  ['a room id longer than 128 characters', `/d/${'x'.repeat(129)}`],
]) {
  test(`a malformed document URL (${why}) shows the 404 page`, async ({ page }) => {
    const response = await page.goto(path ?? '');
    expect(response?.status()).toBe(404);
    await expect(page.getByText('Document not found')).toBeVisible();
    await expect(page.getByTestId('editor')).toHaveCount(0);
  });
}

test('the status goes from "Saving…" to "All changes saved" after typing stops', async ({
  alice,
}) => {
  await alice.waitForConnection('connected');
  // Record every state the indicator shows, so a "Saving…" too brief to poll is still seen.
  await alice.page.evaluate(() => {
    const status = document.querySelector('[data-testid="save-status"]');
    const seen: string[] = [];
    (window as unknown as { __seenSaveStates: string[] }).__seenSaveStates = seen;
    if (!status) throw new Error('no save status');
    new MutationObserver(() => seen.push(status.getAttribute('data-state') ?? '')).observe(status, {
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });

  await alice.typeAtEnd('A few words typed at a human pace.', 30);
  await alice.waitForSaved();
  await expect(alice.saveStatus).toHaveText(SAVE_TEXT.saved);
  const seen = await alice.page.evaluate(
    () => (window as unknown as { __seenSaveStates: string[] }).__seenSaveStates,
  );
  expect(seen).toContain('saving');
  expect(seen.at(-1)).toBe('saved');
});

test('"New document" opens a fresh document that is listed under recent documents', async ({
  page,
}) => {
  const home = new HomePage(page);
  await home.goto();
  const room = await home.createDocument();
  expect(page.url()).toMatch(GENERATED_DOC_PATH);
  await page.getByTestId('doc-title').fill('My first doc');
  await expect(page).toHaveTitle('My first doc · coedit');

  await home.goto();
  const recent = home.recentDocs.filter({ hasText: 'My first doc' });
  await expect(recent).toHaveCount(1);
  await expect(recent).toHaveAttribute('href', new RegExp(`/d/${room}$`));

  // A second "New document" gives another id.
  const second = await home.createDocument();
  expect(second).not.toBe(room);
});
