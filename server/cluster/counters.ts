/**
 * What one instance sent to and received from the other instances, as plain numbers bumped on
 * the hot path (no allocation, no label hashing) and copied into Prometheus counters when
 * /metrics is scraped (see RelayMetrics.observeCluster).
 */

/** Frame kinds on the bus, read from the first bytes of a y-websocket frame. */
export type ClusterFrameKind = 'sync-step1' | 'sync-step2' | 'sync-update' | 'awareness' | 'other';

export const CLUSTER_FRAME_KINDS: readonly ClusterFrameKind[] = [
  'sync-step1',
  'sync-step2',
  'sync-update',
  'awareness',
  'other',
];

export interface FrameTally {
  frames: number;
  bytes: number;
}

/** The kind of a frame from its leading bytes; no decoding, no allocation. */
export function frameKind(frame: Uint8Array): ClusterFrameKind {
  if (frame[0] === 1) return 'awareness';
  if (frame[0] !== 0) return 'other';
  switch (frame[1]) {
    case 0:
      return 'sync-step1';
    case 1:
      return 'sync-step2';
    case 2:
      return 'sync-update';
    default:
      return 'other';
  }
}

function tallies(): Record<ClusterFrameKind, FrameTally> {
  return {
    'sync-step1': { frames: 0, bytes: 0 },
    'sync-step2': { frames: 0, bytes: 0 },
    'sync-update': { frames: 0, bytes: 0 },
    awareness: { frames: 0, bytes: 0 },
    other: { frames: 0, bytes: 0 },
  };
}

export class ClusterCounters {
  /** Frames handed to the bus, by kind (a broadcast counts once, whatever the audience). */
  readonly published = tallies();
  /** Frames delivered from other instances, by kind. */
  readonly received = tallies();
  /** Bus messages actually sent (a message may carry several frames of one room). */
  messagesPublished = 0;
  /** Bus messages received and accepted. */
  messagesReceived = 0;
  /** Anti-entropy rounds started: state vectors broadcast to a room's channel. */
  antiEntropyRounds = 0;
  /** Frames of this instance's sockets not published: no other instance held the room. */
  framesWithheld = 0;

  countPublished(frame: Uint8Array, broadcast: boolean): void {
    const kind = frameKind(frame);
    const tally = this.published[kind];
    tally.frames++;
    tally.bytes += frame.length;
    if (broadcast && kind === 'sync-step1') this.antiEntropyRounds++;
  }

  countReceived(frame: Uint8Array): void {
    const tally = this.received[frameKind(frame)];
    tally.frames++;
    tally.bytes += frame.length;
  }
}
