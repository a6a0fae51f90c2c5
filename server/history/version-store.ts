/**
 * VersionStore: the saved versions of each room (history), kept apart from DocStore so the
 * update log and the history evolve independently. A version's `state` is opaque here (see
 * codec.ts for what the relay stores in it). One contract suite (version-store.contract.ts)
 * runs against every implementation.
 */

export type VersionKind = 'auto' | 'named';

/** What a list shows: everything about a version but its state. */
export interface VersionMeta {
  /** Unique within the store; opaque to callers (digits today). */
  readonly id: string;
  readonly kind: VersionKind;
  /** Set for named versions, null for automatic ones. */
  readonly name: string | null;
  /** Display names of the people who edited since the previous version, sorted, no duplicates. */
  readonly authors: readonly string[];
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** Size of the stored state in bytes. */
  readonly bytes: number;
}

export interface NewVersion {
  readonly kind: VersionKind;
  readonly name?: string | null;
  readonly authors: readonly string[];
  readonly createdAt: number;
  readonly state: Uint8Array;
}

export interface StoredVersion {
  readonly meta: VersionMeta;
  readonly state: Uint8Array;
}

export interface VersionStore {
  /** Store a version durably; resolves with its metadata (including the new id). */
  saveVersion(room: string, version: NewVersion): Promise<VersionMeta>;
  /** Every version of `room`, oldest first (ties keep save order). */
  listVersions(room: string): Promise<VersionMeta[]>;
  /** One version with its state, or null if `room` has no version `id`. */
  getVersion(room: string, id: string): Promise<StoredVersion | null>;
  /** Delete the listed versions of `room` (unknown ids are ignored); resolves with how many went. */
  deleteVersions(room: string, ids: readonly string[]): Promise<number>;
  /** Release resources; later calls fail. Idempotent. */
  close(): Promise<void>;
}

/** Authors as stored: trimmed, non-empty, unique, sorted. */
export function normalizeAuthors(authors: readonly string[]): string[] {
  const set = new Set<string>();
  for (const author of authors) {
    const trimmed = author.trim();
    if (trimmed) set.add(trimmed);
  }
  return [...set].sort();
}

/** The sql stores number versions with decimal integers; anything else names no version. */
export const parseNumericId = (id: string): number | null =>
  /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : null;
