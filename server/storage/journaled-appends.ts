/**
 * Appends through a journal, folded into a table in the background (the SQLite store's write
 * path; sqlite.ts gives it the table's fold transaction).
 *
 * Two journal files take turns. Appends go to the active one. A fold starts FOLD_INTERVAL_MS
 * after the first append it will take (at once when FOLD_AT_ENTRIES wait): the other file
 * becomes active, and the entries of the one that was active are folded FOLD_CHUNK_ENTRIES per
 * event-loop turn, so one fold never holds the loop for long. Once all of them are in the table,
 * that file is emptied. A crash at any point leaves every acknowledged entry in a journal or in
 * the table (or both: replay ignores rows already there).
 */
import { asError } from '../errors';
import { type Journal, type JournalEntry, openJournal, readJournal } from './sqlite-journal';

/** A fold starts at most this long after the first append it takes. */
const FOLD_INTERVAL_MS = 250;
/** ... or at once when this many entries wait, which bounds a fold. */
const FOLD_AT_ENTRIES = 4096;
/** Entries folded per transaction, one transaction per event-loop turn. */
const FOLD_CHUNK_ENTRIES = 64;

export interface FoldTarget {
  /** Insert `entries` in one transaction, skipping rows already there; throws on failure. */
  fold(entries: readonly JournalEntry[]): void;
  /** A fold committed (something new to checkpoint). */
  onFolded(): void;
  /** A fold failed (it is retried after FOLD_INTERVAL_MS), or a replay dropped a torn tail. */
  onError(error: Error): void;
}

/** The journal files of the store at `path`. */
const journalPaths = (path: string): [string, string] => [
  `${path}-updates-0.log`,
  `${path}-updates-1.log`,
];

/** Per room, the entries that are not in the table yet, oldest first. */
class UnfoldedEntries {
  private readonly byRoom = new Map<string, JournalEntry[]>();

  add(entry: JournalEntry): void {
    const list = this.byRoom.get(entry.room);
    if (list) list.push(entry);
    else this.byRoom.set(entry.room, [entry]);
  }

  of(room: string): readonly JournalEntry[] {
    return this.byRoom.get(room) ?? [];
  }

  /** Forget `room`'s entries with seq <= `seq` (they are in the table or covered). */
  dropThrough(room: string, seq: number): void {
    const list = this.byRoom.get(room);
    if (!list) return;
    let first = 0;
    while (first < list.length && (list[first] as JournalEntry).seq <= seq) first++;
    if (first === list.length) this.byRoom.delete(room);
    else if (first > 0) list.splice(0, first);
  }
}

export class JournaledAppends {
  private readonly journals: [Journal, Journal];
  private active: 0 | 1 = 0;
  /** Entries in the active journal, in append order. */
  private appended: JournalEntry[] = [];
  /** Entries of the other journal still being folded, and how many of them are done. */
  private folding: JournalEntry[] = [];
  private foldedCount = 0;
  private readonly unfolded = new UnfoldedEntries();
  /** The next fold or fold chunk, when one is scheduled. */
  private scheduled: Scheduled | null = null;
  private closed = false;

  /**
   * Fold whatever journals a crash left at `path` into `target`, then open them empty.
   * Throws if that fold fails (the journals are kept for the next attempt).
   */
  constructor(
    path: string,
    private readonly target: FoldTarget,
    options: { readonly fsync: boolean },
  ) {
    const paths = journalPaths(path);
    for (const journalPath of paths) {
      const { entries, discardedBytes } = readJournal(journalPath);
      if (entries.length > 0) {
        target.fold(entries);
        target.onFolded();
      }
      if (discardedBytes > 0) {
        target.onError(
          new Error(`journal: dropped a torn last record (${discardedBytes} bytes) at open`),
        );
      }
    }
    this.journals = [openJournal(paths[0], options), openJournal(paths[1], options)];
  }

  /** Write `entries` (seqs assigned) to the journal: durable when this returns. */
  append(entries: readonly JournalEntry[]): void {
    if (this.closed) throw new Error('journal is closed');
    for (const entry of this.journals[this.active].append(entries)) {
      this.appended.push(entry);
      this.unfolded.add(entry);
    }
    if (this.folding.length > 0) return; // The fold in progress starts the next one.
    if (this.appended.length >= FOLD_AT_ENTRIES) this.startFoldSoon(0);
    else if (!this.scheduled) this.startFoldSoon(FOLD_INTERVAL_MS);
  }

  /** `room`'s entries not in the table yet, oldest first (all newer than its rows). */
  unfoldedOf(room: string): readonly JournalEntry[] {
    return this.unfolded.of(room);
  }

  /** A compaction now covers `room` through `seq`: those entries must not be loaded again. */
  dropThrough(room: string, seq: number): void {
    this.unfolded.dropThrough(room, seq);
  }

  /** Fold everything left in one go and remove the journals (or keep them if that fails). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.scheduled?.cancel();
    let folded = true;
    try {
      const rest = [...this.folding.slice(this.foldedCount), ...this.appended];
      if (rest.length > 0) {
        this.target.fold(rest);
        this.target.onFolded();
      }
    } catch (error) {
      folded = false;
      this.target.onError(asError(error));
    }
    for (const journal of this.journals) journal.close({ remove: folded });
  }

  private startFoldSoon(delayMs: number): void {
    this.scheduled?.cancel();
    this.scheduled = later(() => this.startFold(), delayMs);
  }

  private startFold(): void {
    this.scheduled = null;
    if (this.closed || this.folding.length > 0 || this.appended.length === 0) return;
    this.folding = this.appended;
    this.foldedCount = 0;
    this.appended = [];
    this.active = this.active === 0 ? 1 : 0;
    this.foldChunk();
  }

  private foldChunk(): void {
    this.scheduled = null;
    if (this.closed) return;
    const chunk = this.folding.slice(this.foldedCount, this.foldedCount + FOLD_CHUNK_ENTRIES);
    try {
      this.target.fold(chunk);
    } catch (error) {
      this.target.onError(asError(error));
      this.scheduled = later(() => this.foldChunk(), FOLD_INTERVAL_MS);
      return;
    }
    this.target.onFolded();
    const foldedThrough = new Map<string, number>();
    for (const { room, seq } of chunk) foldedThrough.set(room, seq);
    for (const [room, seq] of foldedThrough) this.unfolded.dropThrough(room, seq);
    this.foldedCount += chunk.length;
    if (this.foldedCount < this.folding.length) {
      // After the I/O that waited: a fold takes turns with the rooms' traffic.
      this.scheduled = later(() => this.foldChunk(), 0);
      return;
    }
    // Every entry of the inactive journal is in the table.
    this.journals[this.active === 0 ? 1 : 0].clear();
    this.folding = [];
    this.foldedCount = 0;
    if (this.appended.length > 0) {
      this.startFoldSoon(this.appended.length >= FOLD_AT_ENTRIES ? 0 : FOLD_INTERVAL_MS);
    }
  }
}

interface Scheduled {
  cancel(): void;
}

/** Run `fn` after `delayMs`, or after the pending I/O for 0; never keeps the process alive. */
function later(fn: () => void, delayMs: number): Scheduled {
  if (delayMs === 0) {
    const immediate = setImmediate(fn).unref();
    return { cancel: () => clearImmediate(immediate) };
  }
  const timeout = setTimeout(fn, delayMs).unref();
  return { cancel: () => clearTimeout(timeout) };
}
