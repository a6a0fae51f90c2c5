/**
 * The ImageStore behaviour every implementation must have. Each backend's test calls
 * `describeImageStoreContract` with a factory; durable stores also get the reopen check.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageType } from '../../lib/image-types';
import { GIF, png } from '../test/images';
import type { ImageStore, StoredImage } from './images';

export interface ImageStoreHarness {
  readonly store: ImageStore;
  /** Open the same storage again (durable stores only). */
  reopen?(): Promise<ImageStore>;
  cleanup(): Promise<void>;
}

export function imageOf(bytes: Uint8Array, type: ImageType): StoredImage {
  return { hash: createHash('sha256').update(bytes).digest('hex'), type, bytes };
}

export function describeImageStoreContract(
  name: string,
  factory: () => Promise<ImageStoreHarness>,
  options: { durable: boolean },
): void {
  describe(`ImageStore contract: ${name}`, () => {
    let harness: ImageStoreHarness | null = null;
    const open = async () => {
      harness = await factory();
      return harness;
    };
    afterEach(async () => {
      await harness?.cleanup();
      harness = null;
    });

    it('keeps an image for its room and returns the same bytes and type', async () => {
      const { store } = await open();
      const image = imageOf(png(3, 2), 'image/png');
      expect(await store.put('room-a', image)).toEqual({ stored: true });
      const got = await store.get('room-a', image.hash);
      expect(got?.type).toBe('image/png');
      expect(Buffer.from(got?.bytes ?? []).equals(Buffer.from(image.bytes))).toBe(true);
    });

    it('keeps the bytes once across uploads and rooms, and serves each room only its own', async () => {
      const { store } = await open();
      const image = imageOf(GIF, 'image/gif');
      expect(await store.put('room-a', image)).toEqual({ stored: true });
      expect(await store.put('room-a', image)).toEqual({ stored: false });
      expect(await store.get('room-b', image.hash)).toBeNull();
      expect(await store.put('room-b', image)).toEqual({ stored: false });
      expect((await store.get('room-b', image.hash))?.type).toBe('image/gif');
      expect(await store.get('room-c', image.hash)).toBeNull();
      expect(await store.get('room-a', '0'.repeat(64))).toBeNull();
    });

    it('deletes a room: its images go, bytes another room holds stay', async () => {
      const { store } = await open();
      const shared = imageOf(GIF, 'image/gif');
      const own = imageOf(png(2, 2), 'image/png');
      await store.put('gone', shared);
      await store.put('gone', own);
      await store.put('kept', shared);
      expect(await store.deleteRoom('gone')).toBe(2);
      expect(await store.get('gone', shared.hash)).toBeNull();
      expect((await store.get('kept', shared.hash))?.type).toBe('image/gif');
      // The bytes only 'gone' held were removed: uploading them again stores them anew.
      expect(await store.put('other', own)).toEqual({ stored: true });
      expect(await store.deleteRoom('never')).toBe(0);
    });

    it('fails after close, and close is idempotent', async () => {
      const { store } = await open();
      await store.close();
      await store.close();
      await expect(store.get('r', '0'.repeat(64))).rejects.toThrow(/closed/);
    });

    if (options.durable) {
      it('keeps images across a reopen', async () => {
        const opened = await open();
        const image = imageOf(png(4, 4, { noise: true }), 'image/png');
        await opened.store.put('room-a', image);
        await opened.store.close();
        const again = await (opened.reopen as () => Promise<ImageStore>)();
        const got = await again.get('room-a', image.hash);
        expect(Buffer.from(got?.bytes ?? []).equals(Buffer.from(image.bytes))).toBe(true);
      });
    }
  });
}
