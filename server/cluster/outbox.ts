/**
 * Outbox: coalesces published frames into few bus writes, in publish order.
 *
 * Consecutive frames for the same room and target form one group (one bus message). Groups are
 * handed to `write` together at the end of the event-loop turn (after every socket read of it),
 * or, like Nagle's algorithm, at the end of a `windowMs` window opened by the previous write: on
 * a busy relay each write then carries several frames, while a quiet relay's go out at once.
 */

export interface OutboxGroup {
  readonly room: string;
  /** Target instance, or undefined for the room's channel. */
  readonly to: string | undefined;
  readonly frames: Uint8Array[];
}

export class Outbox {
  private groups: OutboxGroup[] = [];
  private scheduled = false;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private readonly scheduledFlush = () => this.flush();

  constructor(
    /** Sends every group, in order; called with at least one group. */
    private readonly write: (groups: readonly OutboxGroup[]) => void,
    private readonly windowMs: number,
  ) {}

  add(room: string, to: string | undefined, frame: Uint8Array): void {
    const last = this.groups[this.groups.length - 1];
    if (last && last.room === room && last.to === to) last.frames.push(frame);
    else this.groups.push({ room, to, frames: [frame] });
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastWriteAt + this.windowMs - performance.now();
    if (wait >= 1) setTimeout(this.scheduledFlush, wait);
    else setImmediate(this.scheduledFlush);
  }

  /** Write what is pending now (a scheduled flush then finds nothing). */
  flush(): void {
    this.scheduled = false;
    const groups = this.groups;
    if (groups.length === 0) return;
    this.groups = [];
    this.lastWriteAt = performance.now();
    this.write(groups);
  }
}
