/** In-memory AuthorStore for tests and `--storage memory`: bindings end with the process. */
import type { AuthorProfile, AuthorStore, ClientBinding } from './authors';

interface RoomEntry {
  readonly bindings: Map<number, ClientBinding>;
  /** Insertion order is creation order. */
  readonly authors: Map<string, AuthorProfile>;
}

export function createMemoryAuthorStore(): AuthorStore {
  const rooms = new Map<string, RoomEntry>();
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('AuthorStore is closed');
  };
  const entryOf = (room: string): RoomEntry => {
    let entry = rooms.get(room);
    if (!entry) {
      entry = { bindings: new Map(), authors: new Map() };
      rooms.set(room, entry);
    }
    return entry;
  };

  return {
    async bind(room, proposed, author) {
      ensureOpen();
      const entry = entryOf(room);
      if (!entry.authors.has(author.authorId) || author.name !== null) {
        entry.authors.set(author.authorId, author);
      }
      return proposed.map((binding) => {
        const existing = entry.bindings.get(binding.clientId);
        if (existing) return existing;
        entry.bindings.set(binding.clientId, binding);
        return binding;
      });
    },
    async saveProfile(room, author) {
      ensureOpen();
      entryOf(room).authors.set(author.authorId, author);
    },
    async load(room) {
      ensureOpen();
      const entry = rooms.get(room);
      return {
        bindings: entry ? [...entry.bindings.values()] : [],
        authors: entry ? [...entry.authors.values()] : [],
      };
    },
    async deleteRoom(room) {
      ensureOpen();
      rooms.delete(room);
    },
    async close() {
      closed = true;
    },
  };
}
