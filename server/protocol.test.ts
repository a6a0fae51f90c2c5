import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../lib/close-codes';
import { RelayError } from './errors';
import {
  decodeClientMessage,
  encodeAck,
  encodeAwareness,
  encodePermissionDenied,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  isEmptyUpdate,
} from './protocol';

function malformedError(frame: Uint8Array): RelayError {
  try {
    decodeClientMessage(frame);
  } catch (err) {
    if (err instanceof RelayError) return err;
    throw err;
  }
  throw new Error('expected a RelayError');
}

describe('decodeClientMessage', () => {
  const doc = new Y.Doc();
  doc.getText('body').insert(0, 'hi');
  const update = Y.encodeStateAsUpdate(doc);
  const sv = Y.encodeStateVector(doc);

  it('round-trips every message the relay encodes', () => {
    expect(decodeClientMessage(encodeSyncStep1(sv))).toEqual({
      kind: 'sync-step1',
      stateVector: sv,
    });
    expect(decodeClientMessage(encodeSyncStep2(update))).toEqual({ kind: 'sync-step2', update });
    expect(decodeClientMessage(encodeSyncUpdate(update))).toEqual({ kind: 'sync-update', update });
    expect(decodeClientMessage(encodeAwareness(new Uint8Array([1, 2])))).toEqual({
      kind: 'awareness',
      update: new Uint8Array([1, 2]),
    });
    expect(decodeClientMessage(encodeQueryAwareness())).toEqual({ kind: 'query-awareness' });
    expect(decodeClientMessage(encodePermissionDenied('nope'))).toEqual({
      kind: 'auth',
      permission: 0,
      reason: 'nope',
    });
  });

  it('returns views into the frame, not copies', () => {
    const frame = encodeSyncUpdate(update);
    const message = decodeClientMessage(frame);
    if (message.kind !== 'sync-update') throw new Error('wrong kind');
    expect(message.update.buffer).toBe(frame.buffer);
  });

  it('never reads past the frame into the rest of its buffer', () => {
    // A frame that claims 5 bytes of update but has 2, inside a larger buffer (as ws pools).
    const pool = new Uint8Array([0, 2, 5, 9, 9, 7, 7, 7, 7]);
    expect(malformedError(pool.subarray(0, 5)).message).toContain('truncated update');
  });

  it.each([
    ['empty', []],
    ['truncated varint', [0x80]],
    ['sync without step', [0]],
    ['unknown sync step', [0, 3, 0]],
    ['update without length', [0, 2]],
    ['truncated update', [0, 2, 4, 1]],
    ['unknown type', [4]],
    ['ack from a client', [100, 1, 0]],
    ['trailing bytes', [3, 0]],
    ['awareness trailing bytes', [1, 1, 0, 0]],
    ['auth reason not UTF-8', [2, 0, 1, 0xff]],
  ])('rejects %s with 4400', (_name, bytes) => {
    expect(malformedError(new Uint8Array(bytes)).code).toBe(CloseCode.MalformedMessage);
  });
});

describe('encoders', () => {
  it('encodes the Ack extension as [100][varUint8Array stateVector]', () => {
    const sv = new Uint8Array([1, 7, 3]);
    const expected = encoding.createEncoder();
    encoding.writeVarUint(expected, 100);
    encoding.writeVarUint8Array(expected, sv);
    expect(encodeAck(sv)).toEqual(encoding.toUint8Array(expected));
  });

  it('recognises the empty update clients send in sync step 2', () => {
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true);
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'x');
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(doc))).toBe(false);
  });
});
