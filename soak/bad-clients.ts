/**
 * The two misbehaving clients of the "bad clients" fault. The flooder is a real y-websocket
 * client that sends updates as fast as its socket drains and keeps reconnecting when the relay
 * pushes back. Each update overwrites one entry of a map of its own: the room's text stays
 * readable and the document stays small (overwritten entries collapse into one tombstone),
 * while every update still goes through the relay's apply, storage and fan-out. (Appending to
 * one text instead grows one item that every receiving y-websocket client re-encodes, from a
 * slice of the whole string, on each update: quadratic, it stalled the typists' process for
 * tens of seconds.) The slow consumer completes the handshake and then stops reading its
 * socket. The flood has a room of its own, where a listener on the other instance receives it:
 * the typists of the other rooms share the relays, which is where a flood must not hurt them.
 * The flooder and the listener stay in the room afterwards, for the final checks.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { nowMs } from '../bench/clock';
import { MessageType } from '../lib/protocol';

/** The flooder writes here, not into the editor's text. */
export const FLOOD_TYPE = 'soak-flood';
/** Stop writing while this much is still unsent on the socket. */
const MAX_UNSENT_BYTES = 256 * 1024;
const PAYLOAD = 'flood-'.repeat(10);

export class Flooder {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly closeCodes: number[] = [];
  updates = 0;
  bytes = 0;

  constructor(url: string, room: string) {
    this.provider = new WebsocketProvider(url, room, this.doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      // It is meant to be refused (4429) and come back: never give up.
      shouldReconnect: () => true,
    });
    this.provider.on('connection-close', (event) => {
      if (event) this.closeCodes.push(event.code);
    });
  }

  /** Send updates as fast as the socket accepts until `untilMs`. */
  async flood(untilMs: number): Promise<void> {
    const target = this.doc.getMap<string>(FLOOD_TYPE);
    while (nowMs() < untilMs) {
      const ws = this.provider.ws as unknown as WebSocket | null;
      if (this.provider.wsconnected && ws && ws.bufferedAmount < MAX_UNSENT_BYTES) {
        for (let i = 0; i < 50; i++) {
          target.set('latest', `${PAYLOAD}${this.updates++}`);
          this.bytes += PAYLOAD.length;
        }
        await yieldToLoop();
      } else {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }

  /** `Y.encodeStateVector` of everything it wrote. */
  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.doc);
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

/**
 * A client that only listens, on the other instance than the flooder's, so the flood also
 * crosses Redis and its edits must converge on both instances.
 */
export class Listener {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;

  constructor(url: string, room: string) {
    this.provider = new WebsocketProvider(url, room, this.doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

/**
 * Connect to `url/room`, send sync step 1 (so the relay does not time the handshake out), read
 * the first reply, then stop reading for `holdMs` and hang up. Returns the bytes read.
 */
export async function stallReading(url: string, room: string, holdMs: number): Promise<number> {
  const ws = new WebSocket(`${url}/${room}`);
  let bytesRead = 0;
  ws.on('message', (data: Buffer) => {
    bytesRead += data.length;
  });
  ws.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('slow consumer: no answer in 15 s')), 15_000);
      ws.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.once('open', () => {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Sync);
        syncProtocol.writeSyncStep1(encoder, new Y.Doc());
        ws.send(encoding.toUint8Array(encoder));
      });
      ws.once('close', () => reject(new Error('slow consumer: closed before the first message')));
    });
    ws.pause();
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    return bytesRead;
  } finally {
    ws.terminate();
  }
}
