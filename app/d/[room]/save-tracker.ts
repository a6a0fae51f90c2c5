import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MessageType } from '../../../lib/protocol';
import { Store } from './store';

/**
 * What the save indicator says. `unknown`: no acknowledgement yet and no local change (e.g. a
 * relay without the ack extension); `saving`: a change not yet covered by an acknowledgement.
 */
export type SaveState = 'unknown' | 'saving' | 'saved' | 'offline';

/** True when the relay has durably stored everything in `local` (every clock <= the acked one). */
export function isCovered(local: Map<number, number>, acked: Map<number, number>): boolean {
  for (const [client, clock] of local) {
    if (clock > (acked.get(client) ?? 0)) return false;
  }
  return true;
}

/**
 * Drives the save indicator from the relay's Ack extension (message type 100, carrying the state
 * vector of what the relay stored). A change we made, or one loaded from this device's storage,
 * shows "saving" until an ack covers the whole document. Updates that came from the relay are
 * stored before the relay broadcasts them, so they do not flip the indicator.
 */
export class SaveTracker {
  readonly state = new Store<SaveState>('unknown');
  private acked: Map<number, number> | null = null;
  private dirty = false;
  private offline = false;

  constructor(
    private readonly doc: Y.Doc,
    private readonly provider: WebsocketProvider,
  ) {
    provider.messageHandlers[MessageType.Ack] = (_encoder, decoder) => {
      this.onAck(decoding.readVarUint8Array(decoder));
    };
    doc.on('update', this.onUpdate);
  }

  setOffline(offline: boolean): void {
    this.offline = offline;
    this.publish();
  }

  dispose(): void {
    this.doc.off('update', this.onUpdate);
    delete this.provider.messageHandlers[MessageType.Ack];
  }

  private onAck(stateVector: Uint8Array): void {
    const acked = Y.decodeStateVector(stateVector);
    this.acked = acked;
    this.dirty = !isCovered(Y.decodeStateVector(Y.encodeStateVector(this.doc)), acked);
    this.publish();
  }

  private readonly onUpdate = (_update: Uint8Array, origin: unknown): void => {
    // Cheap on every keystroke: once dirty, only an ack can change the state.
    if (this.dirty || origin === this.provider) return;
    this.dirty = true;
    this.publish();
  };

  private publish(): void {
    if (this.offline) this.state.set('offline');
    else if (this.dirty) this.state.set('saving');
    else this.state.set(this.acked ? 'saved' : 'unknown');
  }
}
