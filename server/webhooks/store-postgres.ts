/**
 * WebhookStore on PostgreSQL, shared by several relay instances. Enqueueing the same event twice
 * (each instance sees every edit) inserts one row: (webhook_id, dedupe_key) is unique. Claims
 * take due rows with FOR UPDATE SKIP LOCKED and lease them, so each delivery has one sender; a
 * crashed sender's lease runs out and another instance retries.
 */
import { openPostgresPool } from '../storage/postgres-pool';
import type { Delivery, Webhook, WebhookEventName, WebhookStore } from './store';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS coedit_webhooks (
    id text PRIMARY KEY,
    url text NOT NULL,
    events text[] NOT NULL,
    room text,
    secret text NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE TABLE IF NOT EXISTS coedit_webhook_deliveries (
    id bigserial PRIMARY KEY,
    webhook_id text NOT NULL REFERENCES coedit_webhooks (id) ON DELETE CASCADE,
    dedupe_key text NOT NULL,
    event text NOT NULL,
    room text NOT NULL,
    body text NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    created_at bigint NOT NULL,
    due_at bigint NOT NULL,
    lease_owner text,
    lease_until bigint NOT NULL DEFAULT 0,
    last_attempt_at bigint,
    response_status integer,
    error text,
    UNIQUE (webhook_id, dedupe_key)
  );
  CREATE INDEX IF NOT EXISTS coedit_webhook_deliveries_due
    ON coedit_webhook_deliveries (due_at) WHERE status = 'pending'`;

/** Serialises the schema's creation between relays starting together (postgres-pool.ts). */
const SCHEMA_LOCK = 0x636f7768; // 'cowh'

interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  room: string | null;
  secret: string;
  created_at: string;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event: string;
  room: string;
  body: string;
  status: string;
  attempts: number;
  created_at: string;
  due_at: string;
  last_attempt_at: string | null;
  response_status: number | null;
  error: string | null;
}

/** `table`: how the statement names the deliveries table (its `id` may be ambiguous). */
const deliveryColumns = (
  table = 'coedit_webhook_deliveries',
) => `${table}.id::text AS id, webhook_id, event, room, body, status, attempts,
  created_at::text, due_at::text, last_attempt_at::text, response_status, error`;

const toWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  url: row.url,
  events: row.events as WebhookEventName[],
  room: row.room,
  secret: row.secret,
  createdAt: Number(row.created_at),
});

const toDelivery = (row: DeliveryRow): Delivery => ({
  id: row.id,
  webhookId: row.webhook_id,
  event: row.event as WebhookEventName,
  room: row.room,
  body: row.body,
  status: row.status as Delivery['status'],
  attempts: row.attempts,
  createdAt: Number(row.created_at),
  dueAt: Number(row.due_at),
  lastAttemptAt: row.last_attempt_at === null ? null : Number(row.last_attempt_at),
  responseStatus: row.response_status,
  error: row.error,
});

const byDue = (a: Delivery, b: Delivery) => a.dueAt - b.dueAt || Number(a.id) - Number(b.id);

export async function openPostgresWebhookStore(
  url: string,
  options: { onIdleError?: (err: Error) => void } = {},
): Promise<WebhookStore> {
  const pool = await openPostgresPool(
    url,
    { sql: SCHEMA, lockKey: SCHEMA_LOCK },
    options.onIdleError,
  );
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('WebhookStore is closed');
  };

  return {
    async createWebhook(w) {
      ensureOpen();
      await pool.query(
        `INSERT INTO coedit_webhooks (id, url, events, room, secret, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [w.id, w.url, w.events, w.room, w.secret, w.createdAt],
      );
    },
    async listWebhooks() {
      ensureOpen();
      const { rows } = await pool.query<WebhookRow>(
        'SELECT id, url, events, room, secret, created_at::text FROM coedit_webhooks ORDER BY created_at, id',
      );
      return rows.map(toWebhook);
    },
    async getWebhook(id) {
      ensureOpen();
      const { rows } = await pool.query<WebhookRow>(
        'SELECT id, url, events, room, secret, created_at::text FROM coedit_webhooks WHERE id = $1',
        [id],
      );
      return rows[0] ? toWebhook(rows[0]) : null;
    },
    async deleteWebhook(id) {
      ensureOpen();
      // Its deliveries go with it (ON DELETE CASCADE).
      const { rowCount } = await pool.query('DELETE FROM coedit_webhooks WHERE id = $1', [id]);
      return (rowCount ?? 0) > 0;
    },
    async enqueue(deliveries) {
      ensureOpen();
      if (deliveries.length === 0) return 0;
      // One statement; the join drops deliveries of a webhook deleted meanwhile.
      const { rowCount } = await pool.query(
        `INSERT INTO coedit_webhook_deliveries
           (webhook_id, dedupe_key, event, room, body, status, created_at, due_at)
         SELECT d.webhook_id, d.dedupe_key, d.event, d.room, d.body, 'pending', d.created_at,
           d.created_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
           AS d(webhook_id, dedupe_key, event, room, body, created_at)
         JOIN coedit_webhooks w ON w.id = d.webhook_id
         ON CONFLICT (webhook_id, dedupe_key) DO NOTHING`,
        [
          deliveries.map((d) => d.webhookId),
          deliveries.map((d) => d.dedupeKey),
          deliveries.map((d) => d.event),
          deliveries.map((d) => d.room),
          deliveries.map((d) => d.body),
          deliveries.map((d) => d.createdAt),
        ],
      );
      return rowCount ?? 0;
    },
    async dueWebhooks(now) {
      ensureOpen();
      const { rows } = await pool.query<{ webhook_id: string }>(
        `SELECT DISTINCT webhook_id FROM coedit_webhook_deliveries
         WHERE status = 'pending' AND due_at <= $1 AND lease_until <= $1`,
        [now],
      );
      return rows.map((row) => row.webhook_id);
    },
    async claim(webhookId, now, limit, owner, leaseUntil) {
      ensureOpen();
      // Rows another instance is claiming right now are skipped, not waited for; a row it
      // leased meanwhile fails the re-checked WHERE once its lock is taken.
      const { rows } = await pool.query<DeliveryRow>(
        `WITH picked AS (
           SELECT id FROM coedit_webhook_deliveries
           WHERE webhook_id = $1 AND status = 'pending' AND due_at <= $2 AND lease_until <= $2
           ORDER BY due_at, id LIMIT $3
           FOR UPDATE SKIP LOCKED)
         UPDATE coedit_webhook_deliveries d SET lease_owner = $4, lease_until = $5
         FROM picked WHERE d.id = picked.id
         RETURNING ${deliveryColumns('d')}`,
        [webhookId, now, limit, owner, leaseUntil],
      );
      return rows.map(toDelivery).sort(byDue);
    },
    async recordAttempt(id, owner, r) {
      ensureOpen();
      if (!/^\d{1,18}$/.test(id)) return false;
      const { rowCount } = await pool.query(
        `UPDATE coedit_webhook_deliveries SET status = $3, due_at = $4, last_attempt_at = $5,
           response_status = $6, error = $7, attempts = attempts + 1,
           lease_owner = NULL, lease_until = 0
         WHERE id = $1 AND lease_owner = $2`,
        [id, owner, r.status, r.dueAt, r.at, r.responseStatus, r.error],
      );
      return (rowCount ?? 0) > 0;
    },
    async deliveries(webhookId, limit) {
      ensureOpen();
      const { rows } = await pool.query<DeliveryRow>(
        `SELECT ${deliveryColumns()} FROM coedit_webhook_deliveries WHERE webhook_id = $1
         ORDER BY id DESC LIMIT $2`,
        [webhookId, limit],
      );
      return rows.map(toDelivery);
    },
    async prune(before) {
      ensureOpen();
      const { rowCount } = await pool.query(
        `DELETE FROM coedit_webhook_deliveries
         WHERE status <> 'pending' AND last_attempt_at < $1`,
        [before],
      );
      return rowCount ?? 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
