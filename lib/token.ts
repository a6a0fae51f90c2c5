/**
 * Share tokens: the capability carried by a document link. A token names one room, one role and
 * one link id, and is signed with the server secret (HMAC-SHA256 via Web Crypto, so the Next.js
 * app and the Node relay share this module).
 *
 * Format: `base64url(JSON claims) "." base64url(HMAC-SHA256(secret, first part))`.
 * The signature covers the encoded claims exactly as sent, so no canonical JSON is needed.
 * Verification uses `crypto.subtle.verify`, which compares in constant time.
 */

export type Role = 'edit' | 'view';

export interface TokenClaims {
  readonly room: string;
  readonly role: Role;
  /** Which link this token belongs to: revoking the link id revokes every copy of the token. */
  readonly linkId: string;
  /** Expiry in seconds since the epoch; absent = valid until revoked. */
  readonly exp?: number;
}

export type TokenFailure = 'missing' | 'malformed' | 'forged' | 'expired' | 'wrong-room';

export type VerifyResult =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly reason: TokenFailure };

/** Link ids: 96 random bits, base64url (16 characters). */
const LINK_ID_BYTES = 12;
const LINK_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Far above any real token; stops a hostile query string from costing a big decode. */
const MAX_TOKEN_LENGTH = 2048;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Strict base64url (no padding); null for anything else. */
export function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A fresh random link id. */
export function generateLinkId(): string {
  const bytes = new Uint8Array(LINK_ID_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  return base64UrlEncode(bytes);
}

export function isValidLinkId(value: string): boolean {
  return LINK_ID_PATTERN.test(value);
}

/** Imported keys by secret: importKey is async and not free, tokens are checked per upgrade. */
const keys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 8;

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = globalThis.crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    keys.set(secret, key);
  }
  return key;
}

function assertSecret(secret: string): void {
  if (secret.length === 0) throw new RangeError('token secret must not be empty');
}

/** Sign `claims` into a token string. */
export async function signToken(secret: string, claims: TokenClaims): Promise<string> {
  return signPayload(secret, {
    room: claims.room,
    role: claims.role,
    linkId: claims.linkId,
    ...(claims.exp === undefined ? {} : { exp: claims.exp }),
  });
}

async function signPayload(
  secret: string,
  body: { readonly linkId: string } & Record<string, unknown>,
): Promise<string> {
  assertSecret(secret);
  if (!isValidLinkId(body.linkId)) throw new RangeError(`invalid link id "${body.linkId}"`);
  const payload = base64UrlEncode(encoder.encode(JSON.stringify(body)));
  const signature = await globalThis.crypto.subtle.sign(
    'HMAC',
    await hmacKey(secret),
    encoder.encode(payload),
  );
  return `${payload}.${base64UrlEncode(new Uint8Array(signature))}`;
}

/**
 * The claims of a token WITHOUT checking its signature: for a browser deciding how to render
 * (read-only or not). Never use it to grant anything; the relay verifies.
 */
export function readClaimsUnverified(token: string): TokenClaims | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const [payload] = token.split('.', 1);
  const bytes = base64UrlDecode(payload ?? '');
  if (!bytes) return null;
  try {
    return parseClaims(JSON.parse(decoder.decode(bytes)));
  } catch {
    return null;
  }
}

function parseClaims(value: unknown): TokenClaims | null {
  if (typeof value !== 'object' || value === null) return null;
  const { room, role, linkId, exp } = value as Record<string, unknown>;
  if (typeof room !== 'string' || typeof linkId !== 'string' || !isValidLinkId(linkId)) {
    return null;
  }
  if (role !== 'edit' && role !== 'view') return null;
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) return null;
  return exp === undefined ? { room, role, linkId } : { room, role, linkId, exp };
}

/** The payload of a token whose signature holds, or why not. */
async function verifiedPayload(
  secret: string,
  token: string | null | undefined,
): Promise<{ ok: true; payload: unknown } | { ok: false; reason: TokenFailure }> {
  assertSecret(secret);
  if (!token) return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'malformed' };
  const [payload = '', signatureText = ''] = parts;
  const signature = base64UrlDecode(signatureText);
  const payloadBytes = base64UrlDecode(payload);
  if (!signature || !payloadBytes || payload === '' || signature.length === 0) {
    return { ok: false, reason: 'malformed' };
  }
  const genuine = await globalThis.crypto.subtle.verify(
    'HMAC',
    await hmacKey(secret),
    signature,
    encoder.encode(payload),
  );
  if (!genuine) return { ok: false, reason: 'forged' };
  try {
    return { ok: true, payload: JSON.parse(decoder.decode(payloadBytes)) };
  } catch {
    // Signed by us but unreadable: only a bug or a leaked secret produces this.
    return { ok: false, reason: 'malformed' };
  }
}

/**
 * Check a token for `room`. The signature is checked before the claims are trusted, so a forged
 * token never reports "expired" or "wrong-room" (which would tell an attacker the format works).
 */
export async function verifyToken(
  secret: string,
  token: string | null | undefined,
  expected: { room: string; nowSeconds?: number },
): Promise<VerifyResult> {
  const verified = await verifiedPayload(secret, token);
  if (!verified.ok) return verified;
  const claims = parseClaims(verified.payload);
  if (!claims) return { ok: false, reason: 'malformed' };
  const now = expected.nowSeconds ?? Date.now() / 1000;
  if (claims.exp !== undefined && claims.exp <= now) return { ok: false, reason: 'expired' };
  if (claims.room !== expected.room) return { ok: false, reason: 'wrong-room' };
  return { ok: true, claims };
}

/**
 * Admin tokens (`npm run token -- --admin`): every room and the admin routes of the relay's HTTP
 * API. Their claims name no room (`{admin: true, linkId, exp?}`), so no socket or share check
 * ever accepts one as a share token.
 */
export interface AdminClaims {
  readonly admin: true;
  readonly linkId: string;
  readonly exp?: number;
}

export async function signAdminToken(
  secret: string,
  claims: { linkId: string; exp?: number },
): Promise<string> {
  return signPayload(secret, {
    admin: true,
    linkId: claims.linkId,
    ...(claims.exp === undefined ? {} : { exp: claims.exp }),
  });
}

export async function verifyAdminToken(
  secret: string,
  token: string | null | undefined,
  nowSeconds: number = Date.now() / 1000,
): Promise<{ ok: true; claims: AdminClaims } | { ok: false; reason: TokenFailure }> {
  const verified = await verifiedPayload(secret, token);
  if (!verified.ok) return verified;
  const { admin, linkId, exp } = (verified.payload ?? {}) as Record<string, unknown>;
  if (admin !== true || typeof linkId !== 'string' || !isValidLinkId(linkId)) {
    return { ok: false, reason: 'malformed' };
  }
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) {
    return { ok: false, reason: 'malformed' };
  }
  if (exp !== undefined && exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims: exp === undefined ? { admin, linkId } : { admin, linkId, exp } };
}

/** Query parameter carrying the token, in page links (`/d/<room>?t=…`) and relay URLs. */
export const PAGE_TOKEN_PARAM = 't';
export const RELAY_TOKEN_PARAM = 'token';
