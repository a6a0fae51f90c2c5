/**
 * The history of one loaded room: notes who edits (from their awareness name), drives the
 * automatic schedule, and saves versions of the room's doc. Attached when the room loads and
 * disposed before it unloads (saving a pending burst first).
 *
 * Only edits that arrive on one of this relay's sockets count: updates relayed from another
 * instance are versioned by the instance their author is connected to, so a cluster does not
 * take the same automatic version several times.
 */
import type { Awareness } from 'y-protocols/awareness';
import { AutoVersioner, type Clock } from './auto-versioner';
import { encodeVersionState } from './codec';
import { type RetentionPolicy, versionsToThin } from './retention';
import type { ScheduleOptions } from './schedule';
import type { VersionKind, VersionMeta, VersionStore } from './version-store';

/** What history needs of a room (server/room.ts's Room has it). */
export interface HistoryRoom {
  readonly id: string;
  readonly awareness: Awareness;
  /** Listen to every update that changed the document, with its origin; returns the unsubscribe. */
  onEdit(listener: (origin: unknown) => void): () => void;
  /** The whole document as one update (Yjs v1). */
  fullState(): Uint8Array;
}

export interface RoomHistoryDeps {
  readonly store: VersionStore;
  readonly clock: Clock;
  readonly schedule: ScheduleOptions;
  readonly retention: RetentionPolicy;
  onError(err: unknown, what: string): void;
  /** A version was saved (webhooks' version.created). */
  onSaved?(meta: VersionMeta): void;
}

/** Shown for edits whose author never set a name. */
export const ANONYMOUS = 'Anonymous';

/** A relay socket as an update origin: the awareness client ids it owns (see connection.ts). */
interface SocketOrigin {
  readonly awarenessIds: ReadonlySet<number>;
}

const isSocketOrigin = (origin: unknown): origin is SocketOrigin =>
  typeof origin === 'object' &&
  origin !== null &&
  (origin as Partial<SocketOrigin>).awarenessIds instanceof Set;

export class RoomHistory {
  private readonly versioner: AutoVersioner;
  /** Bumped on every awareness update: names read from awareness may have changed. */
  private awarenessTick = 0;
  /** The names last read for `namedOrigin`, reused while nothing they depend on changed. */
  private names: string[] = [];
  private namedOrigin: SocketOrigin | null = null;
  private namedTick = -1;
  private namedIds = -1;
  private readonly stopListening: () => void;

  constructor(
    private readonly room: HistoryRoom,
    private readonly deps: RoomHistoryDeps,
  ) {
    this.versioner = new AutoVersioner({
      clock: deps.clock,
      schedule: deps.schedule,
      take: (authors) => this.saveAuto(authors),
      onError: (err) => deps.onError(err, 'automatic version failed'),
    });
    this.stopListening = room.onEdit(this.onEdit);
    room.awareness.on('update', this.onAwareness);
  }

  /** Save a named version of the doc as it is now, crediting everyone since the last one. */
  async saveNamed(name: string, author: string | null): Promise<VersionMeta> {
    const authors = this.versioner.pendingAuthors;
    if (author) authors.push(author);
    // The doc is captured synchronously here, so the pending edits are covered from now on.
    const pending = this.save('named', name, authors);
    this.versioner.covered();
    return pending;
  }

  /**
   * Stop listening and, with `savePending`, save the pending burst if it is worth a version
   * (the doc must still be alive). Idempotent.
   */
  async dispose(savePending = true): Promise<void> {
    this.stopListening();
    this.room.awareness.off('update', this.onAwareness);
    await this.versioner.dispose(savePending);
  }

  private readonly onEdit = (origin: unknown): void => {
    // The last editing socket is known to be one; anything else is checked.
    const known = origin !== null && origin === this.namedOrigin;
    if (!known && !isSocketOrigin(origin)) return;
    this.versioner.noteEdit(this.namesOf(origin as SocketOrigin));
  };

  private readonly onAwareness = (): void => {
    this.awarenessTick++;
  };

  /**
   * The names of `origin`'s awareness states, read again only when the origin, the awareness
   * states or the ids it owns (the guard moves ids on a same-link takeover) changed: a run of
   * keystrokes by one socket then costs no allocation. The array is never mutated.
   */
  private namesOf(origin: SocketOrigin): string[] {
    if (
      origin !== this.namedOrigin ||
      this.awarenessTick !== this.namedTick ||
      origin.awarenessIds.size !== this.namedIds
    ) {
      this.names = this.readNames(origin);
      this.namedOrigin = origin;
      this.namedTick = this.awarenessTick;
      this.namedIds = origin.awarenessIds.size;
    }
    return this.names;
  }

  private readNames(origin: SocketOrigin): string[] {
    const names: string[] = [];
    const states = this.room.awareness.getStates();
    for (const id of origin.awarenessIds) {
      const user = states.get(id)?.user as { name?: unknown } | undefined;
      if (typeof user?.name === 'string' && user.name.trim()) names.push(user.name.trim());
    }
    return names.length > 0 ? names : [ANONYMOUS];
  }

  private async saveAuto(authors: string[]): Promise<void> {
    await this.save('auto', null, authors);
    await this.thin();
  }

  private async save(kind: VersionKind, name: string | null, authors: string[]) {
    const createdAt = this.deps.clock.now();
    const state = await encodeVersionState(this.room.fullState());
    const meta = await this.deps.store.saveVersion(this.room.id, {
      kind,
      name,
      authors,
      createdAt,
      state,
    });
    this.deps.onSaved?.(meta);
    return meta;
  }

  private async thin(): Promise<void> {
    try {
      const versions = await this.deps.store.listVersions(this.room.id);
      const drop = versionsToThin(versions, this.deps.clock.now(), this.deps.retention);
      if (drop.length > 0) await this.deps.store.deleteVersions(this.room.id, drop);
    } catch (err) {
      this.deps.onError(err, 'thinning versions failed');
    }
  }
}
