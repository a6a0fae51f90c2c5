/**
 * One simulated person in a room: a real y-websocket `WebsocketProvider` (over `ws`) typing one
 * character per keystroke (see typing-model.ts), online or not, like a tab whose network comes
 * and goes. With `ack`, it opts into the relay's acknowledgements and keeps the highest one.
 */
import { createHash } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { nowMs } from '../bench/clock';
import { DOC_TEXT } from '../lib/doc-schema';
import { ACK_QUERY_PARAM, MessageType } from '../lib/protocol';
import type { LatencyBook } from './latency-book';
import { mergeMax } from './state-vectors';
import { chooseKeystroke, seededRng, TypingRhythm } from './typing-model';
import type { MemberDigest, TypistReport, TypistSpec } from './worker-protocol';

/** A client document in a room, as the worker reports it for convergence checks. */
export function digestOf(label: string, doc: Y.Doc, synced: boolean): MemberDigest {
  const text = doc.getText(DOC_TEXT).toString();
  return {
    label,
    stateVector: Y.encodeStateVector(doc),
    textHash: createHash('sha1').update(text).digest('hex'),
    textLength: text.length,
    synced,
  };
}

export class Typist {
  readonly doc = new Y.Doc();
  readonly text: Y.Text = this.doc.getText(DOC_TEXT);
  readonly provider: WebsocketProvider;
  #acked = new Map<number, number>();
  #acks = 0;
  readonly #clientIds = new Set<number>();
  #cursor: Y.RelativePosition | null = null;
  #timer: NodeJS.Timeout | undefined;
  #gaveUp: string | null = null;
  edits = 0;
  /** Transactions after which updates were waiting for missing dependencies. */
  pendingSeen = 0;
  pendingMaxBytes = 0;

  constructor(
    readonly spec: TypistSpec,
    private readonly latency: LatencyBook,
  ) {
    this.provider = new WebsocketProvider(spec.url, spec.room, this.doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: spec.ack ? { [ACK_QUERY_PARAM]: '1' } : {},
    });
    if (spec.ack) {
      this.provider.messageHandlers[MessageType.Ack] = (_encoder, decoder) => {
        const acked = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
        this.#acked = mergeMax(this.#acked, acked);
        this.#acks++;
      };
    }
    this.provider.on('closed', (event) => {
      this.#gaveUp = `${event.code} ${event.reason}`;
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this.provider) this.latency.received(update, nowMs(), this.spec.room);
    });
    this.doc.on('afterTransaction', () => {
      const pending = this.doc.store.pendingStructs;
      if (pending) {
        this.pendingSeen++;
        this.pendingMaxBytes = Math.max(this.pendingMaxBytes, pending.update.length);
      }
    });
  }

  get label(): string {
    return `typist ${this.spec.index}`;
  }

  startTyping(): void {
    const rng = seededRng(this.spec.seed);
    const rhythm = new TypingRhythm(rng);
    const tick = (burstStart: boolean) => {
      this.#keystroke(rng, burstStart);
      const next = rhythm.next();
      this.#timer = setTimeout(() => tick(next.burstStart), next.delayMs);
    };
    const first = rhythm.next();
    this.#timer = setTimeout(() => tick(true), first.delayMs * rng());
  }

  stopTyping(): void {
    clearTimeout(this.#timer);
  }

  digest(): MemberDigest {
    return digestOf(this.label, this.doc, this.provider.synced);
  }

  report(): TypistReport {
    let inserted = 0;
    let acknowledged = 0;
    for (const client of this.#clientIds) {
      const clock = Y.getState(this.doc.store, client);
      inserted += clock;
      acknowledged += Math.min(clock, this.#acked.get(client) ?? 0);
    }
    const ackedStateVector = Y.encodeStateVector(new Map(this.#acked));
    return {
      index: this.spec.index,
      room: this.spec.room,
      ack: this.spec.ack,
      clientIds: [...this.#clientIds],
      edits: this.edits,
      inserted,
      acknowledged,
      acks: this.#acks,
      ackedStateVector,
      ackCoversDocument: [...Y.decodeStateVector(Y.encodeStateVector(this.doc))].every(
        ([client, clock]) => clock <= (this.#acked.get(client) ?? 0),
      ),
      gaveUp: this.#gaveUp,
      pendingSeen: this.pendingSeen,
      pendingMaxBytes: this.pendingMaxBytes,
    };
  }

  destroy(): void {
    this.stopTyping();
    this.provider.destroy();
    this.doc.destroy();
  }

  #keystroke(rng: () => number, burstStart: boolean): void {
    const length = this.text.length;
    const cursor = this.#cursor
      ? (Y.createAbsolutePositionFromRelativePosition(this.#cursor, this.doc)?.index ?? length)
      : length;
    const key = chooseKeystroke(rng, length, Math.min(cursor, length), burstStart);
    const client = this.doc.clientID;
    this.#clientIds.add(client);
    if (key.kind === 'insert') {
      this.latency.typed(client, Y.getState(this.doc.store, client), nowMs());
      this.text.insert(key.at, key.text);
      this.#cursor = Y.createRelativePositionFromTypeIndex(this.text, key.at + key.text.length);
    } else {
      this.text.delete(key.at, key.length);
      this.#cursor = Y.createRelativePositionFromTypeIndex(this.text, key.at);
    }
    this.edits++;
  }
}
