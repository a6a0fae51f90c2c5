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
import type { Access } from '../guard/access';
import type { ClientAddressOf } from '../guard/client-address';
import { requestToken } from '../http/auth';
import type { ErrorCode } from '../http/http-error';
import type { Route } from '../http/router';
import type { Logger } from '../log';
import type { ImageRefusal, RelayMetrics } from '../metrics';
import type { ImageStore } from '../storage/images';
import { IMAGE_SIGNATURE_PARAM, ImageSigner } from './capability';
import { discardRest, readImageUpload } from './upload-body';
import type { UploadBudget } from './upload-budget';

const HASH = /^[0-9a-f]{64}$/;
const ACCEPTED = 'PNG, JPEG, GIF or WebP';
/**
 * Uploads read at once (each holds up to the size limit in memory while it is hashed and
 * stored); more wait for a 503 and try again, so memory stays bounded whatever is sent.
 */
export const MAX_CONCURRENT_UPLOADS = 16;
/** The API's error code of each refusal (`reason` stays, for the app's messages). */
const CODE_OF_REFUSAL: Record<ImageRefusal, ErrorCode> = {
  unauthorized: 'unauthorized',
  'read-only': 'forbidden',
  'bad-request': 'bad-request',
  'over-budget': 'rate-limited',
  busy: 'unavailable',
  'too-large': 'too-large',
  'not-an-image': 'unsupported-media-type',
  truncated: 'unsupported-media-type',
};
/** Immutable: an address names exactly one content. */
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export interface ImagesHttpDeps {
  readonly store: ImageStore;
  readonly access: Pick<Access, 'admit' | 'secured'>;
  readonly secret: string | undefined;
  readonly maxBytes: number;
  readonly uploadBudget: UploadBudget;
  readonly clientAddressOf: ClientAddressOf;
  readonly metrics: Pick<RelayMetrics, 'imageUploaded' | 'imageRefused'>;
  readonly logger: Logger;
}

/** The image routes (CORS, origin rule and room id check are the router's). */
export function imagesRoutes(deps: ImagesHttpDeps): Route[] {
  const signer = deps.secret === undefined ? null : new ImageSigner(deps.secret);
  const uploads = { active: 0 };
  return [
    {
      method: 'POST',
      path: '/rooms/:room/images',
      name: 'images.upload',
      access: 'anyone',
      handle: ({ req, res, url, room }) =>
        upload(new Exchange(req, res), deps, signer, uploads, room, url),
    },
    {
      method: 'GET',
      path: '/rooms/:room/images/:hash',
      name: 'images.get',
      access: 'anyone',
      handle: ({ req, res, url, room, params }) =>
        download(new Exchange(req, res), deps, signer, room, params.hash as string, url),
    },
  ];
}

/** One request and its answer (the router has set the CORS headers). */
class Exchange {
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {}

  json(status: number, body: unknown): void {
    if (this.res.headersSent) {
      this.res.destroy();
      return;
    }
    this.res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    this.res.end(JSON.stringify(body));
  }

  image(type: ImageType, hash: string, bytes: Uint8Array | null, cache: string): void {
    this.res.writeHead(bytes === null ? 304 : 200, {
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

async function upload(
  exchange: Exchange,
  deps: ImagesHttpDeps,
  signer: ImageSigner | null,
  uploads: { active: number },
  room: string,
  url: URL,
): Promise<void> {
  const { req } = exchange;
  const refuse = (status: number, reason: ImageRefusal, error: string) => {
    deps.metrics.imageRefused(reason);
    deps.logger.info({ room, reason }, 'image upload refused');
    // Refused before the body was read: drop it (bounded) so the client gets this answer.
    if (!req.readableEnded && req.listenerCount('data') === 0) discardRest(req);
    exchange.json(status, { error, code: CODE_OF_REFUSAL[reason], reason });
  };
  // Who is asking is settled before a byte of the body is read.
  const admission = await deps.access.admit(room, requestToken(req, url));
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
  url: URL,
): Promise<void> {
  const { req } = exchange;
  const notFound = { error: 'no such image', code: 'not-found' };
  if (!HASH.test(hash)) return exchange.json(404, notFound);
  if (deps.access.secured) {
    const signed = signer?.verify(room, hash, url.searchParams.get(IMAGE_SIGNATURE_PARAM)) ?? false;
    if (!signed) {
      const admission = await deps.access.admit(room, requestToken(req, url));
      if (!admission.ok) {
        return exchange.json(401, {
          error: `unauthorized (${admission.reason})`,
          code: 'unauthorized',
        });
      }
    }
  }
  const image = await deps.store.get(room, hash);
  if (!image) return exchange.json(404, notFound);
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
