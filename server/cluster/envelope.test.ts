import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, type EnvelopeHeader, encodeEnvelope } from './envelope';

/** Encode, then decode from a plain Uint8Array as a subscriber would see the bytes. */
function roundTrip(header: EnvelopeHeader, frames: Uint8Array[]) {
  return decodeEnvelope(Uint8Array.from(encodeEnvelope(header, frames)));
}

describe('cluster envelope', () => {
  it('round-trips broadcast and addressed frames', () => {
    const frame = Uint8Array.of(0, 2, 3, 255, 0);
    const broadcast = { from: 'a1', to: undefined, room: 'room-é' };
    expect(roundTrip(broadcast, [frame])).toEqual({
      ...broadcast,
      frames: [frame],
    });
    const direct = { from: 'a1', to: 'b2', room: 'r' };
    expect(roundTrip(direct, [new Uint8Array(0)])).toEqual({
      ...direct,
      frames: [new Uint8Array(0)],
    });
  });

  it('carries several frames, in order, as views into the message', () => {
    const big = new Uint8Array(300).fill(7); // a length that takes two varuint bytes
    const frames = [Uint8Array.of(1, 2), new Uint8Array(0), big, Uint8Array.of(0, 2, 9)];
    const message = encodeEnvelope({ from: 'x', to: undefined, room: 'r' }, frames);
    const decoded = decodeEnvelope(message);
    expect(decoded.frames.map((f) => Uint8Array.from(f))).toEqual(frames);
    expect(decoded.frames[2]?.buffer).toBe(message.buffer);
  });

  it('writes one frame in the version-1 layout (lib0 header, frame to the end)', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    for (const s of ['from', 'to', 'ròom']) encoding.writeVarString(encoder, s);
    encoding.writeUint8Array(encoder, Uint8Array.of(0, 2, 1));
    const frames = [Uint8Array.of(0, 2, 1)];
    const ours = encodeEnvelope({ from: 'from', to: 'to', room: 'ròom' }, frames);
    expect(new Uint8Array(ours)).toEqual(encoding.toUint8Array(encoder));
  });

  it('rejects unknown versions and truncated messages without reading past the message', () => {
    const header = { from: 'abc', to: 'def', room: 'room' };
    const bytes = encodeEnvelope(header, [Uint8Array.of(1)]);
    expect(() => decodeEnvelope(Uint8Array.of(9, ...bytes.subarray(1)))).toThrow(/version/);
    // A view over a bigger buffer, as received from Redis: the bytes after it must not be read.
    const pooled = new Uint8Array(64).fill(120);
    pooled.set(bytes.subarray(0, 6));
    expect(() => decodeEnvelope(pooled.subarray(0, 6))).toThrow();
    expect(() => decodeEnvelope(new Uint8Array(0))).toThrow();
    const multi = encodeEnvelope(header, [Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5)]);
    expect(() => decodeEnvelope(multi.subarray(0, multi.length - 1))).toThrow(/truncated/);
    expect(() => encodeEnvelope(header, [])).toThrow();
  });
});
