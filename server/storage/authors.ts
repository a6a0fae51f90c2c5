/**
 * AuthorStore: who writes with which Yjs client id in a room, so the relay can vouch for
 * authorship and refuse client-id squatting (server/authorship/). A binding never changes once
 * made: `bind` is insert-if-absent and answers with the binding in force, which makes the store
 * the one authority when several relay instances share it. Kept apart from DocStore, like the
 * links, so compaction never touches it; the sqlite and postgres implementations live in the
 * same database as the documents. One contract suite (authors.contract.ts) runs against each.
 */

/** A Yjs client id and the author its text is attributed to. */
export interface ClientBinding {
  readonly clientId: number;
  readonly authorId: string;
  /**
   * SHA-256 (hex) of the client key that first wrote with this id; only the same key may write
   * with it again. null: written by a client without a key (see writer-gate.ts).
   */
  readonly keyHash: string | null;
}

/** What people see of an author: the name and colour they last announced. */
export interface AuthorProfile {
  readonly authorId: string;
  readonly name: string | null;
  readonly color: string | null;
  /** The share link the author wrote through (relays with a secret), else null. */
  readonly linkId: string | null;
}

export interface RoomAuthors {
  readonly bindings: ClientBinding[];
  /** Oldest first. */
  readonly authors: AuthorProfile[];
}

export interface AuthorStore {
  /**
   * Bind each client id that has no binding yet in `room` to its proposed binding, and record
   * `author`: a new profile is inserted; an existing one is replaced only when `author.name` is
   * not null (a writer that has not announced itself yet leaves the old name). Atomic. Answers
   * the binding in force for every id asked: the proposed one, or the one that was there first.
   */
  bind(
    room: string,
    proposed: readonly ClientBinding[],
    author: AuthorProfile,
  ): Promise<ClientBinding[]>;
  /** Set an author's name, colour and link (a rename keeps their earlier text theirs). */
  saveProfile(room: string, author: AuthorProfile): Promise<void>;
  /** Every binding and author of `room`. */
  load(room: string): Promise<RoomAuthors>;
  /** Forget everything about `room` (the document was deleted). */
  deleteRoom(room: string): Promise<void>;
  /** Release resources; later calls fail. Idempotent. */
  close(): Promise<void>;
}
