/**
 * The bytes a frame travels in between instances over Redis. Pure; no I/O.
 *
 * Layout (lib0): `[varUint version = 1][varString from][varString to ('' = broadcast)]
 * [varString room][frame bytes to the end]`. The frame is not length-prefixed: it is the rest
 * of the message, so it costs no copy on decode.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

const VERSION = 1;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export interface Envelope {
  readonly from: string;
  /** Target instance id, or undefined for a broadcast to the room. */
  readonly to: string | undefined;
  readonly room: string;
  readonly frame: Uint8Array;
}

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, VERSION);
  encoding.writeVarString(encoder, envelope.from);
  encoding.writeVarString(encoder, envelope.to ?? '');
  encoding.writeVarString(encoder, envelope.room);
  encoding.writeUint8Array(encoder, envelope.frame);
  return encoding.toUint8Array(encoder);
}

/** Decode an envelope; the frame is a view into `bytes`. Throws on anything malformed. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const decoder = decoding.createDecoder(bytes);
  const version = decoding.readVarUint(decoder);
  if (version !== VERSION) throw new Error(`unknown envelope version ${version}`);
  const from = readString(decoder);
  const to = readString(decoder);
  const room = readString(decoder);
  return { from, to: to === '' ? undefined : to, room, frame: bytes.subarray(decoder.pos) };
}

/**
 * Bounds-checked: lib0 would read past the end of a short message into the rest of the pooled
 * buffer it was received in.
 */
function readString(decoder: decoding.Decoder): string {
  const length = decoding.readVarUint(decoder);
  const start = decoder.pos;
  if (length > decoder.arr.length - start) throw new Error('truncated envelope');
  decoder.pos = start + length;
  return UTF8.decode(decoder.arr.subarray(start, start + length));
}
