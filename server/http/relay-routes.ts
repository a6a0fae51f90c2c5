/**
 * The relay's route table, composed in one place: operations (health, metrics), the document
 * API, versions, authorship, share links, webhooks, the dashboard's stream and images.
 * relay.ts hands over what they need.
 */
import type { IncomingMessage } from 'node:http';
import { ApiWriters } from '../api/api-writers';
import { documentAdminRoutes } from '../api/documents-admin';
import { documentRoutes } from '../api/documents-http';
import { RequestLimiter } from '../api/request-limiter';
import { authorshipRoutes } from '../authorship/http';
import type { Config } from '../config';
import type { Dashboard } from '../dashboard/index';
import type { Access } from '../guard/access';
import type { ClientAddressOf } from '../guard/client-address';
import { linksRoutes } from '../guard/links-http';
import { historyRoutes } from '../history/http';
import type { HistoryRoom } from '../history/room-history';
import type { VersionHistory } from '../history/service';
import { imagesRoutes } from '../images/http';
import { UploadBudget } from '../images/upload-budget';
import type { Logger } from '../log';
import type { RelayMetrics } from '../metrics';
import { type Room, RoomDeletedError } from '../room';
import type { Rooms } from '../rooms';
import type { AuthorStore } from '../storage/authors';
import type { ImageStore } from '../storage/images';
import type { DocStore } from '../storage/store';
import type { RelayWebhooks } from '../webhooks/relay-webhooks';
import { bearerToken, RequestAuth } from './auth';
import { HttpError } from './http-error';
import { type Route, Router } from './router';

/** Seconds of the API's request rate a caller may spend at once. */
const API_BURST_SECONDS = 10;

export interface RelayRoutesDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
  readonly rooms: Rooms;
  readonly store: DocStore;
  readonly access: Access;
  readonly clientAddressOf: ClientAddressOf;
  readonly history: VersionHistory | undefined;
  readonly images: ImageStore | undefined;
  readonly authors: AuthorStore | undefined;
  /** Webhooks (their admin routes, and told of deletions); absent = none. */
  readonly webhooks: RelayWebhooks | undefined;
  /** The operations dashboard (its stream). */
  readonly dashboard: Dashboard;
  /** What GET /healthz answers: its status code and body. */
  health(): { status: number; body: unknown };
}

export function createRelayRouter(deps: RelayRoutesDeps): Router {
  const { config, logger, rooms } = deps;
  const addressOf = (req: IncomingMessage) =>
    deps.clientAddressOf(req.socket.remoteAddress, req.headers['x-forwarded-for']) ?? 'unknown';
  const limiter = new RequestLimiter(config.apiRequestsPerSecond, API_BURST_SECONDS);
  const auth = new RequestAuth(deps.access);
  const router = new Router({
    allowedOrigins: config.allowedOrigins,
    auth,
    logger,
    translate: (err) =>
      err instanceof RoomDeletedError
        ? new HttpError(410, 'gone', 'the document was deleted')
        : undefined,
    retryAfter: (req) => limiter.retryAfter(bearerToken(req), addressOf(req)),
  });
  const writers = new ApiWriters(deps.authors);

  router.add(operationsRoutes(deps));
  router.add(
    documentRoutes({
      rooms,
      access: deps.access,
      secret: config.secret,
      writers,
      history: deps.history,
      maxBodyBytes: config.maxMessageBytes,
    }),
  );
  router.add(
    documentAdminRoutes({
      rooms,
      store: deps.store,
      writers,
      history: deps.history,
      images: deps.images,
      authors: deps.authors,
      ...(deps.webhooks ? { webhooks: deps.webhooks.events } : {}),
      logger,
    }),
  );
  if (deps.history) {
    router.add(
      historyRoutes({
        history: deps.history,
        acquire: (id) => rooms.acquire(id),
        release: (room: HistoryRoom) => rooms.release(room as Room),
      }),
    );
  }
  if (deps.authors) router.add(authorshipRoutes({ authors: deps.authors, rooms }));
  router.add(linksRoutes({ access: deps.access, secret: config.secret, logger }));
  if (deps.webhooks) router.add(deps.webhooks.routes());
  router.add(deps.dashboard.routes());
  if (deps.images) {
    router.add(
      imagesRoutes({
        store: deps.images,
        access: deps.access,
        secret: config.secret,
        maxBytes: config.imageMaxBytes,
        uploadBudget: new UploadBudget(config.imageUploadBudget),
        clientAddressOf: deps.clientAddressOf,
        metrics: deps.metrics,
        logger,
      }),
    );
  }
  return router;
}

/** For operators and their tools (no CORS): health for load balancers, Prometheus metrics. */
function operationsRoutes(deps: RelayRoutesDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      name: 'healthz',
      access: 'anyone',
      browser: false,
      handle: ({ res }) => {
        const { status, body } = deps.health();
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      name: 'metrics',
      access: 'anyone',
      browser: false,
      async handle({ res }) {
        const text = await deps.metrics.text();
        res.writeHead(200, { 'content-type': deps.metrics.contentType }).end(text);
      },
    },
  ];
}
