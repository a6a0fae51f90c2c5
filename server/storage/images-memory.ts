/** In-memory ImageStore for tests and `--storage memory`: images end with the process. */
import type { ImageStore, StoredImage } from './images';

export function createMemoryImageStore(): ImageStore {
  const images = new Map<string, StoredImage>();
  const rooms = new Map<string, Set<string>>();
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('ImageStore is closed');
  };
  return {
    async put(room, image) {
      ensureOpen();
      const stored = !images.has(image.hash);
      if (stored) images.set(image.hash, { ...image, bytes: image.bytes.slice() });
      let held = rooms.get(room);
      if (!held) {
        held = new Set();
        rooms.set(room, held);
      }
      held.add(image.hash);
      return { stored };
    },
    async get(room, hash) {
      ensureOpen();
      if (!rooms.get(room)?.has(hash)) return null;
      return images.get(hash) ?? null;
    },
    async deleteRoom(room) {
      ensureOpen();
      const held = rooms.get(room) ?? new Set<string>();
      rooms.delete(room);
      for (const hash of held) {
        if (![...rooms.values()].some((other) => other.has(hash))) images.delete(hash);
      }
      return held.size;
    },
    async close() {
      closed = true;
    },
  };
}
