/**
 * The one table of WebSocket close codes used between relay and app: code → reason → what the
 * user is told. The relay closes with these; the app shows `message` and stops reconnecting when
 * `fatal` is set.
 *
 * An unmodified y-websocket 3 client never reconnects after a code in 4400–4499 (its default
 * `shouldReconnect`), so that range holds only the fatal codes; everything transient lives outside
 * it (1xxx, or 4500+), and close-codes.test.ts keeps it that way.
 */
export interface CloseCodeInfo {
  readonly code: number;
  /** Short machine-readable reason, also sent as the close frame's reason text. */
  readonly reason: string;
  /** What the user is shown. */
  readonly message: string;
  /** A fatal close means reconnecting would fail the same way: the client stops and says why. */
  readonly fatal: boolean;
}

export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  OriginNotAllowed: 1008,
  MessageTooBig: 1009,
  InternalError: 1011,
  Overloaded: 1013,
  MalformedMessage: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  DocumentDeleted: 4410,
  DocumentTooLarge: 4413,
  HandshakeTimeout: 4508,
  OutOfSync: 4509,
  RateLimited: 4529,
} as const;

/** The codes after which y-websocket 3's default `shouldReconnect` gives up for good. */
export function standardClientGivesUp(code: number): boolean {
  return code >= 4400 && code < 4500;
}

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

const TABLE: readonly CloseCodeInfo[] = [
  { code: 1000, reason: 'normal', message: 'Disconnected.', fatal: false },
  {
    code: 1001,
    reason: 'server shutting down',
    message: 'The server is restarting. Reconnecting…',
    fatal: false,
  },
  {
    code: 1008,
    reason: 'origin not allowed',
    message: 'This site is not allowed to connect to the document server.',
    fatal: true,
  },
  {
    code: 1009,
    reason: 'message too big',
    message: 'A change was too large for the server to accept.',
    fatal: true,
  },
  {
    code: 1011,
    reason: 'internal error',
    message: 'The server hit an internal error. Reconnecting…',
    fatal: false,
  },
  {
    code: 1013,
    reason: 'overloaded',
    message: 'The server is busy. Retrying shortly…',
    fatal: false,
  },
  {
    code: 4400,
    reason: 'malformed message',
    message: 'The server rejected a malformed message from this page. Reload to continue.',
    fatal: true,
  },
  {
    code: 4401,
    reason: 'unauthorized',
    message: 'This link is missing a valid access token.',
    fatal: true,
  },
  {
    code: 4403,
    reason: 'forbidden',
    message:
      'This page may not write here: access was revoked, the link is read-only, or it wrote as someone else.',
    fatal: true,
  },
  {
    code: 4410,
    reason: 'document deleted',
    message: 'This document was deleted. Nothing more can be saved here.',
    fatal: true,
  },
  {
    code: 4413,
    reason: 'document too large',
    message: 'This document reached its size limit: further changes cannot be saved.',
    fatal: true,
  },
  {
    code: 4508,
    reason: 'handshake timeout',
    message: 'The connection took too long to start. Reconnecting…',
    fatal: false,
  },
  {
    code: 4509,
    reason: 'out of sync',
    message: 'Changes from this page arrived before what they build on. Resyncing…',
    fatal: false,
  },
  {
    code: 4529,
    reason: 'rate limited',
    message: 'Too many changes too fast. Retrying shortly…',
    fatal: false,
  },
];

const BY_CODE = new Map(TABLE.map((info) => [info.code, info]));

/** Every known close code, in table order (for README and tests). */
export const CLOSE_CODES: readonly CloseCodeInfo[] = TABLE;

/** Look a close code up; unknown codes are treated as transient (the client retries). */
export function describeCloseCode(code: number): CloseCodeInfo {
  return (
    BY_CODE.get(code) ?? {
      code,
      reason: 'unknown',
      message: `Disconnected (code ${code}). Reconnecting…`,
      fatal: false,
    }
  );
}
