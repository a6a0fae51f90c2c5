/**
 * Groups the updates of one event-loop turn, across all rooms, into one DocStore.append (one
 * transaction), so durability costs one commit per turn rather than one per update.
 *
 * Writes are serial: while one append is in flight, new updates collect into the next batch,
 * which starts as soon as the current one settles. Rooms therefore learn about their batches
 * in order, which keeps broadcasts in the order updates were applied.
 *
 * A batch is written on the next turn (setImmediate), so every socket read of a turn shares one
 * commit, and under load the reads that arrive while a commit is in flight share the next one.
 * There is no time window: one holds every update back by up to its length (it was 2 ms, which
 * made the median delivery 3.7× the reference server's while saving no measurable CPU;
 * BENCHMARKS.md, issue 14). A synchronous store (SQLite) stores and broadcasts a batch within
 * one callback, without a promise per batch.
 */
import type { Logger } from './log';
import type { RelayMetrics } from './metrics';
import type { AppendEntry, DocStore } from './storage/store';

/** A room as the batcher sees it. */
export interface BatchMember {
  readonly id: string;
  /** The batch holding this member's queued updates is about to be written. */
  beforeWrite(): void;
  /** `count` updates (the oldest not yet reported) are durable; `lastSeq` is the room's last seq. */
  stored(count: number, lastSeq: number): void;
  /** The batch holding this member's updates failed; they are not durable. */
  storeFailed(err: unknown): void;
}

export class WriteBatcher {
  private entries: AppendEntry[] = [];
  private members = new Map<BatchMember, number>();
  private scheduled = false;
  private writing: Promise<void> | null = null;
  private readonly run = () => {
    this.scheduled = false;
    if (this.writing) return;
    if (this.store.appendSync) this.writeSync(this.store.appendSync);
    else this.writing = this.writeAll();
  };

  constructor(
    private readonly store: DocStore,
    private readonly metrics: RelayMetrics,
    private readonly logger: Logger,
  ) {}

  /** Queue one update of `member` for the next append. */
  enqueue(member: BatchMember, update: Uint8Array): void {
    this.entries.push({ room: member.id, update });
    this.members.set(member, (this.members.get(member) ?? 0) + 1);
    if (!this.scheduled && !this.writing) this.schedule();
  }

  /** Resolves once everything queued before the call is durable (or has failed). */
  async drain(): Promise<void> {
    if (this.store.appendSync) {
      // A pending timer then finds nothing to write.
      this.writeSync(this.store.appendSync);
      return;
    }
    while (this.writing || this.entries.length > 0) {
      if (!this.writing) this.writing = this.writeAll();
      await this.writing;
    }
  }

  private schedule(): void {
    this.scheduled = true;
    // setImmediate (not a microtask or setTimeout 0): it runs after every socket read of this
    // turn, so all of them share one write.
    setImmediate(this.run);
  }

  private writeSync(appendSync: NonNullable<DocStore['appendSync']>): void {
    const batch = this.take();
    if (!batch) return;
    const started = performance.now();
    let seqs: Map<string, number>;
    try {
      seqs = appendSync(batch.entries);
    } catch (err) {
      this.failed(batch, err);
      return;
    }
    this.settle(batch.members, seqs, started);
  }

  private async writeAll(): Promise<void> {
    try {
      while (this.entries.length > 0) await this.writeBatch();
    } finally {
      this.writing = null;
    }
  }

  private async writeBatch(): Promise<void> {
    const batch = this.take();
    if (!batch) return;
    const started = performance.now();
    let seqs: Map<string, number>;
    try {
      seqs = await this.store.append(batch.entries);
    } catch (err) {
      this.failed(batch, err);
      return;
    }
    this.settle(batch.members, seqs, started);
  }

  /** Detach the queued entries as one batch and tell its members it is about to be written. */
  private take(): { entries: AppendEntry[]; members: Map<BatchMember, number> } | null {
    if (this.entries.length === 0) return null;
    const batch = { entries: this.entries, members: this.members };
    this.entries = [];
    this.members = new Map();
    for (const member of batch.members.keys()) member.beforeWrite();
    return batch;
  }

  private failed(
    batch: { entries: AppendEntry[]; members: Map<BatchMember, number> },
    err: unknown,
  ): void {
    this.logger.error(
      { err, rooms: batch.members.size, updates: batch.entries.length },
      'storage append failed; the rooms involved are reset',
    );
    for (const member of batch.members.keys()) member.storeFailed(err);
  }

  private settle(members: Map<BatchMember, number>, seqs: Map<string, number>, started: number) {
    this.metrics.appendSeconds.observe((performance.now() - started) / 1000);
    for (const [member, count] of members) {
      const lastSeq = seqs.get(member.id);
      try {
        if (lastSeq === undefined) throw new Error(`store returned no seq for room ${member.id}`);
        member.stored(count, lastSeq);
      } catch (err) {
        this.logger.error({ err, room: member.id }, 'after-append handling failed');
        member.storeFailed(err);
      }
    }
  }
}
