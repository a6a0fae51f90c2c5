/**
 * WebSocket framing (RFC 6455 §5.2) of a server-to-client binary message: FIN, opcode 2, no
 * mask. A broadcast frames its update once and hands the same bytes to every recipient's TCP
 * socket, instead of ws framing (and allocating a header for) each copy.
 */

/** `payload` as one complete unmasked binary WebSocket frame. */
export function encodeBinaryFrame(payload: Uint8Array): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const wire = Buffer.allocUnsafe(headerLength + length);
  wire[0] = 0x82;
  if (length < 126) {
    wire[1] = length;
  } else if (length < 65_536) {
    wire[1] = 126;
    wire.writeUInt16BE(length, 2);
  } else {
    wire[1] = 127;
    wire.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    wire.writeUInt32BE(length >>> 0, 6);
  }
  wire.set(payload, headerLength);
  return wire;
}
