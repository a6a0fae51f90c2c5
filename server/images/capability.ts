/**
 * Image addresses that work for every reader of a room without carrying anyone's token.
 *
 * An uploaded image is inserted into the document as `/rooms/<room>/images/<hash>?s=<sig>`,
 * where `sig` is an HMAC of the room and the hash under a key derived from the relay's secret.
 * Only the relay can make one, and it makes one only for an editor who uploaded (or re-uploaded)
 * those exact bytes to that room; after that the address lives in the document, which only
 * holders of a view or edit link can read. The signature names the room, so an address copied
 * into another room opens nothing there. A share token in the address would have leaked the
 * uploader's edit rights to every reader, so the address never holds one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { base64UrlEncode } from '../../lib/token';

/** Query parameter of the signature in an image address. */
export const IMAGE_SIGNATURE_PARAM = 's';

/** 128 bits: as unguessable as a room id. */
const SIGNATURE_BYTES = 16;

export class ImageSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, so an image signature can never stand in for a share token's HMAC.
    this.key = createHmac('sha256', secret).update('coedit image addresses v1').digest();
  }

  sign(room: string, hash: string): string {
    return base64UrlEncode(this.mac(room, hash));
  }

  verify(room: string, hash: string, signature: string | null): boolean {
    if (!signature) return false;
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(room, hash);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(room: string, hash: string): Buffer {
    return createHmac('sha256', this.key)
      .update(`${room}\n${hash}`)
      .digest()
      .subarray(0, SIGNATURE_BYTES);
  }
}
