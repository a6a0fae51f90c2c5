/**
 * WebhookStore in SQLite, normally the same file as the documents (its own connection and
 * tables). One process owns the file, so claims need no more than a write transaction.
 */
import { openSqliteFile } from '../storage/sqlite-file';
import type { Delivery, NewDelivery, Webhook, WebhookEventName, WebhookStore } from './store';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    room TEXT,
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    event TEXT NOT NULL,
    room TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_attempt_at INTEGER,
    response_status INTEGER,
    error TEXT,
    UNIQUE (webhook_id, dedupe_key)
  );
  CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (status, due_at);
`;

interface WebhookRow {
  id: string;
  url: string;
  events: string;
  room: string | null;
  secret: string;
  created_at: number;
}

interface DeliveryRow {
  id: number;
  webhook_id: string;
  event: string;
  room: string;
  body: string;
  status: string;
  attempts: number;
  created_at: number;
  due_at: number;
  last_attempt_at: number | null;
  response_status: number | null;
  error: string | null;
}

const DELIVERY_COLUMNS = `id, webhook_id, event, room, body, status, attempts, created_at, due_at,
  last_attempt_at, response_status, error`;

const toWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as WebhookEventName[],
  room: row.room,
  secret: row.secret,
  createdAt: row.created_at,
});

const toDelivery = (row: DeliveryRow): Delivery => ({
  id: String(row.id),
  webhookId: row.webhook_id,
  event: row.event as WebhookEventName,
  room: row.room,
  body: row.body,
  status: row.status as Delivery['status'],
  attempts: row.attempts,
  createdAt: row.created_at,
  dueAt: row.due_at,
  lastAttemptAt: row.last_attempt_at,
  responseStatus: row.response_status,
  error: row.error,
});

export function openSqliteWebhookStore(path: string): WebhookStore {
  const db = openSqliteFile(path, SCHEMA);
  const insertWebhook = db.prepare<[string, string, string, string | null, string, number]>(
    'INSERT INTO webhooks (id, url, events, room, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const allWebhooks = db.prepare<[], WebhookRow>('SELECT * FROM webhooks ORDER BY created_at, id');
  const oneWebhook = db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?');
  const deleteWebhookRow = db.prepare<[string]>('DELETE FROM webhooks WHERE id = ?');
  const deleteDeliveriesOf = db.prepare<[string]>(
    'DELETE FROM webhook_deliveries WHERE webhook_id = ?',
  );
  const insertDelivery = db.prepare<[NewDelivery]>(
    `INSERT INTO webhook_deliveries
       (webhook_id, dedupe_key, event, room, body, status, created_at, due_at)
     SELECT @webhookId, @dedupeKey, @event, @room, @body, 'pending', @createdAt, @createdAt
     WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = @webhookId)
     ON CONFLICT DO NOTHING`,
  );
  const dueIds = db.prepare<[number, number], { webhook_id: string }>(
    `SELECT DISTINCT webhook_id FROM webhook_deliveries
     WHERE status = 'pending' AND due_at <= ? AND lease_until <= ?`,
  );
  const selectDue = db.prepare<[string, number, number, number], DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
     WHERE webhook_id = ? AND status = 'pending' AND due_at <= ? AND lease_until <= ?
     ORDER BY due_at, id LIMIT ?`,
  );
  const lease = db.prepare<[string, number, number]>(
    'UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ? WHERE id = ?',
  );
  const record = db.prepare<[string, number, number, number | null, string | null, number, string]>(
    `UPDATE webhook_deliveries SET status = ?, due_at = ?, last_attempt_at = ?,
       response_status = ?, error = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = 0
     WHERE id = ? AND lease_owner = ?`,
  );
  const deliveriesOf = db.prepare<[string, number], DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = ?
     ORDER BY id DESC LIMIT ?`,
  );
  const pruneRows = db.prepare<[number]>(
    `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND last_attempt_at < ?`,
  );

  const deleteWebhook = db.transaction((id: string) => {
    deleteDeliveriesOf.run(id);
    return deleteWebhookRow.run(id).changes > 0;
  });
  const claim = db.transaction(
    (webhookId: string, now: number, limit: number, owner: string, leaseUntil: number) => {
      const rows = selectDue.all(webhookId, now, now, limit);
      for (const row of rows) lease.run(owner, leaseUntil, row.id);
      return rows.map(toDelivery);
    },
  );
  const enqueue = db.transaction((deliveries: readonly NewDelivery[]) => {
    let inserted = 0;
    for (const d of deliveries) {
      const { webhookId, dedupeKey, event, room, body, createdAt } = d;
      inserted += insertDelivery.run({
        webhookId,
        dedupeKey,
        event,
        room,
        body,
        createdAt,
      }).changes;
    }
    return inserted;
  });

  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('WebhookStore is closed');
  };

  return {
    async createWebhook(w) {
      ensureOpen();
      insertWebhook.run(w.id, w.url, JSON.stringify(w.events), w.room, w.secret, w.createdAt);
    },
    async listWebhooks() {
      ensureOpen();
      return allWebhooks.all().map(toWebhook);
    },
    async getWebhook(id) {
      ensureOpen();
      const row = oneWebhook.get(id);
      return row ? toWebhook(row) : null;
    },
    async deleteWebhook(id) {
      ensureOpen();
      return deleteWebhook(id);
    },
    async enqueue(deliveries) {
      ensureOpen();
      return enqueue(deliveries);
    },
    async dueWebhooks(now) {
      ensureOpen();
      return dueIds.all(now, now).map((row) => row.webhook_id);
    },
    async claim(webhookId, now, limit, owner, leaseUntil) {
      ensureOpen();
      return claim.immediate(webhookId, now, limit, owner, leaseUntil);
    },
    async recordAttempt(id, owner, r) {
      ensureOpen();
      const numeric = Number(id);
      if (!Number.isSafeInteger(numeric)) return false;
      const { changes } = record.run(
        r.status,
        r.dueAt,
        r.at,
        r.responseStatus,
        r.error,
        numeric,
        owner,
      );
      return changes > 0;
    },
    async deliveries(webhookId, limit) {
      ensureOpen();
      return deliveriesOf.all(webhookId, limit).map(toDelivery);
    },
    async prune(before) {
      ensureOpen();
      return pruneRows.run(before).changes;
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
