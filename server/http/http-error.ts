/** An error answered as JSON `{error: message, code}` with `status` (http/router.ts). */
export type ErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'gone'
  | 'too-large'
  | 'unsupported-media-type'
  | 'rate-limited'
  /** A webhook target the SSRF guard refuses (webhooks/ssrf.ts). */
  | 'target-not-allowed'
  | 'unavailable'
  | 'internal';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
