import type { Page } from '@playwright/test';

/**
 * Number of Yjs updates a browser keeps for `room` in IndexedDB (y-indexeddb's `updates` store,
 * in the database whose name ends with the room id). Lets a test wait until offline edits are on
 * the device before it reloads the page, instead of sleeping.
 */
export async function storedUpdateCount(page: Page, room: string): Promise<number> {
  return page.evaluate(async (room) => {
    const names = (await indexedDB.databases()).map((db) => db.name ?? '');
    const name = names.find((candidate) => candidate.endsWith(room));
    if (!name) return 0;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('updates')) return 0;
      const count = db.transaction('updates').objectStore('updates').count();
      return await new Promise<number>((resolve, reject) => {
        count.onsuccess = () => resolve(count.result);
        count.onerror = () => reject(count.error);
      });
    } finally {
      db.close();
    }
  }, room);
}
