import type { IndexeddbPersistence } from 'y-indexeddb';
import { isValidClientKey, newClientKey } from '../../../lib/client-key';

/** Where the key lives: a record of the room's own y-indexeddb database (its custom store). */
const CLIENT_KEY_RECORD = 'clientKey';

/**
 * This browser's client key for a room (lib/client-key.ts), created on first use. Kept in the
 * same IndexedDB database as the local copy of the document, so the two live and die together:
 * edits waiting in that copy are always sent with the key that owns their client ids. Without
 * IndexedDB (or if it fails) the key lasts for this page only.
 */
export async function clientKeyOf(persistence: IndexeddbPersistence): Promise<string> {
  try {
    const stored: unknown = await persistence.get(CLIENT_KEY_RECORD);
    if (typeof stored === 'string' && isValidClientKey(stored)) return stored;
    const key = newClientKey();
    await persistence.set(CLIENT_KEY_RECORD, key);
    return key;
  } catch {
    return newClientKey();
  }
}
