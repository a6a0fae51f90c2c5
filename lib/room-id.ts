/** Room ids name documents in links, relay URLs and storage keys. */

/** Every room id the relay and the app accept (DESIGN: `^[A-Za-z0-9_-]{1,128}$`). */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Random bytes in a generated id: 128 bits, so links cannot be guessed. */
const GENERATED_ID_BYTES = 16;

export function isValidRoomId(value: string): boolean {
  return ROOM_ID_PATTERN.test(value);
}

/**
 * A new unguessable room id: 128 random bits from Web Crypto, base64url without padding
 * (22 characters). Works in Node and in the browser.
 */
export function generateRoomId(): string {
  const bytes = new Uint8Array(GENERATED_ID_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
