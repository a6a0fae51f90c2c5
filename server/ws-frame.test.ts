import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { encodeBinaryFrame } from './ws-frame';

/** ws's frame parser (a named export of ws's ESM entry, absent from @types/ws). */
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => Writable;
};

/** Parse `wire` with ws's own client-side Receiver; resolves with the messages it emits. */
function parse(wire: Buffer): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const messages: Buffer[] = [];
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) reject(new Error('text frame'));
      messages.push(data);
    });
    receiver.on('error', reject);
    receiver.write(wire, () => resolve(messages));
  });
}

describe('encodeBinaryFrame', () => {
  for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 300_000]) {
    it(`frames a ${length}-byte payload as ws reads it`, async () => {
      const payload = new Uint8Array(length).map((_, i) => (i * 31) & 0xff);
      const messages = await parse(encodeBinaryFrame(payload));
      expect(messages).toHaveLength(1);
      expect(new Uint8Array(messages[0] as Buffer)).toEqual(payload);
    });
  }
});
