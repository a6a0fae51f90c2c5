import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from './envelope';

describe('cluster envelope', () => {
  it('round-trips broadcast and addressed frames', () => {
    const frame = Uint8Array.of(0, 2, 3, 255, 0);
    const broadcast = { from: 'a1', to: undefined, room: 'room-é', frame };
    expect(decodeEnvelope(encodeEnvelope(broadcast))).toEqual(broadcast);
    const direct = { from: 'a1', to: 'b2', room: 'r', frame: new Uint8Array(0) };
    expect(decodeEnvelope(encodeEnvelope(direct))).toEqual(direct);
  });

  it('rejects unknown versions and truncated headers without reading past the message', () => {
    const bytes = encodeEnvelope({ from: 'abc', to: 'def', room: 'room', frame: Uint8Array.of(1) });
    expect(() => decodeEnvelope(Uint8Array.of(9, ...bytes.subarray(1)))).toThrow(/version/);
    // A view over a bigger buffer, as received from Redis: the bytes after it must not be read.
    const pooled = new Uint8Array(64).fill(120);
    pooled.set(bytes.subarray(0, 6));
    expect(() => decodeEnvelope(pooled.subarray(0, 6))).toThrow();
    expect(() => decodeEnvelope(new Uint8Array(0))).toThrow();
  });
});
