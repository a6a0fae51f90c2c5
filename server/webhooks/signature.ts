/**
 * Webhook signatures: `X-Coedit-Signature: sha256=<hex HMAC-SHA256 of the raw body>` keyed with
 * the webhook's secret, so a receiver can tell the relay sent exactly this body.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-coedit-signature';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Does `header` sign `body` with `secret`? Compared in constant time. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A secret for a webhook registered without one: 32 random bytes, hex. */
export function generateSecret(): string {
  return randomBytes(32).toString('hex');
}
