/**
 * The room's check of who writes with which Yjs client id (issue: authorship the relay vouches
 * for). Every update that advances a client's clocks is admitted only if its connection may
 * write with that client id:
 * - An id first written with a client key belongs to that key for good (bound in the
 *   AuthorStore before the update is accepted). Only a connection presenting the same key may
 *   write with it again, so a reconnecting owner can and a squatter cannot.
 * - An id first written without a key may be written by any connection without a key. Binding it
 *   to its connection would refuse an unmodified y-websocket client that reconnects and types (it
 *   keeps its client id, and the relay may not have seen its old socket die), and one that
 *   forwards a peer's updates (Yjs lets any client carry any other's structs): the interop promise
 *   forbids both. Clients without a key are therefore not protected; the app always has a key.
 * - Keyed and keyless never mix: neither may write with the other's ids.
 * A binding unknown to this instance is asked of the store (insert-if-absent), so instances
 * sharing a store agree; while that is in flight, the room holds the connection's updates.
 */
import type { AuthorProfile, AuthorStore, ClientBinding } from '../storage/authors';
import { authorIdOf, type Writer } from './writer';

export interface GatedConnection {
  readonly writer: Writer;
}

/** What the user field of a connection's awareness said last. */
export interface AnnouncedUser {
  readonly name: string;
  readonly color: string | null;
}

/**
 * 'ok': write it. 'refused': it writes with an id bound to another key (or keyed and keyless
 * mixed). A promise: ask again once it resolves.
 */
export type WriteAdmission = 'ok' | 'refused' | Promise<void>;

export class WriterGate<C extends GatedConnection> {
  /** Bindings this instance knows; a binding never changes, so this cache is never stale. */
  private readonly bindings = new Map<number, ClientBinding>();
  /** The authors each connection wrote as here, for renames. */
  private readonly authorsBy = new Map<C, Set<string>>();
  private readonly announced = new Map<C, AnnouncedUser>();
  /** Ids whose binding `reserve` has asked the store for. */
  private readonly reserving = new Set<number>();
  /** Profiles as last saved by this instance, by author id. */
  private readonly saved = new Map<string, AuthorProfile>();

  constructor(
    private readonly room: string,
    private readonly store: AuthorStore,
    private readonly onSaveError: (err: unknown) => void,
  ) {}

  /**
   * May `conn` write with the client ids an update advances (the keys of its `clocks`)? Runs for
   * every update: no allocation unless an id is new to this instance.
   */
  admit(conn: C, clocks: ReadonlyMap<number, number>): WriteAdmission {
    let unbound: number[] | undefined;
    for (const clientId of clocks.keys()) {
      const binding = this.bindings.get(clientId);
      if (!binding) {
        unbound ??= [];
        unbound.push(clientId);
      } else if (binding.keyHash !== conn.writer.keyHash) return 'refused';
    }
    if (unbound) return this.bind(conn, unbound);
    for (const clientId of clocks.keys()) {
      this.claim(conn, this.bindings.get(clientId) as ClientBinding);
    }
    return 'ok';
  }

  /**
   * A keyed connection announced presence with these client ids (the app's awareness id is its
   * doc's client id): bind them now, before it writes. Otherwise someone who saw the id in
   * presence could write with it first while its owner is offline, and own it.
   */
  reserve(conn: C, clientIds: Iterable<number>): void {
    const { keyHash, authorId, canWrite } = conn.writer;
    // A view link never writes: reserving its ids would only grow the store with every reader.
    if (keyHash === null || authorId === null || !canWrite) return;
    // A rename before its first write must reach the profile too.
    this.authorsOf(conn).add(authorId);
    const unbound: number[] = [];
    for (const clientId of clientIds) {
      if (this.bindings.has(clientId) || this.reserving.has(clientId)) continue;
      this.reserving.add(clientId);
      unbound.push(clientId);
    }
    if (unbound.length === 0) return;
    this.bind(conn, unbound)
      .catch(this.onSaveError)
      .finally(() => {
        for (const clientId of unbound) this.reserving.delete(clientId);
      });
  }

  /** The connection announced (or changed) its name and colour: a rename reaches its text. */
  announce(conn: C, user: AnnouncedUser): void {
    const before = this.announced.get(conn);
    if (before && before.name === user.name && before.color === user.color) return;
    this.announced.set(conn, user);
    for (const authorId of this.authorsBy.get(conn) ?? []) this.saveProfile(conn, authorId);
  }

  /** The connection left. */
  forget(conn: C): void {
    this.authorsBy.delete(conn);
    this.announced.delete(conn);
  }

  private authorsOf(conn: C): Set<string> {
    let authors = this.authorsBy.get(conn);
    if (!authors) {
      authors = new Set();
      this.authorsBy.set(conn, authors);
    }
    return authors;
  }

  private claim(conn: C, binding: ClientBinding): void {
    const authors = this.authorsOf(conn);
    if (!authors.has(binding.authorId)) {
      authors.add(binding.authorId);
      // A returning author under a new name: the first write here renames their earlier text.
      if (this.announced.has(conn)) this.saveProfile(conn, binding.authorId);
    }
  }

  /** Ask the store for these ids (one call per author); the caller admits again afterwards. */
  private async bind(conn: C, clientIds: readonly number[]): Promise<void> {
    const byAuthor = new Map<string, ClientBinding[]>();
    for (const clientId of clientIds) {
      const authorId = authorIdOf(conn.writer, clientId);
      const proposals = byAuthor.get(authorId) ?? [];
      proposals.push({ clientId, authorId, keyHash: conn.writer.keyHash });
      byAuthor.set(authorId, proposals);
    }
    await Promise.all(
      [...byAuthor].map(async ([authorId, proposals]) => {
        const profile = this.profileOf(conn, authorId);
        const inForce = await this.store.bind(this.room, proposals, profile);
        if (profile.name !== null) this.saved.set(authorId, profile);
        for (const binding of inForce) {
          if (!this.bindings.has(binding.clientId)) this.bindings.set(binding.clientId, binding);
        }
      }),
    );
  }

  private profileOf(conn: C, authorId: string): AuthorProfile {
    const user = this.announced.get(conn);
    return {
      authorId,
      name: user?.name ?? null,
      color: user?.color ?? null,
      linkId: conn.writer.linkId,
    };
  }

  private saveProfile(conn: C, authorId: string): void {
    const profile = this.profileOf(conn, authorId);
    const saved = this.saved.get(authorId);
    if (saved && saved.name === profile.name && saved.color === profile.color) return;
    this.saved.set(authorId, profile);
    this.store.saveProfile(this.room, profile).catch(this.onSaveError);
  }
}
