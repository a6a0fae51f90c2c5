/**
 * Two people tick the same task checkbox at once (one of them offline, so the ticks are truly
 * concurrent): each replaced the box's state character with their own, which would leave
 * `[xx]`; both end with one ticked box.
 */
import { expect, test } from './fixtures';
import { PreviewPane } from './pages/preview-pane';
import { waitForConvergence } from './support/converge';

test('the same box ticked by two people at once stays one ticked box', async ({ alice, bob }) => {
  const alicePreview = new PreviewPane(alice);
  const bobPreview = new PreviewPane(bob);
  await alice.insertAtEnd('# Chores\n\n- [ ] dishes\n- [ ] laundry\n');
  await bob.waitForText({ contains: '- [ ] laundry' });
  await expect(bobPreview.taskCheckbox(2)).toBeVisible({ timeout: 15_000 });
  await expect(alicePreview.taskCheckbox(2)).toBeVisible({ timeout: 15_000 });

  await bob.goOffline();
  await bob.waitForConnection('offline');
  await alicePreview.taskCheckbox(2).click();
  await bobPreview.taskCheckbox(2).click();
  await alice.waitForText({ contains: '- [x] dishes' });
  await bob.waitForText({ contains: '- [x] dishes' });
  await bob.goOnline();

  const text = await waitForConvergence(
    [alice, bob],
    (t) => t.includes('- [x] dishes') && !t.includes('[xx]'),
  );
  expect(text).toBe('# Chores\n\n- [x] dishes\n- [ ] laundry\n');
  for (const preview of [alicePreview, bobPreview]) {
    await expect(preview.taskCheckbox(2)).toBeChecked({ timeout: 15_000 });
    await expect(preview.taskCheckbox(3)).not.toBeChecked();
  }
});
