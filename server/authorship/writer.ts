/**
 * Who a connection writes as, settled at the upgrade: the hash of its client key (if it sent
 * one), the author id that key stands for, and its share link. The key itself is never kept.
 */
import { createHash } from 'node:crypto';

export interface Writer {
  /** SHA-256 (hex) of the room and the client key; null for a client without a key. */
  readonly keyHash: string | null;
  /** The author a keyed writer's text is attributed to; null without a key (see authorIdOf). */
  readonly authorId: string | null;
  /** The share link it came through (relays with a secret), else null. */
  readonly linkId: string | null;
  /** False for a view link: it never writes, so its ids are not reserved. */
  readonly canWrite: boolean;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `clientKey` must already be valid (lib/client-key.ts). */
export function writerOf(
  room: string,
  clientKey: string | null,
  grant: { readonly linkId: string | null; readonly role: 'edit' | 'view' },
): Writer {
  const { linkId } = grant;
  const canWrite = grant.role === 'edit';
  if (clientKey === null) return { keyHash: null, authorId: null, linkId, canWrite };
  const keyHash = sha256(`coedit client key\0${room}\0${clientKey}`);
  // Public (the authorship API shows it), so derived one way from the hash, never the hash.
  const authorId = `k-${sha256(`coedit author\0${keyHash}`).slice(0, 20)}`;
  return { keyHash, authorId, linkId, canWrite };
}

/**
 * The author of text written with `clientId`: a keyed writer is one author across all the ids
 * it writes with; a client without a key is known only by its client id.
 */
export function authorIdOf(writer: Writer, clientId: number): string {
  return writer.authorId ?? `c-${clientId}`;
}
