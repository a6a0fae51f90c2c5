/**
 * The client key: a random secret a client keeps with its local copy of a document and passes
 * on the socket URL (`?clientKey=`). The relay binds every Yjs client id to the first key that
 * writes with it (server/authorship/), so a client id is its owner's across reconnects and
 * nobody else can write with it. A key is only ever compared by its hash.
 */

import { base64UrlEncode } from './token';

export const CLIENT_KEY_PARAM = 'clientKey';

/** 22–128 URL-safe characters: at least 128 bits when random base64url. */
const CLIENT_KEY_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;

export function isValidClientKey(value: string): boolean {
  return CLIENT_KEY_PATTERN.test(value);
}

/** A new random key: 24 bytes (192 bits), base64url. */
export function newClientKey(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  return base64UrlEncode(bytes);
}
