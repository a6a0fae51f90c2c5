/**
 * WebhookStore: registered webhooks and their delivery queue, kept in the same backend as the
 * documents (memory, SQLite, PostgreSQL) so both survive restarts. The queue is the one place
 * several relay instances agree through: `enqueue` inserts a delivery only if its
 * (webhook, dedupe key) is new, and `claim` leases due deliveries so only one instance sends
 * each. One contract suite (store.contract.ts) runs against every implementation.
 */

export const WEBHOOK_EVENTS = ['document.updated', 'version.created', 'document.deleted'] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

export const isWebhookEvent = (value: unknown): value is WebhookEventName =>
  (WEBHOOK_EVENTS as readonly unknown[]).includes(value);

export interface Webhook {
  readonly id: string;
  readonly url: string;
  /** Sorted, no duplicates. */
  readonly events: readonly WebhookEventName[];
  /** Only this room's events; null = every room. */
  readonly room: string | null;
  /** HMAC key of the signature; never shown again after creation. */
  readonly secret: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  /** Unique within the store; decimal digits. */
  readonly id: string;
  readonly webhookId: string;
  readonly event: WebhookEventName;
  readonly room: string;
  /** The exact JSON text sent and signed. */
  readonly body: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly createdAt: number;
  /** When the next attempt is due (meaningful while pending). */
  readonly dueAt: number;
  readonly lastAttemptAt: number | null;
  /** HTTP status of the last attempt; null if it got none (network error, timeout). */
  readonly responseStatus: number | null;
  readonly error: string | null;
}

export interface NewDelivery {
  readonly webhookId: string;
  /** Same event, same key: two instances enqueueing one event make one delivery. */
  readonly dedupeKey: string;
  readonly event: WebhookEventName;
  readonly room: string;
  readonly body: string;
  readonly createdAt: number;
}

export interface AttemptResult {
  readonly at: number;
  /** delivered, failed (given up), or pending again (retry at `dueAt`). */
  readonly status: DeliveryStatus;
  readonly dueAt: number;
  readonly responseStatus: number | null;
  readonly error: string | null;
}

export interface WebhookStore {
  createWebhook(webhook: Webhook): Promise<void>;
  /** Oldest first. */
  listWebhooks(): Promise<Webhook[]>;
  getWebhook(id: string): Promise<Webhook | null>;
  /** Delete a webhook and its deliveries; false if there was none. */
  deleteWebhook(id: string): Promise<boolean>;
  /**
   * Insert each delivery whose (webhookId, dedupeKey) is not in the store yet and whose webhook
   * exists, as pending and due at its `createdAt`. Resolves with how many were inserted.
   */
  enqueue(deliveries: readonly NewDelivery[]): Promise<number>;
  /** Ids of the webhooks that have deliveries due at `now` and not leased. */
  dueWebhooks(now: number): Promise<string[]>;
  /**
   * Lease up to `limit` due, unleased deliveries of `webhookId` to `owner` until `leaseUntil`,
   * oldest due first. A delivery leased to one owner is claimed by no other until the lease ends.
   */
  claim(
    webhookId: string,
    now: number,
    limit: number,
    owner: string,
    leaseUntil: number,
  ): Promise<Delivery[]>;
  /** Record an attempt and end the lease; false (nothing written) if `owner` no longer holds it. */
  recordAttempt(id: string, owner: string, result: AttemptResult): Promise<boolean>;
  /** A webhook's deliveries, newest first, at most `limit`. */
  deliveries(webhookId: string, limit: number): Promise<Delivery[]>;
  /** Delete delivered and failed deliveries last attempted before `before`; resolves with how many. */
  prune(before: number): Promise<number>;
  /** Release resources; later calls fail. Idempotent. */
  close(): Promise<void>;
}
