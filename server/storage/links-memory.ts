/** In-memory LinkStore for tests and `--storage memory`: revocations end with the process. */
import type { LinkRecord, LinkStore } from './links';

export function createMemoryLinkStore(now: () => number = Date.now): LinkStore {
  const rooms = new Map<string, Map<string, LinkRecord>>();
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('LinkStore is closed');
  };
  const linksOf = (room: string): Map<string, LinkRecord> => {
    let links = rooms.get(room);
    if (!links) {
      links = new Map();
      rooms.set(room, links);
    }
    return links;
  };

  return {
    async record(room, linkId, role) {
      ensureOpen();
      const links = linksOf(room);
      if (!links.has(linkId)) {
        links.set(linkId, { room, linkId, role, createdAt: now(), revokedAt: null });
      }
    },
    async revoke(room, linkId) {
      ensureOpen();
      const links = linksOf(room);
      const existing = links.get(linkId);
      if (existing?.revokedAt != null) return false;
      const at = now();
      links.set(linkId, {
        room,
        linkId,
        role: existing?.role ?? null,
        createdAt: existing?.createdAt ?? at,
        revokedAt: at,
      });
      return true;
    },
    async isRevoked(room, linkId) {
      ensureOpen();
      return rooms.get(room)?.get(linkId)?.revokedAt != null;
    },
    async list(room) {
      ensureOpen();
      return [...(rooms.get(room)?.values() ?? [])].sort(
        (a, b) => a.createdAt - b.createdAt || a.linkId.localeCompare(b.linkId),
      );
    },
    async close() {
      closed = true;
    },
  };
}
