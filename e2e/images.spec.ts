/**
 * Pasted and dropped images, two people, on a relay with a secret and a 64 KiB image limit:
 * Alice (edit link) pastes a PNG and watches its upload progress; Bob (view link) sees the
 * markdown in his text and the picture in his sandboxed preview. Each refusal (an SVG, HTML
 * renamed .png, an image over the limit, a view link, the relay out of reach) says why in the
 * editor's status line and leaves the text as it was.
 */
import { expect } from '@playwright/test';
import { HTML, png, SVG } from '../server/test/images';
import { type DocPage, SYNC_TIMEOUT } from './pages/doc-page';
import { PreviewPane, RENDER_TIMEOUT } from './pages/preview-pane';
import { pasteFile } from './support/image-paste';
import { tokenLinkTest } from './support/token-links';

const test = tokenLinkTest('images', 'e2e-images-secret', {
  relayArgs: ['--image-max-bytes', '64KiB'],
  tagRequests: true,
});

/** Drop a file onto the start of the editor's first line. */
async function dropFile(user: DocPage, name: string, type: string, bytes: Uint8Array) {
  await user.content.evaluate(
    (content, file) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
      const line = content.querySelector('.cm-line') as HTMLElement;
      const box = line.getBoundingClientRect();
      const init = { dataTransfer: data, bubbles: true, cancelable: true };
      content.dispatchEvent(
        new DragEvent('drop', { ...init, clientX: box.left + 1, clientY: box.top + 4 }),
      );
    },
    { name, type, bytes: [...bytes] },
  );
}

const statusOf = (user: DocPage) => user.page.getByTestId('image-upload-status');

/**
 * Record every text the status line shows from now on, so a message that stays only a few
 * seconds ("Image added.") is checked without racing it.
 */
async function recordStatus(user: DocPage): Promise<() => Promise<string[]>> {
  await statusOf(user).evaluate((status) => {
    const seen: string[] = [];
    (window as unknown as { __statusSeen: string[] }).__statusSeen = seen;
    new MutationObserver(() => {
      const text = status.textContent ?? '';
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(status, { childList: true, subtree: true, characterData: true });
  });
  return () =>
    user.page.evaluate(() => (window as unknown as { __statusSeen: string[] }).__statusSeen);
}

test('Alice pastes a PNG; Bob, on a view link, sees it in his text and his preview', async ({
  open,
}) => {
  const alice = await open('alice', 'edit');
  const bob = await open('bob', 'view');
  const bobPreview = new PreviewPane(bob);
  // A view link opens rendered: Bob sees the preview without choosing a mode.
  await expect(bob.page.getByTestId('workspace')).toHaveAttribute('data-mode', 'view');

  await alice.typeAtEnd('Look: ');
  await bob.waitForText('Look: ');

  // A slow uplink for Alice, so the progress of the upload can be seen.
  const cdp = await alice.context.newCDPSession(alice.page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 16 * 1024,
  });
  const image = png(120, 90, { noise: true, seed: 11 }); // ~32 KiB: two seconds at 16 KiB/s
  const seen = await recordStatus(alice);
  await pasteFile(alice, 'red dot.png', 'image/png', image);
  const progress = statusOf(alice).getByRole('progressbar', { name: 'Upload progress' });
  await expect(statusOf(alice)).toHaveAttribute('data-kind', 'uploading');
  await expect(statusOf(alice)).toContainText('Uploading “red dot.png”');
  await expect.poll(async () => Number(await progress.getAttribute('value'))).toBeGreaterThan(0);
  await expect.poll(seen, { timeout: SYNC_TIMEOUT }).toContain('Image added.');
  expect((await seen()).filter((text) => text.startsWith('Uploading'))).toEqual([
    'Uploading “red dot.png”…',
  ]);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });

  const markdown =
    /^Look: !\[red dot\]\(<(http:\/\/127\.0\.0\.1:\d+\/rooms\/[\w-]+\/images\/[0-9a-f]{64}\?s=[\w-]+)>\)$/;
  await expect.poll(() => alice.text()).toMatch(markdown);
  const url = markdown.exec(await alice.text())?.[1] ?? '';
  await bob.waitForText(await alice.text());

  // The address holds no token: it works for every reader of the room, Bob's view link included.
  expect(url).not.toContain('token');
  const img = bobPreview.root.locator('img[alt="red dot"]');
  await expect(img).toHaveAttribute('src', url, { timeout: RENDER_TIMEOUT });
  await img.scrollIntoViewIfNeeded();
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), {
      timeout: RENDER_TIMEOUT,
    })
    .toBe(120);

  // A second image, dropped at the start: it lands there, before the first.
  await dropFile(alice, 'blue.png', 'image/png', png(10, 10, { rgb: [20, 40, 200] }));
  await bob.waitForText({ contains: '![blue](<' });
  await expect.poll(() => bob.text()).toMatch(/^!\[blue\]\(<http[^>]+>\)Look: !\[red dot\]/);
  await expect
    .poll(
      () =>
        bobPreview.root
          .locator('img[alt="blue"]')
          .evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth),
      { timeout: RENDER_TIMEOUT },
    )
    .toBe(10);

  // A dropped text file is not an image gesture: the editor inserts its text as before.
  await dropFile(alice, 'notes.md', 'text/markdown', new TextEncoder().encode('Notes. '));
  await bob.waitForText({ contains: 'Notes. ![blue]' });
  await expect(statusOf(alice)).not.toHaveAttribute('data-kind', 'refused');
});

test('every refused image says why and leaves the text alone', async ({ open }) => {
  const alice = await open('alice', 'edit');
  const bob = await open('bob', 'view');
  await alice.typeAtEnd('Unchanged.');
  await bob.waitForText('Unchanged.');

  const refusals: [string, string, Uint8Array, RegExp][] = [
    ['drawing.svg', 'image/svg+xml', SVG, /“drawing\.svg” is not a PNG, JPEG, GIF or WebP image/],
    ['photo.png', 'image/png', HTML, /“photo\.png” is not a PNG, JPEG, GIF or WebP image/],
    [
      'huge.png',
      'image/png',
      png(200, 200, { noise: true, seed: 5 }),
      /“huge\.png” was not added: The image is larger than 64 KiB/,
    ],
  ];
  for (const [name, type, bytes, message] of refusals) {
    await pasteFile(alice, name, type, bytes);
    await expect(statusOf(alice)).toHaveAttribute('data-kind', 'refused', {
      timeout: SYNC_TIMEOUT,
    });
    await expect(statusOf(alice)).toContainText(message);
    expect(await alice.text()).toBe('Unchanged.');
    await statusOf(alice).getByRole('button', { name: 'Dismiss' }).click();
    await expect(statusOf(alice)).toHaveAttribute('data-kind', 'idle');
  }

  // A view link cannot add images, by paste or by drop (into its read-only source).
  await bob.page.getByRole('radio', { name: 'Source', exact: true }).check();
  await pasteFile(bob, 'fine.png', 'image/png', png(4, 4));
  await expect(statusOf(bob)).toHaveText(
    /This is a view-only link: images cannot be added\.\s*Dismiss/,
  );
  await statusOf(bob).getByRole('button', { name: 'Dismiss' }).click();
  await dropFile(bob, 'fine.png', 'image/png', png(4, 4));
  await expect(statusOf(bob)).toContainText('This is a view-only link');

  // The relay out of reach (the browser is offline): the upload fails and says so.
  await alice.goOffline();
  await pasteFile(alice, 'offline.png', 'image/png', png(4, 4, { rgb: [1, 1, 1] }));
  await expect(statusOf(alice)).toContainText(
    '“offline.png” was not added: The server could not be reached',
    {
      timeout: SYNC_TIMEOUT,
    },
  );
  await alice.goOnline();
  await alice.waitForConnection('connected');

  // Nothing reached anyone: both still hold exactly the text they started with.
  await alice.typeAtEnd(' Still.');
  await bob.waitForText('Unchanged. Still.');
  expect(await alice.text()).toBe('Unchanged. Still.');
});
