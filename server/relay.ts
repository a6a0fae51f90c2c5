/**
 * The relay: one HTTP server carrying the route table (http/relay-routes.ts) and WebSocket upgrades at
 * `/<room>`. The room is checked (and loaded) before the upgrade completes, so a bad room name
 * is an HTTP 400 and no client is answered before its room's stored state is in memory.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { CLIENT_KEY_PARAM, isValidClientKey } from '../lib/client-key';
import { CloseCode } from '../lib/close-codes';
import { ACK_QUERY_PARAM } from '../lib/protocol';
import { isValidRoomId } from '../lib/room-id';
import { RELAY_TOKEN_PARAM } from '../lib/token';
import { writerOf } from './authorship/writer';
import type { Cluster } from './cluster/cluster';
import type { Config } from './config';
import { Connection, type ConnectionHandlers } from './connection';
import { createDashboard } from './dashboard/index';
import { Compactor } from './doc-state/compactor';
import { closeInfo, malformed } from './errors';
import type { Grant } from './guard/access';
import { clientAddressResolver } from './guard/client-address';
import { createGuard } from './guard/security';
import { historyRoomHooks } from './history/relay-hooks';
import type { VersionHistory } from './history/service';
import { createRelayRouter } from './http/relay-routes';
import type { Logger } from './log';
import { RelayMetrics } from './metrics';
import { type Room, RoomDeletedError } from './room';
import { Rooms } from './rooms';
import type { AuthorStore } from './storage/authors';
import type { ImageStore } from './storage/images';
import type { LinkStore } from './storage/links';
import type { DocStore } from './storage/store';
import { allRoomHooks, createRelayWebhooks } from './webhooks/relay-webhooks';
import type { WebhookStore } from './webhooks/store';
import { WriteBatcher } from './write-batcher';

/** With a cluster, how often links revoked through another instance are looked for. */
const REVOCATION_SWEEP_MS = 500;

/** Answered while shutting down, for load balancers and scrapers. */
const OPERATIONS_PATHS = new Set(['/healthz', '/metrics']);

/** With a shared store, how often rooms deleted through another instance are looked for. */
const DELETION_SWEEP_MS = 2000;

/** How long shutdown waits for clients to complete the close handshake before terminating. */
const SOCKET_CLOSE_WAIT_MS = 1000;

/**
 * Error listener of every upgrading socket. Module-level on purpose: a closure here would share
 * the upgrade handler's scope, keeping its `req` and `head` alive as long as the socket.
 */
function destroySocket(this: Duplex): void {
  this.destroy();
}

function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve) => {
    const check = () => {
      if (done() || performance.now() >= deadline) resolve();
      else setTimeout(check, 10);
    };
    check();
  });
}

export interface RelayDeps {
  readonly store: DocStore;
  readonly logger: Logger;
  /** Other instances serving the same rooms (see cluster/); absent = single instance. */
  readonly cluster?: Cluster;
  /** The store is shared with those instances (PostgreSQL); see RoomDeps.sharedStore. */
  readonly sharedStore?: boolean;
  /** Version history (server/history/); absent = no versions and no /rooms/… API. */
  readonly history?: VersionHistory;
  /** Share-link revocations (used with a secret); absent = kept in memory. See security.ts. */
  readonly links?: LinkStore;
  /** Uploaded images (images/http.ts); absent = no image routes. */
  readonly images?: ImageStore;
  /** Client-id bindings (authorship/); absent = no authorship and no squatting check. */
  readonly authors?: AuthorStore;
  /** Webhooks and their delivery queue (webhooks/); absent = no webhooks and no routes. */
  readonly webhooks?: WebhookStore;
}

export interface Relay {
  /** Start listening on config.host:config.port; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number }>;
  /** Stop accepting, close sockets with 1001, flush and unload every room. Idempotent. */
  close(): Promise<void>;
  readonly metrics: RelayMetrics;
  /** Loaded rooms and open connections, as /healthz reports them. */
  stats(): { rooms: number; connections: number };
  /** Every HTTP route served (method and `/path/:param`), for the OpenAPI check. */
  routes(): readonly { method: string; path: string }[];
}

export function createRelay(config: Config, deps: RelayDeps): Relay {
  const { store, logger } = deps;
  const startedAt = performance.now();
  const connections = new Set<Connection>();
  /** Every upgraded socket until it is closed, so shutdown can terminate stragglers. */
  const sockets = new Set<WebSocket>();
  let rooms: Rooms;
  const metrics = new RelayMetrics({
    connections: () => connections.size,
    rooms: () => rooms.size,
  });
  if (deps.cluster) metrics.observeCluster(deps.cluster);
  const batcher = new WriteBatcher(store, metrics, logger);
  const compactor = new Compactor();
  const webhooks =
    deps.webhooks &&
    createRelayWebhooks({
      store: deps.webhooks,
      config,
      logger,
      metrics,
      ...(deps.authors ? { authors: deps.authors } : {}),
    });
  if (webhooks && deps.history) webhooks.observe(deps.history);
  rooms = new Rooms(
    {
      store,
      batcher,
      compactor,
      metrics,
      logger,
      compactAfterUpdates: config.compactAfterUpdates,
      compactAfterBytes: config.compactAfterBytes,
      cluster: deps.cluster,
      sharedStore: deps.sharedStore ?? false,
      authors: deps.authors,
    },
    config.unloadGraceMs,
    logger,
    allRoomHooks(deps.history && historyRoomHooks(deps.history), webhooks?.roomHooks),
  );
  let nextConnectionId = 1;
  let closing: Promise<void> | null = null;
  const guard = createGuard(config, deps.links, metrics);
  /** Behind a trusted proxy the client is read from X-Forwarded-For (client-address.ts). */
  const clientAddressOf = clientAddressResolver(config.trustProxy);
  metrics.observeThrottle(() => guard.throttler.stats());
  if (!guard.access.secured) logger.warn('no secret configured: anyone can open and edit any room');
  // Other instances may revoke a link this one serves: re-check open links against the store.
  const stopSweep =
    deps.cluster && guard.access.secured
      ? guard.access.startRevocationSweep(REVOCATION_SWEEP_MS, (err) =>
          logger.warn({ err }, 'revocation sweep failed'),
        )
      : null;
  const dashboard = createDashboard({
    metrics,
    stats: () => ({ rooms: rooms.size, connections: connections.size }),
    rooms: () => rooms.values(),
    status: () => (closing ? 'shutting-down' : (deps.cluster?.status() ?? 'ok')),
    cluster: deps.cluster,
    logger,
  });
  const router = createRelayRouter({
    config,
    logger,
    metrics,
    rooms,
    store,
    access: guard.access,
    clientAddressOf,
    history: deps.history,
    images: deps.images,
    authors: deps.authors,
    webhooks,
    dashboard,
    health: () => ({
      status: closing ? 503 : 200,
      body: {
        // 'degraded' (Redis unreachable) is still 200: the instance serves its own clients.
        status: closing ? 'shutting-down' : (deps.cluster?.status() ?? 'ok'),
        rooms: rooms.size,
        connections: connections.size,
        uptimeSeconds: Math.round((performance.now() - startedAt) / 1000),
      },
    }),
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const server = createServer((req, res) => {
    void handleHttp(req, res);
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (closing && !OPERATIONS_PATHS.has(path)) {
      res
        .writeHead(503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'the relay is shutting down', code: 'unavailable' }));
    } else if (!(await router.handle(req, res))) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'no such route', code: 'not-found' }));
    }
  }

  function refuse(socket: Duplex, status: number, text: string): void {
    if (socket.writable) {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', destroySocket);
    if (closing) {
      metrics.reject('shutting-down');
      refuse(socket, 503, 'Service Unavailable');
      return;
    }
    const client = clientAddressOf(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    const url = new URL(req.url ?? '/', 'http://relay');
    const roomId = url.pathname.slice(1);
    if (!isValidRoomId(roomId)) {
      metrics.reject('bad-room');
      logger.debug({ path: url.pathname, client }, 'invalid room id at upgrade');
      refuse(socket, 400, 'Bad Request');
      return;
    }
    const origin = req.headers.origin;
    if (config.allowedOrigins.length > 0 && !(origin && config.allowedOrigins.includes(origin))) {
      // Refused after the upgrade so the browser sees the close code, not a bare failure.
      metrics.reject('origin');
      logger.warn({ room: roomId, origin, client }, 'origin not allowed');
      closeAfterUpgrade(req, socket, head, CloseCode.OriginNotAllowed);
      return;
    }
    const clientKey = url.searchParams.get(CLIENT_KEY_PARAM);
    if (clientKey !== null && !isValidClientKey(clientKey)) {
      metrics.reject('bad-client-key');
      logger.info({ room: roomId, client }, 'malformed client key');
      closeAfterUpgrade(req, socket, head, CloseCode.MalformedMessage);
      return;
    }
    if (!guard.claimIp(client, socket)) {
      logger.debug({ room: roomId, client }, 'too many connections from one address');
      closeAfterUpgrade(req, socket, head, CloseCode.RateLimited);
      return;
    }
    const wantsAck = url.searchParams.get(ACK_QUERY_PARAM) === '1';
    // Token and room cap are checked before the room is loaded or anything is sent.
    const token = url.searchParams.get(RELAY_TOKEN_PARAM);
    const loaded = { loaded: rooms.size, isLoaded: rooms.has(roomId) };
    guard.admit(roomId, token, loaded).then((admission) => {
      if (!admission.ok) {
        logger.info({ room: roomId, reason: admission.reason, client }, 'connection refused');
        closeAfterUpgrade(req, socket, head, admission.code);
        return;
      }
      rooms.acquire(roomId).then(
        (room) => upgrade(req, socket, head, room, wantsAck, admission.grant, clientKey),
        (err) => {
          if (err instanceof RoomDeletedError) {
            metrics.reject('deleted');
            logger.info({ room: roomId, client }, 'connection to a deleted document');
            closeAfterUpgrade(req, socket, head, CloseCode.DocumentDeleted);
            return;
          }
          metrics.reject('load-failed');
          logger.error({ room: roomId, err, client }, 'room load failed');
          refuse(socket, 500, 'Internal Server Error');
        },
      );
    });
  });

  /** Refuse after the upgrade, so a browser sees the close code rather than a bare failure. */
  function closeAfterUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, code: number) {
    if (closing || !socket.writable) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      track(ws);
      ws.close(code, closeInfo(code).reason);
    });
  }

  function track(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', untrack);
  }

  /** A shared listener (`this` is the socket): a closure and once-wrapper per socket cost RSS. */
  function untrack(this: WebSocket): void {
    sockets.delete(this);
  }

  /**
   * One handlers object per room, shared by its connections: per-connection closures would cost
   * every idle socket a few hundred bytes (more under tsx, which names each closure).
   */
  const handlersByRoom = new WeakMap<Room, ConnectionHandlers>();
  function handlersOf(room: Room): ConnectionHandlers {
    let handlers = handlersByRoom.get(room);
    if (!handlers) {
      handlers = {
        onMessage(c, frame) {
          const message = guard.filter(c, room, frame);
          if (message) room.receive(c, frame, message);
        },
        onTextFrame: (c) => room.reject(c, malformed('text frame')),
        onClose(c) {
          guard.detach(c);
          connections.delete(c);
          room.leave(c);
        },
      };
      handlersByRoom.set(room, handlers);
    }
    return handlers;
  }

  function upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    room: Room,
    wantsAck: boolean,
    grant: Grant,
    clientKey: string | null,
  ): void {
    if (closing || !socket.writable) {
      rooms.release(room);
      if (closing) refuse(socket, 503, 'Service Unavailable');
      else socket.destroy();
      return;
    }
    let upgraded = false;
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      room.pendingJoins--;
      track(ws);
      const conn = new Connection(
        ws,
        {
          id: nextConnectionId++,
          room: room.id,
          wantsAck,
          writer: writerOf(room.id, clientKey, grant),
          maxBufferedBytes: config.maxBufferedBytes,
        },
        metrics,
        logger,
      );
      connections.add(conn);
      guard.attach(conn, room.id, grant);
      conn.attach(handlersOf(room));
      room.join(conn);
    });
    // ws completes the upgrade synchronously or aborts it (bad handshake) without calling back.
    if (!upgraded) rooms.release(room);
  }

  // Another instance may delete a room this one serves: close it here too.
  const deletionSweep =
    deps.sharedStore &&
    setInterval(() => {
      const loaded = rooms.ids();
      if (loaded.length === 0 || closing) return;
      store.deletedAmong(loaded).then(
        (deleted) => {
          for (const id of deleted) {
            void rooms.remove(id, CloseCode.DocumentDeleted, async () => {});
          }
        },
        (err) => logger.warn({ err }, 'deletion sweep failed'),
      );
    }, DELETION_SWEEP_MS);
  if (deletionSweep) deletionSweep.unref();

  const pingTimer = setInterval(() => {
    for (const conn of connections) conn.checkAlive();
  }, config.pingIntervalMs);
  pingTimer.unref();

  return {
    metrics,
    stats: () => ({ rooms: rooms.size, connections: connections.size }),
    routes: () => router.list().map(({ method, path }) => ({ method, path })),

    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve({ host: address.address, port: address.port });
        });
      });
    },

    close() {
      closing ??= (async () => {
        clearInterval(pingTimer);
        if (deletionSweep) clearInterval(deletionSweep);
        // Its streams would otherwise hold server.close() open.
        await dashboard.close();
        stopSweep?.();
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const conn of [...connections]) conn.close(CloseCode.GoingAway);
        await rooms.closeAll();
        // After the rooms: their unload queued pending document.updated reports.
        await webhooks?.close();
        await batcher.drain();
        await compactor.close();
        // Clients normally answer the close handshake at once; don't wait ws's 30 s for the rest.
        await waitUntil(() => sockets.size === 0, SOCKET_CLOSE_WAIT_MS);
        for (const ws of sockets) ws.terminate();
        server.closeAllConnections();
        await serverClosed;
        logger.info('relay closed');
      })();
      return closing;
    },
  };
}
