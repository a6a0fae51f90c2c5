/**
 * The y-websocket wire format, decoded into a tagged union and encoded back. Pure: bytes in,
 * values out, no sockets and no Y.Doc. Malformed frames throw RelayError(4400).
 *
 * Frame layout (lib0 varuints): `[messageType][payload]`
 * - Sync: `[0][0 step1 | 1 step2 | 2 update][varUint8Array stateVector or update]`
 * - Awareness: `[1][varUint8Array awarenessUpdate]`
 * - Auth: `[2][varuint 0 = permission denied][varString reason]`
 * - QueryAwareness: `[3]`
 * - Ack (coedit extension, server → client only): `[100][varUint8Array stateVector]`
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType } from '../lib/protocol';
import { malformed } from './errors';

/** y-protocols/sync sub-types. */
export const SyncStep = { Step1: 0, Step2: 1, Update: 2 } as const;

export type ClientMessage =
  | { readonly kind: 'sync-step1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'sync-step2'; readonly update: Uint8Array }
  | { readonly kind: 'sync-update'; readonly update: Uint8Array }
  | { readonly kind: 'awareness'; readonly update: Uint8Array }
  | { readonly kind: 'query-awareness' }
  | { readonly kind: 'auth'; readonly permission: number; readonly reason: string };

export type MessageKind = ClientMessage['kind'];

/** Every kind, for metrics labels. */
export const MESSAGE_KINDS: readonly MessageKind[] = [
  'sync-step1',
  'sync-step2',
  'sync-update',
  'awareness',
  'query-awareness',
  'auth',
];

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function readLength(decoder: decoding.Decoder, what: string): number {
  try {
    return decoding.readVarUint(decoder);
  } catch (err) {
    throw malformed(`truncated ${what}`, err);
  }
}

/**
 * A view of the next length-prefixed byte array. The bound check matters: lib0 would happily
 * create a view past the frame into the rest of a pooled buffer.
 */
function readBytes(decoder: decoding.Decoder, what: string): Uint8Array {
  const length = readLength(decoder, `${what} length`);
  const start = decoder.pos;
  if (length > decoder.arr.length - start) throw malformed(`truncated ${what}`);
  decoder.pos = start + length;
  return decoder.arr.subarray(start, start + length);
}

function expectEnd(decoder: decoding.Decoder, kind: string): void {
  if (decoder.pos !== decoder.arr.length) {
    throw malformed(`${decoder.arr.length - decoder.pos} trailing bytes after ${kind}`);
  }
}

/** Decode one frame received from a client. Views into `frame` are returned, not copies. */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(frame);
  if (frame.length === 0) throw malformed('empty frame');
  const type = readLength(decoder, 'message type');
  let message: ClientMessage;
  switch (type) {
    case MessageType.Sync: {
      const step = readLength(decoder, 'sync step');
      if (step === SyncStep.Step1) {
        message = { kind: 'sync-step1', stateVector: readBytes(decoder, 'state vector') };
      } else if (step === SyncStep.Step2) {
        message = { kind: 'sync-step2', update: readBytes(decoder, 'update') };
      } else if (step === SyncStep.Update) {
        message = { kind: 'sync-update', update: readBytes(decoder, 'update') };
      } else {
        throw malformed(`unknown sync step ${step}`);
      }
      break;
    }
    case MessageType.Awareness:
      message = { kind: 'awareness', update: readBytes(decoder, 'awareness update') };
      break;
    case MessageType.QueryAwareness:
      message = { kind: 'query-awareness' };
      break;
    case MessageType.Auth: {
      const permission = readLength(decoder, 'auth permission');
      const bytes = readBytes(decoder, 'auth reason');
      let reason: string;
      try {
        reason = UTF8.decode(bytes);
      } catch (err) {
        throw malformed('auth reason is not UTF-8', err);
      }
      message = { kind: 'auth', permission, reason };
      break;
    }
    default:
      throw malformed(`unknown message type ${type}`);
  }
  expectEnd(decoder, message.kind);
  return message;
}

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return frame(MessageType.Sync, (e) => {
    encoding.writeVarUint(e, SyncStep.Step1);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return frame(MessageType.Sync, (e) => {
    encoding.writeVarUint(e, SyncStep.Step2);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return frame(MessageType.Sync, (e) => {
    encoding.writeVarUint(e, SyncStep.Update);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  return frame(MessageType.Awareness, (e) => encoding.writeVarUint8Array(e, update));
}

export function encodeQueryAwareness(): Uint8Array {
  return frame(MessageType.QueryAwareness, () => {});
}

/** Auth "permission denied" (y-protocols/auth). */
export function encodePermissionDenied(reason: string): Uint8Array {
  return frame(MessageType.Auth, (e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, reason);
  });
}

/** coedit Ack: everything covered by `stateVector` is durably stored. */
export function encodeAck(stateVector: Uint8Array): Uint8Array {
  return frame(MessageType.Ack, (e) => encoding.writeVarUint8Array(e, stateVector));
}

/** An update that changes nothing (no structs, empty delete set), as clients send in step 2. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}
