/**
 * ImageStore: uploaded images, content-addressed by the SHA-256 of their bytes and scoped by
 * room. The bytes of one image are kept once however many rooms use it (dedupe); each room only
 * records which hashes it holds, and an image is served for a room only if that room holds it,
 * so knowing a hash from room A opens nothing in room B. Kept beside the documents (same SQLite
 * file or PostgreSQL database); one contract suite (images.contract.ts) runs on every backend.
 */
import type { ImageType } from '../../lib/image-types';

export interface StoredImage {
  /** Lowercase hex SHA-256 of `bytes`. */
  readonly hash: string;
  readonly type: ImageType;
  readonly bytes: Uint8Array;
}

export interface ImageStore {
  /**
   * Keep `image` for `room`. The caller has checked that `hash` is the SHA-256 of `bytes` and
   * `type` their sniffed type. Resolves `stored: false` when the bytes were already kept (for
   * any room), in which case nothing but the room's reference is written.
   */
  put(room: string, image: StoredImage): Promise<{ stored: boolean }>;
  /** The image `hash` if `room` holds it, else null. */
  get(room: string, hash: string): Promise<StoredImage | null>;
  /**
   * Forget every image `room` holds (the document was deleted); bytes no other room holds are
   * removed too. Resolves with how many images the room held.
   */
  deleteRoom(room: string): Promise<number>;
  /** Release resources; later calls fail. Idempotent. */
  close(): Promise<void>;
}
