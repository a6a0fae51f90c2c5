/**
 * Reads an image upload's body under a size limit, deciding as early as the bytes allow: the
 * declared Content-Length and every chunk are checked against the limit, and the first bytes are
 * sniffed, so an oversize body or a non-image is refused without being kept. What arrives after a
 * refusal is read and dropped (up to a bound) so the client still receives the answer rather
 * than a reset connection.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  type ImageType,
  isCompleteImage,
  SNIFF_BYTES,
  sniffImageType,
} from '../../lib/image-types';

/** After a refusal, at most this much more of the body is read and dropped; then the socket closes. */
const DISCARD_LIMIT_BYTES = 4 * 1024 * 1024;

export type UploadBody =
  | { readonly ok: true; readonly type: ImageType; readonly bytes: Buffer; readonly hash: string }
  | {
      readonly ok: false;
      readonly refusal: 'too-large' | 'not-an-image' | 'truncated' | 'aborted';
    };

/**
 * Read `req`'s body. Resolves as soon as the outcome is known; on a refusal the rest of the body
 * keeps being dropped in the background.
 */
export function readImageUpload(req: IncomingMessage, maxBytes: number): Promise<UploadBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discardRest(req);
    return Promise.resolve({ ok: false, refusal: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const hash = createHash('sha256');
    let size = 0;
    let type: ImageType | null = null;
    let settled = false;
    const finish = (result: UploadBody) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      if (!result.ok && result.refusal !== 'aborted') discardRest(req);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return finish({ ok: false, refusal: 'too-large' });
      chunks.push(chunk);
      hash.update(chunk);
      if (type === null && size >= SNIFF_BYTES) {
        type = sniffImageType(Buffer.concat(chunks).subarray(0, SNIFF_BYTES));
        if (type === null) finish({ ok: false, refusal: 'not-an-image' });
      }
    };
    const onEnd = () => {
      const bytes = Buffer.concat(chunks, size);
      // Fewer bytes than a header: nothing was sniffed yet, so it cannot be an image.
      if (type === null) return finish({ ok: false, refusal: 'not-an-image' });
      if (!isCompleteImage(type, bytes)) return finish({ ok: false, refusal: 'truncated' });
      finish({ ok: true, type, bytes, hash: hash.digest('hex') });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.once('close', () => {
      if (!req.complete) finish({ ok: false, refusal: 'aborted' });
    });
    req.once('error', () => finish({ ok: false, refusal: 'aborted' }));
  });
}

/**
 * Read and drop what is left of a refused body, so the client receives the answer; past
 * DISCARD_LIMIT_BYTES the connection is closed instead.
 */
export function discardRest(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_LIMIT_BYTES) req.socket.destroy();
  });
  req.on('error', () => {});
  req.resume();
}
