import { EditorView, type PluginValue, ViewPlugin, type ViewUpdate } from '@codemirror/view';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Follow } from './follow';
import { absolutePosition, type Cursor } from './remote-cursors';

/** What a person does in the editor to take over from follow mode: scroll it or click in it. */
const TAKE_OVER_EVENTS = ['wheel', 'touchstart', 'mousedown'] as const;

/** Room kept between the leader's cursor and the editor's edge while following. */
const MARGIN_PX = 48;

/**
 * Follow mode in the editor: keeps the leader's cursor in view, without moving ours, until we
 * scroll (wheel, touch, the scrollbar), click, or press a key in the editor. Scrolls when the
 * leader's cursor moves and when the text changes (the relay may deliver a cursor before the
 * text it points into), at most once per task, and only when the position really changed.
 */
class FollowScroll implements PluginValue {
  private scheduled = false;
  /** The leader's offset we last scrolled to; null forces the next scroll. */
  private lastHead: number | null = null;
  /** The first scroll after starting centres the cursor; later ones move the least. */
  private center = true;
  private destroyed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly view: EditorView,
    private readonly follow: Follow,
    private readonly ytext: Y.Text,
    private readonly awareness: Awareness,
  ) {
    this.unsubscribe = follow.leader.subscribe(this.onLeader);
    awareness.on('change', this.onAwareness);
    for (const type of TAKE_OVER_EVENTS) {
      view.scrollDOM.addEventListener(type, this.takeOver, { passive: true });
    }
    view.dom.addEventListener('keydown', this.takeOver);
  }

  update(update: ViewUpdate): void {
    if (update.docChanged) {
      this.lastHead = null;
      this.schedule();
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.unsubscribe();
    this.awareness.off('change', this.onAwareness);
    for (const type of TAKE_OVER_EVENTS) {
      this.view.scrollDOM.removeEventListener(type, this.takeOver);
    }
    this.view.dom.removeEventListener('keydown', this.takeOver);
  }

  private readonly onLeader = (): void => {
    this.lastHead = null;
    this.center = true;
    this.schedule();
  };

  private readonly onAwareness = ({ added, updated }: { added: number[]; updated: number[] }) => {
    const leader = this.follow.leader.get();
    if (leader !== null && (updated.includes(leader) || added.includes(leader))) this.schedule();
  };

  private readonly takeOver = (): void => {
    if (this.follow.leader.get() !== null) this.follow.stop();
  };

  /** Scroll after the current update or event (a plugin may not dispatch during an update). */
  private schedule(): void {
    if (this.scheduled || this.follow.leader.get() === null) return;
    this.scheduled = true;
    queueMicrotask(this.scroll);
  }

  private readonly scroll = (): void => {
    this.scheduled = false;
    const leader = this.follow.leader.get();
    if (this.destroyed || leader === null) return;
    const cursor = this.awareness.getStates().get(leader)?.cursor as Cursor;
    const head = absolutePosition(this.ytext, cursor?.head);
    if (head === null || head > this.view.state.doc.length || head === this.lastHead) return;
    this.lastHead = head;
    const options = this.center
      ? { y: 'center' as const }
      : { y: 'nearest' as const, yMargin: MARGIN_PX };
    this.center = false;
    this.view.dispatch({ effects: EditorView.scrollIntoView(head, options) });
  };
}

/** The editor extension of follow mode (the rest is in follow.ts, the chip and the list). */
export function followScroll(follow: Follow, ytext: Y.Text, awareness: Awareness) {
  return ViewPlugin.define((view) => new FollowScroll(view, follow, ytext, awareness));
}
