/**
 * Updates whose dependencies have not arrived, held briefly in case they do (two tabs racing
 * over a BroadcastChannel, an instance relaying out of order). A Y.Doc would keep them pending
 * for ever and re-merge them on every later update; here each sender may park a little for a
 * short while, and is then dropped. A parked update is never stored or broadcast.
 */

/** Per sender: past this many parked bytes, the sender is dropped. */
export const MAX_PARKED_BYTES = 64 * 1024;
/** A parked update older than this is dropped, with its sender. */
export const MAX_PARKED_MS = 10_000;

export interface ParkedUpdate<Sender> {
  /** null: from another instance. */
  readonly sender: Sender | null;
  readonly update: Uint8Array;
  readonly frame: Uint8Array | null;
  readonly parkedAt: number;
}

export class ParkedUpdates<Sender> {
  private entries: ParkedUpdate<Sender>[] = [];
  private readonly bytesBySender = new Map<Sender | null, number>();
  private timer: NodeJS.Timeout | null = null;
  private retrying = false;

  /** `expired`: a sender whose updates waited too long (they are dropped already). */
  constructor(private readonly expired: (sender: Sender | null) => void) {}

  get size(): number {
    return this.entries.length;
  }

  /** Park an update; false when its sender is over the limit (nothing is parked then). */
  park(sender: Sender | null, update: Uint8Array, frame: Uint8Array | null): boolean {
    const bytes = (this.bytesBySender.get(sender) ?? 0) + update.length;
    if (bytes > MAX_PARKED_BYTES) return false;
    this.bytesBySender.set(sender, bytes);
    // A copy: the received frame may share its memory with others (ws's buffer pool).
    this.entries.push({
      sender,
      update: new Uint8Array(update),
      frame: frame ? new Uint8Array(frame) : null,
      parkedAt: performance.now(),
    });
    this.armTimer(MAX_PARKED_MS);
    return true;
  }

  /**
   * Offer every parked update to `retry` in the order parked, again while any is taken:
   * `retry` returns true when the update left the park (accepted or found known). A call made
   * from within `retry` (an accepted update advancing the document) returns at once.
   */
  retry(retry: (entry: ParkedUpdate<Sender>) => boolean): void {
    if (this.entries.length === 0 || this.retrying) return;
    this.retrying = true;
    try {
      let progress = true;
      while (progress && this.entries.length > 0) {
        progress = false;
        const kept: ParkedUpdate<Sender>[] = [];
        for (const entry of this.entries) {
          if (retry(entry)) {
            this.release(entry);
            progress = true;
          } else {
            kept.push(entry);
          }
        }
        this.entries = kept;
      }
    } finally {
      this.retrying = false;
    }
  }

  /** Drop everything `sender` parked. */
  forget(sender: Sender | null): void {
    if (!this.bytesBySender.delete(sender)) return;
    this.entries = this.entries.filter((entry) => entry.sender !== sender);
  }

  /** Stop the expiry timer (the room is going away). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly expire = (): void => {
    this.timer = null;
    const cutoff = performance.now() - MAX_PARKED_MS;
    const senders = new Set<Sender | null>();
    for (const entry of this.entries) if (entry.parkedAt <= cutoff) senders.add(entry.sender);
    for (const sender of senders) {
      this.forget(sender);
      this.expired(sender);
    }
    // Entries are in the order parked: the first one left expires next.
    const oldest = this.entries[0];
    if (oldest) this.armTimer(Math.max(1, oldest.parkedAt - cutoff));
  };

  private armTimer(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(this.expire, ms);
    this.timer.unref();
  }

  private release(entry: ParkedUpdate<Sender>): void {
    const left = (this.bytesBySender.get(entry.sender) ?? 0) - entry.update.length;
    if (left > 0) this.bytesBySender.set(entry.sender, left);
    else this.bytesBySender.delete(entry.sender);
  }
}
