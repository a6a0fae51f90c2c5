/**
 * The webhook admin API on the relay's port:
 *
 *   POST   /api/v1/webhooks                     {url, events, room?, secret?} → 201 {id, secret, …}
 *   GET    /api/v1/webhooks                     → {webhooks: [...]} (secrets are never shown again)
 *   GET    /api/v1/webhooks/<id>                → the webhook
 *   DELETE /api/v1/webhooks/<id>                → 204; its queued deliveries go too
 *   GET    /api/v1/webhooks/<id>/deliveries     ?limit=N → {deliveries: [...]}, newest first
 *
 * On a relay with a secret only an admin token (`Authorization: Bearer`) may use these; an open
 * relay lets anyone, as it does the rest of the API (http/auth.ts).
 */
import { randomBytes } from 'node:crypto';
import { isValidRoomId } from '../../lib/room-id';
import { readJsonObject } from '../http/body';
import { HttpError } from '../http/http-error';
import type { Route } from '../http/router';
import type { Logger } from '../log';
import { generateSecret } from './signature';
import { checkTargetUrl } from './ssrf';
import { type Delivery, isWebhookEvent, type Webhook, type WebhookStore } from './store';

const MAX_BODY_BYTES = 16 * 1024;
const MAX_WEBHOOKS = 100;
const DEFAULT_LOG_LIMIT = 100;
const MAX_LOG_LIMIT = 1000;
const ID_PATTERN = /^wh_[0-9a-f]{24}$/;

export interface WebhooksApiDeps {
  readonly store: WebhookStore;
  readonly allowPrivate: boolean;
  readonly logger: Logger;
  readonly now?: () => number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function webhookView(w: Webhook) {
  return { id: w.id, url: w.url, events: w.events, room: w.room, createdAt: iso(w.createdAt) };
}

function deliveryView(d: Delivery) {
  let payload: unknown = null;
  try {
    payload = JSON.parse(d.body);
  } catch {}
  return {
    id: d.id,
    event: d.event,
    room: d.room,
    status: d.status,
    attempts: d.attempts,
    createdAt: iso(d.createdAt),
    lastAttemptAt: iso(d.lastAttemptAt),
    nextAttemptAt: d.status === 'pending' ? iso(d.dueAt) : null,
    responseStatus: d.responseStatus,
    error: d.error,
    payload,
  };
}

/** A new webhook from a request body, or a 400 naming what is wrong. */
function parseWebhook(body: Record<string, unknown>, allowPrivate: boolean, now: number): Webhook {
  const { url, events, room, secret } = body;
  if (typeof url !== 'string') throw new HttpError(400, 'bad-request', 'url is required');
  const target = checkTargetUrl(url, allowPrivate);
  if (!target.ok) throw new HttpError(400, target.code, target.reason);
  if (!Array.isArray(events) || events.length === 0 || !events.every(isWebhookEvent)) {
    throw new HttpError(
      400,
      'bad-request',
      'events must be a non-empty array of document.updated, version.created, document.deleted',
    );
  }
  if (room !== undefined && room !== null && (typeof room !== 'string' || !isValidRoomId(room))) {
    throw new HttpError(400, 'bad-request', 'room must be a valid room id');
  }
  if (
    secret !== undefined &&
    (typeof secret !== 'string' || secret.length < 16 || secret.length > 256)
  ) {
    throw new HttpError(400, 'bad-request', 'secret must be a string of 16 to 256 characters');
  }
  return {
    id: `wh_${randomBytes(12).toString('hex')}`,
    url: target.url.href,
    events: [...new Set(events)].sort(),
    room: typeof room === 'string' ? room : null,
    secret: typeof secret === 'string' ? secret : generateSecret(),
    createdAt: now,
  };
}

export function webhookRoutes(deps: WebhooksApiDeps): Route[] {
  const now = deps.now ?? Date.now;
  const existing = async (id: string): Promise<Webhook> => {
    const webhook = ID_PATTERN.test(id) ? await deps.store.getWebhook(id) : null;
    if (!webhook) throw new HttpError(404, 'not-found', 'no such webhook');
    return webhook;
  };
  return [
    {
      method: 'POST',
      path: '/api/v1/webhooks',
      name: 'webhooks.create',
      access: 'admin',
      async handle({ req, send }) {
        const body = await readJsonObject(req, MAX_BODY_BYTES);
        const webhook = parseWebhook(body, deps.allowPrivate, now());
        if ((await deps.store.listWebhooks()).length >= MAX_WEBHOOKS) {
          throw new HttpError(409, 'conflict', `at most ${MAX_WEBHOOKS} webhooks`);
        }
        await deps.store.createWebhook(webhook);
        deps.logger.info({ webhook: webhook.id, events: webhook.events }, 'webhook created');
        send(201, { ...webhookView(webhook), secret: webhook.secret });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/webhooks',
      name: 'webhooks.list',
      access: 'admin',
      async handle({ send }) {
        send(200, { webhooks: (await deps.store.listWebhooks()).map(webhookView) });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/webhooks/:id',
      name: 'webhooks.get',
      access: 'admin',
      async handle({ params, send }) {
        send(200, webhookView(await existing(params.id as string)));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/webhooks/:id',
      name: 'webhooks.delete',
      access: 'admin',
      async handle({ res, params }) {
        const webhook = await existing(params.id as string);
        await deps.store.deleteWebhook(webhook.id);
        deps.logger.info({ webhook: webhook.id }, 'webhook deleted');
        res.writeHead(204, { 'cache-control': 'no-store' }).end();
      },
    },
    {
      method: 'GET',
      path: '/api/v1/webhooks/:id/deliveries',
      name: 'webhooks.deliveries',
      access: 'admin',
      async handle({ url, params, send }) {
        const webhook = await existing(params.id as string);
        const raw = url.searchParams.get('limit');
        const limit = raw === null ? DEFAULT_LOG_LIMIT : Number(raw);
        if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LOG_LIMIT) {
          throw new HttpError(400, 'bad-request', `limit must be 1 to ${MAX_LOG_LIMIT}`);
        }
        const log = await deps.store.deliveries(webhook.id, limit);
        send(200, { deliveries: log.map(deliveryView) });
      },
    },
  ];
}
