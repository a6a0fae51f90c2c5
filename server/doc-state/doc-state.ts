/**
 * A room's document without a resident Y.Doc: a snapshot (Yjs v1 update bytes) plus the updates
 * accepted since, and what they make known (KnownState). Accepted updates are folded into the
 * snapshot in large steps (merging is linear in the snapshot, so folding on every update would be
 * quadratic), and the snapshot is compacted through a Y.Doc off the main thread: merging never
 * garbage-collects deleted content or coalesces adjacent items, compaction does.
 *
 * Measured (research notes, yjs 13.6): a Y.Doc takes 9–34× the bytes of its compacted state,
 * and integrating an update costs 9–15 µs against 1–3 µs for the check done here.
 */
import * as Y from 'yjs';
import { isEmptyUpdate } from '../protocol';
import { KnownState } from './known-state';
import { applyEffect, checkUpdate, type UpdateEffect, type UpdateVerdict } from './update-check';

/** `Y.mergeUpdates` re-sorts its inputs at every step: one call with many inputs is quadratic. */
const MAX_MERGE_INPUTS = 100;
/** Fold once the pending updates reach this many bytes, or the snapshot's size if larger. */
const MIN_FOLD_BYTES = 64 * 1024;
/** Compact once the merged snapshot is this much larger than the last compacted one … */
const COMPACT_GROWTH = 2;
/** … and at least this large (below it, merging costs little and compaction gains little) … */
const MIN_COMPACT_BYTES = 64 * 1024;
/**
 * … and made of at least this many updates: what merging leaves uncompacted is one item per
 * keystroke and deleted content, so a few large updates (a client's whole state) gain nothing.
 */
const MIN_COMPACT_UPDATES = 64;

/** An update that holds nothing: no structs, no deletions. */
export const EMPTY_UPDATE = new Uint8Array([0, 0]);

export class DocState {
  readonly known = new KnownState();
  private snapshot: Uint8Array;
  /** Size of the last compacted snapshot: the merged one is compacted again once it doubles. */
  private compactedBytes: number;
  private pending: Uint8Array[] = [];
  private pendingBytes_ = 0;
  /** Updates taken in since the last compaction. */
  private updatesSinceCompaction = 0;
  /** While a compaction runs: the updates accepted after its inputs were taken. */
  private sinceCompaction: Uint8Array[] | null = null;
  private version_ = 0;

  /**
   * `state`: a compacted state. Throws when it is not one this relay can serve (malformed, or
   * depending on clocks it lacks).
   */
  constructor(state: Uint8Array) {
    this.snapshot = state;
    this.compactedBytes = state.length;
    const verdict = checkUpdate(state, this.known);
    if (verdict.kind === 'missing') throw new Error('stored state depends on missing updates');
    if (verdict.kind === 'new') applyEffect(this.known, verdict.effect);
  }

  /** Bumped whenever the document changes: caches keyed on it stay valid until then. */
  get version(): number {
    return this.version_;
  }

  /** Bytes held: the snapshot plus the pending updates (about what a full sync sends). */
  get bytes(): number {
    return this.snapshot.length + this.pendingBytes_;
  }

  get pendingBytes(): number {
    return this.pendingBytes_;
  }

  /** Throws MalformedUpdate. */
  check(update: Uint8Array): UpdateVerdict {
    return checkUpdate(update, this.known);
  }

  /**
   * Take in an update `check` found new. A view into a larger buffer (a socket read shared by
   * several frames) is copied, so that keeping the update does not keep the whole buffer.
   */
  accept(update: Uint8Array, effect: UpdateEffect): void {
    applyEffect(this.known, effect);
    const own = update.byteLength === update.buffer.byteLength ? update : new Uint8Array(update);
    this.pending.push(own);
    this.pendingBytes_ += own.length;
    this.sinceCompaction?.push(own);
    this.updatesSinceCompaction++;
    this.version_++;
    if (this.pendingBytes_ >= Math.max(MIN_FOLD_BYTES, this.snapshot.length)) this.fold();
  }

  /** The whole document as one update (folds what is pending). */
  fullState(): Uint8Array {
    this.fold();
    return this.snapshot;
  }

  /** What a client with `stateVector` lacks, as one update. */
  diff(stateVector: Uint8Array): Uint8Array {
    return Y.diffUpdate(this.fullState(), stateVector);
  }

  /** The merged snapshot has grown enough since the last compaction to compact it again. */
  wantsCompaction(): boolean {
    return (
      this.sinceCompaction === null &&
      this.updatesSinceCompaction >= MIN_COMPACT_UPDATES &&
      this.bytes > compactionThreshold(this.compactedBytes)
    );
  }

  /**
   * Start a compaction: returns the updates that make the document now (for a Y.Doc to load);
   * updates accepted from now on are kept aside until `finishCompaction` or `abortCompaction`.
   */
  beginCompaction(): Uint8Array[] {
    this.sinceCompaction = [];
    return this.pending.length > 0 ? [this.snapshot, ...this.pending] : [this.snapshot];
  }

  /** Adopt `compacted` (the document as of `beginCompaction`) plus what came since. */
  finishCompaction(compacted: Uint8Array): void {
    const since = this.sinceCompaction ?? [];
    this.sinceCompaction = null;
    this.snapshot = compacted;
    this.compactedBytes = compacted.length;
    this.pending = since;
    this.pendingBytes_ = since.reduce((sum, update) => sum + update.length, 0);
    this.updatesSinceCompaction = since.length;
    this.version_++;
  }

  /**
   * Hold the snapshot as `view` (the same bytes, inside the frame that sends it to joiners), so
   * the state is kept once. Only right after `fullState()`, before anything else changes.
   */
  adoptSnapshotView(view: Uint8Array): void {
    if (this.pending.length > 0 || view.length !== this.snapshot.length) {
      throw new Error('snapshot view does not match the snapshot');
    }
    this.snapshot = view;
  }

  abortCompaction(): void {
    this.sinceCompaction = null;
  }

  /** Compact on this thread now (rare: near the document size limit). Returns the size. */
  compactNow(): number {
    const doc = this.materialize();
    let compacted: Uint8Array;
    try {
      compacted = Y.encodeStateAsUpdate(doc);
    } finally {
      doc.destroy();
    }
    // With a compaction running on the worker, adopting this one would make that one's finish
    // keep only what arrived after it began: measure only, it adopts its own result soon.
    if (this.sinceCompaction === null) this.finishCompaction(compacted);
    return compacted.length;
  }

  /** A Y.Doc of the document as it is now, for the caller to use and destroy. */
  materialize(): Y.Doc {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, this.fullState());
    return doc;
  }

  private fold(): void {
    if (this.pending.length === 0) return;
    const merged = mergeAll(this.pending);
    // An empty document (a new room) needs no merge: the pending updates are the document.
    this.snapshot = isEmptyUpdate(this.snapshot) ? merged : mergeAll([this.snapshot, merged]);
    this.pending = [];
    this.pendingBytes_ = 0;
  }
}

function compactionThreshold(compactedBytes: number): number {
  return Math.max(MIN_COMPACT_BYTES, COMPACT_GROWTH * compactedBytes);
}

/** `Y.mergeUpdates` over any number of updates, at most MAX_MERGE_INPUTS per call. */
export function mergeAll(updates: readonly Uint8Array[]): Uint8Array {
  let level = updates;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += MAX_MERGE_INPUTS) {
      const group = level.slice(i, i + MAX_MERGE_INPUTS);
      next.push(group.length === 1 ? (group[0] as Uint8Array) : Y.mergeUpdates(group));
    }
    level = next;
  }
  return level[0] ?? EMPTY_UPDATE;
}
