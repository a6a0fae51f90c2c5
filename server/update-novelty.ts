/**
 * Would applying `update` change `doc`? Used for view-only connections, whose clients resend
 * what they already have (y-indexeddb loading a cached copy, the sync step 2 after a reconnect):
 * those are harmless and dropped quietly, while anything new is a write attempt.
 */
import * as Y from 'yjs';

interface DeleteRange {
  readonly clock: number;
  readonly len: number;
}

/** True if `update` holds a struct or a deletion that `doc` does not have. Throws on garbage. */
export function updateAddsToDoc(doc: Y.Doc, update: Uint8Array): boolean {
  const { to } = Y.parseUpdateMeta(update);
  for (const [client, clock] of to) {
    if (Y.getState(doc.store, client) < clock) return true;
  }
  const { ds } = Y.decodeUpdate(update) as unknown as {
    ds: { clients: Map<number, DeleteRange[]> };
  };
  if (ds.clients.size === 0) return false;
  // Only built when the update deletes something: it walks every struct of the doc.
  const known = (Y.createDeleteSetFromStructStore(doc.store) as unknown as typeof ds).clients;
  for (const [client, ranges] of ds.clients) {
    const deleted = known.get(client) ?? [];
    for (const range of ranges) {
      if (range.len > 0 && !covered(deleted, range.clock, range.clock + range.len)) return true;
    }
  }
  return false;
}

/** Is [start, end) inside one of `ranges` (sorted by clock, adjacent ranges merged)? */
function covered(ranges: readonly DeleteRange[], start: number, end: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const range = ranges[mid] as DeleteRange;
    if (start < range.clock) high = mid - 1;
    else if (start >= range.clock + range.len) low = mid + 1;
    else return end <= range.clock + range.len;
  }
  return false;
}
