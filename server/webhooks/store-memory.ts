/** In-memory WebhookStore for tests and `--storage memory`: webhooks end with the process. */
import type { Delivery, Webhook, WebhookStore } from './store';

interface Row {
  delivery: Delivery;
  readonly dedupeKey: string;
  leaseOwner: string | null;
  leaseUntil: number;
}

export function createMemoryWebhookStore(): WebhookStore {
  const webhooks = new Map<string, Webhook>();
  /** Insertion order is id order. */
  const rows = new Map<string, Row>();
  const keys = new Set<string>();
  let nextId = 1;
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('WebhookStore is closed');
  };
  const isDue = (row: Row, now: number) =>
    row.delivery.status === 'pending' && row.delivery.dueAt <= now && row.leaseUntil <= now;

  return {
    async createWebhook(webhook) {
      ensureOpen();
      if (webhooks.has(webhook.id)) throw new Error(`webhook ${webhook.id} exists`);
      webhooks.set(webhook.id, { ...webhook, events: [...webhook.events] });
    },
    async listWebhooks() {
      ensureOpen();
      return [...webhooks.values()];
    },
    async getWebhook(id) {
      ensureOpen();
      return webhooks.get(id) ?? null;
    },
    async deleteWebhook(id) {
      ensureOpen();
      if (!webhooks.delete(id)) return false;
      for (const [rowId, row] of rows) {
        if (row.delivery.webhookId === id) {
          rows.delete(rowId);
          keys.delete(`${id}\0${row.dedupeKey}`);
        }
      }
      return true;
    },
    async enqueue(deliveries) {
      ensureOpen();
      let inserted = 0;
      for (const d of deliveries) {
        const key = `${d.webhookId}\0${d.dedupeKey}`;
        if (keys.has(key) || !webhooks.has(d.webhookId)) continue;
        keys.add(key);
        const id = String(nextId++);
        rows.set(id, {
          dedupeKey: d.dedupeKey,
          leaseOwner: null,
          leaseUntil: 0,
          delivery: {
            id,
            webhookId: d.webhookId,
            event: d.event,
            room: d.room,
            body: d.body,
            status: 'pending',
            attempts: 0,
            createdAt: d.createdAt,
            dueAt: d.createdAt,
            lastAttemptAt: null,
            responseStatus: null,
            error: null,
          },
        });
        inserted++;
      }
      return inserted;
    },
    async dueWebhooks(now) {
      ensureOpen();
      const ids = new Set<string>();
      for (const row of rows.values()) if (isDue(row, now)) ids.add(row.delivery.webhookId);
      return [...ids];
    },
    async claim(webhookId, now, limit, owner, leaseUntil) {
      ensureOpen();
      const due = [...rows.values()]
        .filter((row) => row.delivery.webhookId === webhookId && isDue(row, now))
        .sort(
          (a, b) =>
            a.delivery.dueAt - b.delivery.dueAt || Number(a.delivery.id) - Number(b.delivery.id),
        )
        .slice(0, limit);
      for (const row of due) {
        row.leaseOwner = owner;
        row.leaseUntil = leaseUntil;
      }
      return due.map((row) => row.delivery);
    },
    async recordAttempt(id, owner, result) {
      ensureOpen();
      const row = rows.get(id);
      if (!row || row.leaseOwner !== owner) return false;
      row.leaseOwner = null;
      row.leaseUntil = 0;
      row.delivery = {
        ...row.delivery,
        status: result.status,
        attempts: row.delivery.attempts + 1,
        dueAt: result.dueAt,
        lastAttemptAt: result.at,
        responseStatus: result.responseStatus,
        error: result.error,
      };
      return true;
    },
    async deliveries(webhookId, limit) {
      ensureOpen();
      return [...rows.values()]
        .filter((row) => row.delivery.webhookId === webhookId)
        .map((row) => row.delivery)
        .reverse()
        .slice(0, limit);
    },
    async prune(before) {
      ensureOpen();
      let pruned = 0;
      for (const [id, row] of rows) {
        const { status, lastAttemptAt } = row.delivery;
        if (status !== 'pending' && lastAttemptAt !== null && lastAttemptAt < before) {
          rows.delete(id);
          keys.delete(`${row.delivery.webhookId}\0${row.dedupeKey}`);
          pruned++;
        }
      }
      return pruned;
    },
    async close() {
      closed = true;
    },
  };
}
