/**
 * When and how a room's document is compacted: in memory, once the merged snapshot has grown
 * enough (DocState.wantsCompaction), and in storage, once the room's log is long enough or the
 * room unloads (the log up to the last stored seq becomes one snapshot). The Y.Doc work runs on
 * the compactor's worker thread; this module only decides and keeps the log's length.
 */
import type { Compacted, Compactor } from './doc-state/compactor';
import { DocState, EMPTY_UPDATE } from './doc-state/doc-state';
import { errorMessage } from './errors';
import type { Logger } from './log';
import type { DocStore } from './storage/store';

export interface CompactionDeps {
  readonly store: DocStore;
  readonly compactor: Compactor;
  readonly logger: Logger;
  readonly compactAfterUpdates: number;
  readonly compactAfterBytes: number;
  /** Other instances append to the same log (see RoomDeps.sharedStore). */
  readonly sharedStore?: boolean;
}

/** What compaction needs of its room. */
export interface CompactedRoom {
  readonly id: string;
  readonly state: DocState;
  /** The last seq known to be stored for the room. */
  readonly lastSeq: number;
  /** Storage failed: the room is being dropped, nothing more may be written for it. */
  readonly broken: boolean;
  /** The state was replaced by a compacted one (caches of it can go). */
  compacted(): void;
}

export class RoomCompaction {
  /** Log entries and bytes since the last stored snapshot. */
  private logCount: number;
  private logBytes: number;
  private running: Promise<void> | null = null;

  constructor(
    private readonly room: CompactedRoom,
    private readonly deps: CompactionDeps,
    log: { readonly count: number; readonly bytes: number },
  ) {
    this.logCount = log.count;
    this.logBytes = log.bytes;
  }

  /** One more update was queued for the log. */
  appended(bytes: number): void {
    this.logCount++;
    this.logBytes += bytes;
  }

  /** Start a compaction if one is due and none runs. */
  maybeCompact(): void {
    if (this.running || this.room.broken) return;
    if (!this.logWantsCompaction() && !this.room.state.wantsCompaction()) return;
    // Off the broadcast path; the Y.Doc work itself runs on the compactor's worker thread.
    this.running = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.compact(false),
    );
  }

  /** Wait for a running compaction, then compact the log if it holds more than one entry. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (!this.room.broken && this.logCount > 1) {
      this.running = this.compact(true);
      await this.running;
    }
  }

  private logWantsCompaction(): boolean {
    return (
      this.logCount >= this.deps.compactAfterUpdates || this.logBytes >= this.deps.compactAfterBytes
    );
  }

  /**
   * Compact the state in memory and, when the stored log is long enough (or `storeAlways`),
   * replace the log up to the last stored seq by one snapshot. The snapshot may also hold updates
   * still being written; they stay in the log too (applying twice is harmless).
   */
  private async compact(storeAlways: boolean): Promise<void> {
    const { room, deps } = this;
    let throughSeq = room.lastSeq;
    const count = this.logCount;
    const bytes = this.logBytes;
    try {
      if (room.broken) return;
      const inputs = room.state.beginCompaction();
      let compacted: Uint8Array;
      try {
        compacted = withoutDangling(await deps.compactor.compact(inputs));
      } catch (err) {
        room.state.abortCompaction();
        throw err;
      }
      if (room.broken) return;
      room.state.finishCompaction(compacted);
      room.compacted();
      if (!storeAlways && !this.logWantsCompaction()) return;
      let snapshot = compacted;
      if (deps.sharedStore) {
        // Other instances append to this log too, and this room may not have seen their latest
        // updates yet: a snapshot of it could drop them. Snapshot the stored log instead.
        const stored = await deps.store.load(room.id);
        snapshot = withoutDangling(await deps.compactor.compact(stored.updates));
        throughSeq = stored.lastSeq;
      }
      await deps.store.compact(room.id, snapshot, throughSeq);
      this.logCount -= count;
      this.logBytes -= bytes;
      deps.logger.debug({ room: room.id, throughSeq, bytes: snapshot.length }, 'compacted');
    } catch (err) {
      deps.logger.error({ room: room.id, err: errorMessage(err) }, 'compaction failed');
    } finally {
      this.running = null;
    }
    // Updates that arrived meanwhile may already call for the next one.
    if (!storeAlways) this.maybeCompact();
  }
}

/**
 * A room's state from its stored updates: a single update (already a snapshot) is checked on
 * this thread; several are compacted through a Y.Doc on the worker.
 */
export async function loadDocState(
  id: string,
  updates: readonly Uint8Array[],
  deps: Pick<CompactionDeps, 'compactor' | 'logger'>,
): Promise<DocState> {
  if (updates.length === 0) return new DocState(EMPTY_UPDATE);
  if (updates.length === 1) {
    try {
      return new DocState(updates[0] as Uint8Array);
    } catch {
      // Not servable as it is (e.g. written before updates were checked): compact it below.
    }
  }
  const compacted = await deps.compactor.compact(updates);
  if (compacted.dangling) {
    // Stored before updates were checked (a Y.Doc kept them pending): they never integrated.
    deps.logger.warn({ room: id }, 'stored updates with missing dependencies left out');
  }
  return new DocState(compacted.state);
}

/** Every update checked on the way in integrates, so a dangling remainder is a bug: refuse. */
function withoutDangling(compacted: Compacted): Uint8Array {
  if (compacted.dangling) throw new Error('compaction input has missing dependencies');
  return compacted.state;
}
