/**
 * Errors inside the relay are thrown as RelayError(code); `toClose` is the one place any error
 * becomes a WebSocket close code and reason (from lib/close-codes.ts).
 */
import { CloseCode, type CloseCodeValue, describeCloseCode } from '../lib/close-codes';

export class RelayError extends Error {
  constructor(
    readonly code: CloseCodeValue,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RelayError';
  }
}

/** A frame the protocol decoder or Yjs could not make sense of. */
export function malformed(message: string, cause?: unknown): RelayError {
  return new RelayError(CloseCode.MalformedMessage, message, { cause });
}

export interface CloseInfo {
  readonly code: number;
  /** Close frame reason text: short, never longer than the 123 bytes a close frame allows. */
  readonly reason: string;
}

/** Map any error to the close code a socket is closed with; unknown errors are internal (1011). */
export function toClose(err: unknown): CloseInfo {
  const code = err instanceof RelayError ? err.code : CloseCode.InternalError;
  return closeInfo(code);
}

export function closeInfo(code: number): CloseInfo {
  return { code, reason: describeCloseCode(code).reason };
}

/** Short text for a log line, without a stack for expected (client-caused) errors. */
export function errorMessage(err: unknown): string {
  if (err instanceof RelayError && err.cause instanceof Error) {
    return `${err.message}: ${err.cause.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** `err` as an Error, for callbacks and APIs that take one (a thrown non-Error is wrapped). */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
