/**
 * What the relay's JSON HTTP APIs share (versions, authorship): CORS for the app's origin, an
 * error that carries its status, and path decoding that answers 400 instead of throwing.
 */
import type { IncomingMessage } from 'node:http';

/** Answered as `{error: message}` with `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function corsHeaders(
  req: IncomingMessage,
  allowed: readonly string[],
): Record<string, string> {
  const origin = req.headers.origin;
  const allow = allowed.length === 0 ? '*' : origin && allowed.includes(origin) ? origin : null;
  if (!allow) return {};
  return {
    'access-control-allow-origin': allow,
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, OPTIONS',
    // Echo what the preflight asks for: no cookies are used, so any header is harmless.
    'access-control-allow-headers':
      req.headers['access-control-request-headers'] ?? 'content-type, authorization',
    'access-control-max-age': '600',
    vary: 'origin',
  };
}

/** A percent-decoded path segment; 400 for a malformed escape. */
export function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, 'malformed path');
  }
}
