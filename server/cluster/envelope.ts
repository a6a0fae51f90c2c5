/**
 * The bytes frames travel in between instances over Redis. Pure; no I/O.
 *
 * Header (lib0 varuints/varstrings): `[varUint version][varString from][varString to ('' =
 * broadcast)][varString room]`, then
 * - version 1: one frame, the rest of the message (not length-prefixed);
 * - version 2: several frames, each `[varUint length][bytes]`, to the end.
 * One frame is always sent as version 1, so an instance that only knows version 1 still reads
 * every uncoalesced message during a rolling upgrade (anti-entropy repairs the rest).
 *
 * Encoding makes one allocation (the message) and one copy of each frame; decoding returns
 * views into the message, never copies.
 */

const SINGLE = 1;
const MULTI = 2;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export interface EnvelopeHeader {
  readonly from: string;
  /** Target instance id, or undefined for a broadcast to the room. */
  readonly to: string | undefined;
  readonly room: string;
}

export interface Envelope extends EnvelopeHeader {
  /** In publish order; views into the decoded message. */
  readonly frames: readonly Uint8Array[];
}

function varUintSize(n: number): number {
  let size = 1;
  while (n > 0x7f) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function writeVarUint(out: Buffer, pos: number, n: number): number {
  while (n > 0x7f) {
    out[pos++] = 0x80 | (n & 0x7f);
    n = Math.floor(n / 128);
  }
  out[pos++] = n;
  return pos;
}

function writeString(out: Buffer, pos: number, s: string, bytes: number): number {
  pos = writeVarUint(out, pos, bytes);
  return pos + out.write(s, pos, bytes, 'utf8');
}

/** The message carrying `frames` (at least one) of one room from `header.from`. */
export function encodeEnvelope(header: EnvelopeHeader, frames: readonly Uint8Array[]): Buffer {
  if (frames.length === 0) throw new Error('an envelope carries at least one frame');
  const to = header.to ?? '';
  const fromBytes = Buffer.byteLength(header.from, 'utf8');
  const toBytes = Buffer.byteLength(to, 'utf8');
  const roomBytes = Buffer.byteLength(header.room, 'utf8');
  const single = frames.length === 1;
  let size =
    1 +
    varUintSize(fromBytes) +
    fromBytes +
    varUintSize(toBytes) +
    toBytes +
    varUintSize(roomBytes) +
    roomBytes;
  for (const frame of frames) size += (single ? 0 : varUintSize(frame.length)) + frame.length;
  const out = Buffer.allocUnsafe(size);
  out[0] = single ? SINGLE : MULTI;
  let pos = writeString(out, 1, header.from, fromBytes);
  pos = writeString(out, pos, to, toBytes);
  pos = writeString(out, pos, header.room, roomBytes);
  for (const frame of frames) {
    if (!single) pos = writeVarUint(out, pos, frame.length);
    out.set(frame, pos);
    pos += frame.length;
  }
  return out;
}

/** Reads one message; every read is bounds-checked against the message, not its buffer. */
class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  varUint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.bytes.length) throw new Error('truncated envelope');
      const byte = this.bytes[this.pos++] as number;
      n += (byte & 0x7f) * scale;
      if (byte < 0x80) return n;
      scale *= 128;
      if (scale > 2 ** 49) throw new Error('bad varuint in envelope');
    }
  }

  view(length: number): Uint8Array {
    const start = this.pos;
    if (length > this.bytes.length - start) throw new Error('truncated envelope');
    this.pos = start + length;
    return this.bytes.subarray(start, start + length);
  }

  string(): string {
    return UTF8.decode(this.view(this.varUint()));
  }
}

/** Decode a message; frames are views into `bytes`. Throws on anything malformed. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const reader = new Reader(bytes);
  const version = reader.varUint();
  if (version !== SINGLE && version !== MULTI) {
    throw new Error(`unknown envelope version ${version}`);
  }
  const from = reader.string();
  const to = reader.string();
  const room = reader.string();
  const frames: Uint8Array[] = [];
  if (version === SINGLE) {
    frames.push(bytes.subarray(reader.pos));
  } else {
    while (reader.pos < bytes.length) frames.push(reader.view(reader.varUint()));
    if (frames.length === 0) throw new Error('envelope without frames');
  }
  return { from, to: to === '' ? undefined : to, room, frames };
}
