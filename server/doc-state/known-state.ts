/**
 * What a room's document holds, kept without a Y.Doc: the state vector (next clock per client)
 * and the delete set (per client, sorted disjoint [start, end) ranges). Updated incrementally as
 * updates are accepted, never rebuilt by a scan; enough to check an update's dependencies, to
 * tell whether it adds anything, and to write sync step 1 and the ack.
 */
import { createHash } from 'node:crypto';
import * as encoding from 'lib0/encoding';

export class KnownState {
  /** client → the first clock not yet known. */
  private readonly clocks = new Map<number, number>();
  /** client → flat [start0, end0, start1, end1, …], sorted, disjoint, never adjacent. */
  private readonly deleted = new Map<number, number[]>();
  private encodedVector: Uint8Array | null = null;

  clock(client: number): number {
    return this.clocks.get(client) ?? 0;
  }

  /** Every clock below `clock` of `client` is known from now on. */
  advance(client: number, clock: number): void {
    if (clock > (this.clocks.get(client) ?? 0)) {
      this.clocks.set(client, clock);
      this.encodedVector = null;
    }
  }

  get clientCount(): number {
    return this.clocks.size;
  }

  /** Is every clock in [start, end) of `client` deleted already? */
  coversDelete(client: number, start: number, end: number): boolean {
    const ranges = this.deleted.get(client);
    if (!ranges) return false;
    const at = lastStartAtOrBefore(ranges, start);
    return at >= 0 && (ranges[at + 1] as number) >= end;
  }

  /** Mark [start, end) of `client` deleted, merging with the ranges it touches. */
  addDelete(client: number, start: number, end: number): void {
    if (end <= start) return;
    let ranges = this.deleted.get(client);
    if (!ranges) {
      ranges = [];
      this.deleted.set(client, ranges);
    }
    // The first range that ends at or after `start` (it may merge), then every one it overlaps.
    let first = lastStartAtOrBefore(ranges, start);
    if (first < 0 || (ranges[first + 1] as number) < start) first += 2;
    let last = first;
    let newStart = start;
    let newEnd = end;
    while (last < ranges.length && (ranges[last] as number) <= end) {
      newStart = Math.min(newStart, ranges[last] as number);
      newEnd = Math.max(newEnd, ranges[last + 1] as number);
      last += 2;
    }
    ranges.splice(first, last - first, newStart, newEnd);
  }

  /** Number of delete ranges kept (for limits and metrics). */
  get deleteRangeCount(): number {
    let count = 0;
    for (const ranges of this.deleted.values()) count += ranges.length / 2;
    return count;
  }

  /**
   * A digest of everything known (clocks and deletions, in a canonical order): replicas holding
   * the same document agree on it whatever order updates came in (webhooks' dedupe keys).
   */
  fingerprint(): string {
    const hash = createHash('sha256');
    for (const client of [...this.clocks.keys()].sort((a, b) => a - b)) {
      hash.update(`c${client}:${this.clocks.get(client)};`);
    }
    for (const client of [...this.deleted.keys()].sort((a, b) => a - b)) {
      const ranges = this.deleted.get(client) as number[];
      if (ranges.length > 0) hash.update(`d${client}:${ranges.join(',')};`);
    }
    return hash.digest('hex').slice(0, 32);
  }

  /** The state vector in Yjs's v1 encoding (as `Y.encodeStateVector`), cached until it changes. */
  encodeStateVector(): Uint8Array {
    if (this.encodedVector) return this.encodedVector;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, this.clocks.size);
    for (const [client, clock] of this.clocks) {
      encoding.writeVarUint(encoder, client);
      encoding.writeVarUint(encoder, clock);
    }
    this.encodedVector = encoding.toUint8Array(encoder);
    return this.encodedVector;
  }
}

/** Index (even) of the last range starting at or before `clock`, or -2 when there is none. */
function lastStartAtOrBefore(ranges: readonly number[], clock: number): number {
  let low = 0;
  let high = ranges.length / 2 - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((ranges[mid * 2] as number) <= clock) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found * 2;
}
