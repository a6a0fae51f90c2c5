/**
 * Prometheus metrics of one relay, in its own Registry (tests run several relays per process).
 *
 * The per-message path only bumps plain numbers: prom-client's label hashing and observe()
 * allocate on every call, which would show up in CPU per delivered update. Values are copied
 * into prom-client metrics when /metrics is scraped.
 */
import { Counter, Gauge, type Histogram, Registry } from 'prom-client';
import type { DroppedPresenceField } from '../lib/presence';
import type { ClusterStatus } from './cluster/cluster';
import type { ClusterCounters, FrameTally } from './cluster/counters';
import type { GuardRejectReason } from './guard/security';
import type { ThrottleStats } from './guard/throttle';
import { MESSAGE_KINDS, type MessageKind } from './protocol';

/** Kinds of frames the relay sends. */
export type OutKind = 'sync-step1' | 'sync-step2' | 'sync-update' | 'awareness' | 'ack';
const OUT_KINDS: readonly OutKind[] = [
  'sync-step1',
  'sync-step2',
  'sync-update',
  'awareness',
  'ack',
];

export type RejectReason =
  | 'malformed'
  /** An update waited for missing dependencies / was dropped when they never came. */
  | 'parked'
  | 'unsynced'
  | 'too-big'
  | 'slow-consumer'
  | 'bad-room'
  | 'origin'
  | 'protocol'
  | 'load-failed'
  /** A connection to a document deleted through the API (closed 4410). */
  | 'deleted'
  | 'shutting-down'
  /** An update wrote with a Yjs client id bound to another writer (authorship/writer-gate.ts). */
  | 'client-id-taken'
  /** The client key on the socket URL was malformed. */
  | 'bad-client-key'
  | GuardRejectReason;

/** How an accepted image upload ended: new bytes kept, or bytes the store already had. */
export type ImageUploadResult = 'stored' | 'duplicate';

/** Why an image upload was refused (images/http.ts). */
export type ImageRefusal =
  | 'not-an-image'
  | 'truncated'
  | 'too-large'
  | 'unauthorized'
  | 'read-only'
  | 'busy'
  | 'over-budget'
  | 'bad-request';

interface Tally {
  count: number;
  bytes: number;
}

function tallies<K extends string>(keys: readonly K[]): Record<K, Tally> {
  return Object.fromEntries(keys.map((k) => [k, { count: 0, bytes: 0 }])) as Record<K, Tally>;
}

/** Count one more `key` in a labelled counter's map. */
function increment<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** A fixed-bucket histogram fed by plain arithmetic and read by prom-client at scrape time. */
export class FastHistogram {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds of the buckets, in seconds, ascending (+Inf is implied). */
    readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  /** Observations so far per bucket (not cumulative), then above the last bound; no allocation. */
  copyCounts(into: Float64Array): void {
    into.set(this.counts);
    let inBuckets = 0;
    for (const n of this.counts) inBuckets += n;
    into[this.counts.length] = this.count - inBuckets;
  }

  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= (bounds[i] as number)) {
        this.counts[i] = (this.counts[i] as number) + 1;
        return;
      }
    }
  }

  /** The shape prom-client's Registry reads from a metric (cumulative buckets). */
  async get() {
    let cumulative = 0;
    const values = this.bounds.map((le, i) => {
      cumulative += this.counts[i] as number;
      return { labels: { le }, value: cumulative, metricName: `${this.name}_bucket` };
    });
    values.push({
      labels: { le: '+Inf' as unknown as number },
      value: this.count,
      metricName: `${this.name}_bucket`,
    });
    return {
      name: this.name,
      help: this.help,
      type: 'histogram' as const,
      aggregator: 'sum' as const,
      values: [
        ...values,
        { labels: {}, value: this.sum, metricName: `${this.name}_sum` },
        { labels: {}, value: this.count, metricName: `${this.name}_count` },
      ],
    };
  }
}

export interface MetricsSources {
  connections(): number;
  rooms(): number;
}

export class RelayMetrics {
  readonly registry = new Registry();
  readonly messagesIn = tallies<MessageKind>(MESSAGE_KINDS);
  readonly messagesOut = tallies<OutKind>(OUT_KINDS);
  private readonly rejected = new Map<RejectReason, number>();
  private readonly imageUploads = new Map<ImageUploadResult, number>();
  private readonly imageRefusals = new Map<ImageRefusal, number>();
  private readonly presenceDropped = new Map<DroppedPresenceField, number>();
  private readonly webhookAttempts = new Map<string, number>();
  private readonly webhookEvents = new Map<string, number>();
  readonly checkSeconds = new FastHistogram(
    'relay_update_check_seconds',
    'Time to check one incoming update against its room (decode, dependencies, novelty)',
    [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
  );
  readonly appendSeconds = new FastHistogram(
    'relay_storage_append_seconds',
    'Time of one batched DocStore.append (all rooms of one event-loop turn)',
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
  );

  constructor(sources: MetricsSources) {
    const registry = this.registry;
    new Gauge({
      name: 'relay_open_connections',
      help: 'Open WebSocket connections',
      registers: [registry],
      collect() {
        this.set(sources.connections());
      },
    });
    new Gauge({
      name: 'relay_loaded_rooms',
      help: 'Rooms loaded in memory',
      registers: [registry],
      collect() {
        this.set(sources.rooms());
      },
    });
    this.tallyCounters('relay_messages_in', 'received', this.messagesIn);
    this.tallyCounters('relay_messages_out', 'sent', this.messagesOut);
    const rejected = this.rejected;
    new Counter({
      name: 'relay_rejected_total',
      help: 'Rejected messages, sockets and upgrades by reason',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [reason, n] of rejected) this.inc({ reason }, n);
      },
    });
    const labelled = <K extends string>(
      name: string,
      help: string,
      label: string,
      source: Map<K, number>,
    ) =>
      new Counter({
        name,
        help,
        labelNames: [label],
        registers: [registry],
        collect() {
          this.reset();
          for (const [value, n] of source) this.inc({ [label]: value }, n);
        },
      });
    labelled(
      'relay_image_uploads_total',
      'Image uploads accepted, by result (stored: new bytes; duplicate: bytes already kept)',
      'result',
      this.imageUploads,
    );
    labelled(
      'relay_image_refusals_total',
      'Image uploads refused, by reason',
      'reason',
      this.imageRefusals,
    );
    labelled(
      'relay_webhook_deliveries_total',
      'Webhook delivery attempts, by outcome (delivered, retry: failed and rescheduled, failed: given up)',
      'outcome',
      this.webhookAttempts,
    );
    labelled(
      'relay_webhook_events_total',
      'Events reported to webhooks (each instance of a cluster counts what it saw), by event',
      'event',
      this.webhookEvents,
    );
    labelled(
      'relay_presence_fields_dropped_total',
      'Fields of awareness user states dropped before relaying (unknown or malformed), by field',
      'field',
      this.presenceDropped,
    );
    // FastHistogram implements the read side prom-client's Registry uses (get()).
    registry.registerMetric(this.checkSeconds as unknown as Histogram);
    registry.registerMetric(this.appendSeconds as unknown as Histogram);
  }

  private tallyCounters(prefix: string, verb: string, source: Record<string, Tally>): void {
    const registers = [this.registry];
    new Counter({
      name: `${prefix}_total`,
      help: `Frames ${verb}, by message type`,
      labelNames: ['type'],
      registers,
      collect() {
        this.reset();
        for (const [type, t] of Object.entries(source)) this.inc({ type }, t.count);
      },
    });
    new Counter({
      name: `${prefix}_bytes_total`,
      help: `Bytes ${verb}, by message type`,
      labelNames: ['type'],
      registers,
      collect() {
        this.reset();
        for (const [type, t] of Object.entries(source)) this.inc({ type }, t.bytes);
      },
    });
  }

  /**
   * Export what the cluster counts (frames published and received by kind, bus messages,
   * anti-entropy rounds) and its status (1 ok, 0 degraded), read at scrape time.
   */
  observeCluster(cluster: { readonly counters: ClusterCounters; status(): ClusterStatus }): void {
    const registers = [this.registry];
    const { counters } = cluster;
    new Gauge({
      name: 'relay_cluster_status',
      help: 'Cluster bus reachable (1) or degraded (0)',
      registers,
      collect() {
        this.set(cluster.status() === 'ok' ? 1 : 0);
      },
    });
    const byKind = (name: string, help: string, source: Record<string, FrameTally>) => {
      new Counter({
        name: `${name}_total`,
        help: `${help}, by message type`,
        labelNames: ['type'],
        registers,
        collect() {
          this.reset();
          for (const [type, t] of Object.entries(source)) this.inc({ type }, t.frames);
        },
      });
      new Counter({
        name: `${name}_bytes_total`,
        help: `Bytes of ${help.toLowerCase()}, by message type`,
        labelNames: ['type'],
        registers,
        collect() {
          this.reset();
          for (const [type, t] of Object.entries(source)) this.inc({ type }, t.bytes);
        },
      });
    };
    byKind(
      'relay_cluster_frames_published',
      'Frames published to other instances',
      counters.published,
    );
    byKind(
      'relay_cluster_frames_received',
      'Frames received from other instances',
      counters.received,
    );
    const plain = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    plain(
      'relay_cluster_messages_published_total',
      'Bus messages published (one may carry several frames of a room)',
      () => counters.messagesPublished,
    );
    plain(
      'relay_cluster_messages_received_total',
      'Bus messages received from other instances',
      () => counters.messagesReceived,
    );
    plain(
      'relay_cluster_anti_entropy_rounds_total',
      'Anti-entropy rounds started (a room state vector broadcast to the other instances)',
      () => counters.antiEntropyRounds,
    );
    plain(
      'relay_cluster_frames_withheld_total',
      "Frames of this instance's sockets not published because no other instance held the room",
      () => counters.framesWithheld,
    );
  }

  /** Export what throttling by backpressure did (throttle.ts), read at scrape time. */
  observeThrottle(stats: () => ThrottleStats): void {
    const registers = [this.registry];
    new Gauge({
      name: 'relay_throttled_sockets',
      help: 'Sockets not being read right now because they are over their rate',
      registers,
      collect() {
        this.set(stats().paused);
      },
    });
    new Counter({
      name: 'relay_throttles_total',
      help: 'Times a socket over its rate was paused (backpressure instead of a close)',
      registers,
      collect() {
        this.reset();
        this.inc(stats().throttles);
      },
    });
    new Counter({
      name: 'relay_throttled_seconds_total',
      help: 'Seconds sockets spent paused for being over their rate, summed over sockets',
      registers,
      collect() {
        this.reset();
        this.inc(stats().pausedSeconds);
      },
    });
  }

  /** Rejections so far by reason (read by the dashboard's sampler). */
  get rejections(): ReadonlyMap<RejectReason, number> {
    return this.rejected;
  }

  reject(reason: RejectReason): void {
    increment(this.rejected, reason);
  }

  /** A presence field the guard dropped from a relayed state (security.ts). */
  presenceFieldDropped(field: DroppedPresenceField): void {
    increment(this.presenceDropped, field);
  }

  imageUploaded(result: ImageUploadResult): void {
    increment(this.imageUploads, result);
  }

  /** One webhook delivery attempt ended (webhooks/dispatcher.ts). */
  webhookAttempted(outcome: 'delivered' | 'retry' | 'failed'): void {
    increment(this.webhookAttempts, outcome);
  }

  webhookEvent(event: string): void {
    increment(this.webhookEvents, event);
  }

  imageRefused(reason: ImageRefusal): void {
    increment(this.imageRefusals, reason);
  }

  /** Count one frame sent to `recipients` sockets. */
  sent(kind: OutKind, bytes: number, recipients = 1): void {
    const tally = this.messagesOut[kind];
    tally.count += recipients;
    tally.bytes += bytes * recipients;
  }

  received(kind: MessageKind, bytes: number): void {
    const tally = this.messagesIn[kind];
    tally.count++;
    tally.bytes += bytes;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
