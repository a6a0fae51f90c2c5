import type { Awareness } from 'y-protocols/awareness';
import { Store } from './store';

/**
 * Follow mode: whose cursor this page keeps in view, if anyone's. Started from "People here",
 * stopped by the chip's button, by scrolling or clicking in the editor (follow-scroll.ts), or
 * when the person leaves. Only starting and stopping notify: the leader's typing never
 * re-renders a component.
 */
export class Follow {
  /** The awareness client id of the person followed, or null. */
  readonly leader = new Store<number | null>(null);

  constructor(private readonly awareness: Awareness) {
    awareness.on('change', this.onChange);
  }

  /** Follow `clientId`: someone else who is here now. */
  start(clientId: number): void {
    if (clientId === this.awareness.clientID || !this.awareness.getStates().has(clientId)) return;
    this.leader.set(clientId);
  }

  stop(): void {
    this.leader.set(null);
  }

  /** Follow `clientId`, or stop when it is the person followed already (the list's buttons). */
  toggle(clientId: number): void {
    if (this.leader.get() === clientId) this.stop();
    else this.start(clientId);
  }

  dispose(): void {
    this.awareness.off('change', this.onChange);
    this.stop();
  }

  /** The person followed closed their tab or timed out. */
  private readonly onChange = ({ removed }: { removed: number[] }): void => {
    const leader = this.leader.get();
    if (leader !== null && removed.includes(leader)) this.stop();
  };
}
