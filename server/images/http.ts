/**
 * The relay's image endpoints (cross-origin from the app, so CORS like the other APIs):
 *
 *   POST /rooms/<room>/images          raw image bytes → 201 (new) or 200 (already kept)
 *                                       { hash, type, size, path }
 *   GET  /rooms/<room>/images/<hash>   the image (HEAD too)
 *
 * Upload needs an edit token of the room (`?token=` or `Authorization: Bearer`): 401 without a
 * valid one, 403 for a view token. The body must be a PNG, JPEG, GIF or WebP by its bytes (415
 * otherwise, whatever its name or Content-Type) and at most `--image-max-bytes` (413); a client
 * address past its hourly `--image-upload-budget` gets 429 with Retry-After (upload-budget.ts).
 * Reading needs the address's signature (capability.ts) or a view/edit token of that room;
 * a room serves only images uploaded to it (404 otherwise). Without a secret the relay is open,
 * as its rooms are: anyone may upload to and read from any room.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ImageType, imageTypeName } from '../../lib/image-types';
import { isValidRoomId } from '../../lib/room-id';
import { RELAY_TOKEN_PARAM } from '../../lib/token';
import type { Access } from '../access';
import type { ClientAddressOf } from '../client-address';
import { bearerToken } from '../http-json';
import type { Logger } from '../log';
import type { ImageRefusal, RelayMetrics } from '../metrics';
import type { ImageStore } from '../storage/images';
import { IMAGE_SIGNATURE_PARAM, ImageSigner } from './capability';
import { discardRest, readImageUpload } from './upload-body';
import type { UploadBudget } from './upload-budget';

const ROUTE = /^\/rooms\/([^/]+)\/images(?:\/([^/]+))?\/?$/;
const HASH = /^[0-9a-f]{64}$/;
const ACCEPTED = 'PNG, JPEG, GIF or WebP';
/**
 * Uploads read at once (each holds up to the size limit in memory while it is hashed and
 * stored); more wait for a 503 and try again, so memory stays bounded whatever is sent.
 */
export const MAX_CONCURRENT_UPLOADS = 16;
/** Immutable: an address names exactly one content. */
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export interface ImagesHttpDeps {
  readonly store: ImageStore;
  readonly access: Pick<Access, 'admit' | 'secured'>;
  readonly secret: string | undefined;
  readonly maxBytes: number;
  readonly uploadBudget: UploadBudget;
  readonly clientAddressOf: ClientAddressOf;
  /** Allowed Origins (empty = any), mirrored into CORS. */
  readonly allowedOrigins: readonly string[];
  readonly metrics: Pick<RelayMetrics, 'imageUploaded' | 'imageRefused'>;
  readonly logger: Logger;
}

/** Handle the request if it is an image route; false lets the relay answer it. */
export function imagesHttpHandler(
  deps: ImagesHttpDeps,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const signer = deps.secret === undefined ? null : new ImageSigner(deps.secret);
  const uploads = { active: 0 };
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://relay');
    const match = ROUTE.exec(url.pathname);
    if (!match) return false;
    const [, room = '', hash] = match;
    const exchange = new Exchange(req, res, deps.allowedOrigins);
    const serve =
      req.method === 'OPTIONS'
        ? Promise.resolve(exchange.preflight())
        : hash === undefined
          ? upload(exchange, deps, signer, uploads, room, url.searchParams)
          : download(exchange, deps, signer, room, hash, url.searchParams);
    serve.catch((err: unknown) => {
      deps.logger.error({ err, room }, 'image request failed');
      exchange.json(500, { error: 'internal error' });
    });
    return true;
  };
}

/** One request and its answer, with the CORS headers every answer carries. */
class Exchange {
  private readonly cors: Record<string, string>;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly allowedOrigins: readonly string[],
  ) {
    const origin = req.headers.origin;
    this.cors =
      origin && (allowedOrigins.length === 0 || allowedOrigins.includes(origin))
        ? { 'access-control-allow-origin': origin, vary: 'origin' }
        : {};
  }

  /** A cross-origin caller that is not an allowed origin (the socket refuses it with 1008). */
  get originRefused(): boolean {
    const origin = this.req.headers.origin;
    return this.allowedOrigins.length > 0 && !!origin && !this.allowedOrigins.includes(origin);
  }

  preflight(): void {
    this.res.writeHead(204, {
      ...this.cors,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      // Echo what the preflight asks for: no cookies are used, so any header is harmless.
      'access-control-allow-headers':
        this.req.headers['access-control-request-headers'] ?? 'authorization, content-type',
      'access-control-max-age': '600',
    });
    this.res.end();
  }

  json(status: number, body: unknown): void {
    if (this.res.headersSent) {
      this.res.destroy();
      return;
    }
    this.res.writeHead(status, {
      ...this.cors,
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    this.res.end(JSON.stringify(body));
  }

  image(type: ImageType, hash: string, bytes: Uint8Array | null, cache: string): void {
    this.res.writeHead(bytes === null ? 304 : 200, {
      ...this.cors,
      'content-type': type,
      ...(bytes === null ? {} : { 'content-length': String(bytes.length) }),
      etag: `"${hash}"`,
      'cache-control': `${cache}, max-age=${ONE_YEAR_SECONDS}, immutable`,
      'x-content-type-options': 'nosniff',
      // Opened directly, the image is still a sandboxed document that may run and load nothing.
      'content-security-policy': "default-src 'none'; sandbox",
      // The preview frame (an opaque origin) and the app load it cross-origin.
      'cross-origin-resource-policy': 'cross-origin',
    });
    this.res.end(this.req.method === 'HEAD' || bytes === null ? undefined : bytes);
  }
}

function tokenOf(req: IncomingMessage, query: URLSearchParams): string | null {
  return query.get(RELAY_TOKEN_PARAM) ?? bearerToken(req);
}

async function upload(
  exchange: Exchange,
  deps: ImagesHttpDeps,
  signer: ImageSigner | null,
  uploads: { active: number },
  room: string,
  query: URLSearchParams,
): Promise<void> {
  const { req } = exchange;
  const refuse = (status: number, reason: ImageRefusal, error: string) => {
    deps.metrics.imageRefused(reason);
    deps.logger.info({ room, reason }, 'image upload refused');
    // Refused before the body was read: drop it (bounded) so the client gets this answer.
    if (!req.readableEnded && req.listenerCount('data') === 0) discardRest(req);
    exchange.json(status, { error, reason });
  };
  if (req.method !== 'POST') {
    exchange.res.setHeader('allow', 'POST, OPTIONS');
    return exchange.json(405, { error: 'method not allowed' });
  }
  if (exchange.originRefused) return refuse(403, 'unauthorized', 'origin not allowed');
  if (!isValidRoomId(room)) return refuse(400, 'bad-request', 'invalid room id');
  // Who is asking is settled before a byte of the body is read.
  const admission = await deps.access.admit(room, tokenOf(req, query));
  if (!admission.ok) {
    return refuse(401, 'unauthorized', `This link cannot add images (${admission.reason}).`);
  }
  if (admission.grant.role !== 'edit') {
    return refuse(403, 'read-only', 'This is a view-only link: it cannot add images.');
  }
  const client =
    deps.clientAddressOf(req.socket.remoteAddress, req.headers['x-forwarded-for']) ?? 'unknown';
  const waitMs = deps.uploadBudget.waitMs(client);
  if (waitMs > 0) {
    const minutes = Math.ceil(waitMs / 60_000);
    exchange.res.setHeader('retry-after', String(Math.ceil(waitMs / 1000)));
    return refuse(
      429,
      'over-budget',
      `Too many images uploaded from this address in the last hour. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    );
  }
  if (uploads.active >= MAX_CONCURRENT_UPLOADS) {
    exchange.res.setHeader('retry-after', '2');
    return refuse(503, 'busy', 'The server is busy with other uploads. Try again in a moment.');
  }
  uploads.active++;
  try {
    const size = await receive(exchange, deps, signer, room, refuse);
    deps.uploadBudget.spend(client, size);
  } finally {
    uploads.active--;
  }
}

async function receive(
  exchange: Exchange,
  deps: ImagesHttpDeps,
  signer: ImageSigner | null,
  room: string,
  refuse: (status: number, reason: ImageRefusal, error: string) => void,
): Promise<number> {
  const body = await readImageUpload(exchange.req, deps.maxBytes);
  if (!body.ok) {
    refuseBody(body.refusal, deps, refuse);
    return 0; // nothing kept
  }
  const { stored } = await deps.store.put(room, {
    hash: body.hash,
    type: body.type,
    bytes: body.bytes,
  });
  deps.metrics.imageUploaded(stored ? 'stored' : 'duplicate');
  deps.logger.info(
    { room, hash: body.hash, type: body.type, size: body.bytes.length, stored },
    'image uploaded',
  );
  const signature = signer ? `?${IMAGE_SIGNATURE_PARAM}=${signer.sign(room, body.hash)}` : '';
  exchange.json(stored ? 201 : 200, {
    hash: body.hash,
    type: body.type,
    typeName: imageTypeName(body.type),
    size: body.bytes.length,
    path: `/rooms/${room}/images/${body.hash}${signature}`,
  });
  return body.bytes.length;
}

function refuseBody(
  refusal: 'too-large' | 'not-an-image' | 'truncated' | 'aborted',
  deps: ImagesHttpDeps,
  refuse: (status: number, reason: ImageRefusal, error: string) => void,
): void {
  switch (refusal) {
    case 'too-large':
      refuse(
        413,
        'too-large',
        `The image is larger than ${formatBytes(deps.maxBytes)}, the most this server accepts.`,
      );
      break;
    case 'not-an-image':
      refuse(415, 'not-an-image', `This file is not a ${ACCEPTED} image.`);
      break;
    case 'truncated':
      refuse(415, 'truncated', 'This image file is incomplete (cut off).');
      break;
    case 'aborted':
      deps.metrics.imageRefused('bad-request');
      break;
  }
}

async function download(
  exchange: Exchange,
  deps: ImagesHttpDeps,
  signer: ImageSigner | null,
  room: string,
  hash: string,
  query: URLSearchParams,
): Promise<void> {
  const { req } = exchange;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    exchange.res.setHeader('allow', 'GET, HEAD, OPTIONS');
    return exchange.json(405, { error: 'method not allowed' });
  }
  if (!isValidRoomId(room)) return exchange.json(400, { error: 'invalid room id' });
  if (!HASH.test(hash)) return exchange.json(404, { error: 'no such image' });
  if (deps.access.secured) {
    const signed = signer?.verify(room, hash, query.get(IMAGE_SIGNATURE_PARAM)) ?? false;
    if (!signed) {
      const admission = await deps.access.admit(room, tokenOf(req, query));
      if (!admission.ok) {
        return exchange.json(401, { error: `unauthorized (${admission.reason})` });
      }
    }
  }
  const image = await deps.store.get(room, hash);
  if (!image) return exchange.json(404, { error: 'no such image' });
  // Access-controlled content stays out of shared caches; an open relay's may be shared.
  const cache = deps.access.secured ? 'private' : 'public';
  const notModified = req.headers['if-none-match']
    ?.split(',')
    .some((tag) => tag.trim().replace(/^W\//, '') === `"${hash}"`);
  exchange.image(image.type, hash, notModified ? null : image.bytes, cache);
}

function formatBytes(bytes: number): string {
  const MiB = 1024 * 1024;
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}
