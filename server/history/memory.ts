/** In-memory VersionStore for tests and the `memory` storage mode; nothing survives the process. */
import {
  type NewVersion,
  normalizeAuthors,
  type StoredVersion,
  type VersionMeta,
  type VersionStore,
} from './version-store';

export function createMemoryVersionStore(): VersionStore {
  const rooms = new Map<string, StoredVersion[]>();
  let nextId = 1;
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('VersionStore is closed');
  };

  return {
    async saveVersion(room: string, version: NewVersion): Promise<VersionMeta> {
      ensureOpen();
      const meta: VersionMeta = {
        id: String(nextId++),
        kind: version.kind,
        name: version.name ?? null,
        authors: normalizeAuthors(version.authors),
        createdAt: version.createdAt,
        bytes: version.state.byteLength,
      };
      const list = rooms.get(room) ?? [];
      list.push({ meta, state: version.state.slice() });
      // Oldest first; a stable sort keeps save order among equal times.
      list.sort((a, b) => a.meta.createdAt - b.meta.createdAt);
      rooms.set(room, list);
      return meta;
    },
    async listVersions(room) {
      ensureOpen();
      return (rooms.get(room) ?? []).map((v) => v.meta);
    },
    async getVersion(room, id) {
      ensureOpen();
      const found = rooms.get(room)?.find((v) => v.meta.id === id);
      return found ? { meta: found.meta, state: found.state.slice() } : null;
    },
    async deleteVersions(room, ids) {
      ensureOpen();
      const list = rooms.get(room);
      if (!list) return 0;
      const drop = new Set(ids);
      const kept = list.filter((v) => !drop.has(v.meta.id));
      rooms.set(room, kept);
      return list.length - kept.length;
    },
    async close() {
      closed = true;
      rooms.clear();
    },
  };
}
