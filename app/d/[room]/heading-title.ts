import type * as Y from 'yjs';
import { deriveTitle } from '../../../lib/doc-title';
import type { DocMeta } from './session';
import { Store } from './store';

/** Edits arriving closer together than this share one title derivation. */
const DERIVE_DELAY_MS = 150;

/**
 * The title a markdown document's first heading gives it ('' for other languages or without a
 * heading), kept up to date as anyone edits. Typing bursts are coalesced: reading the whole text
 * on every keystroke of a large document would cost more than the title is worth.
 */
export class HeadingTitle {
  readonly store = new Store<string>('');
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly stopWatching: () => void;

  constructor(
    private readonly text: Y.Text,
    private readonly meta: Store<DocMeta>,
  ) {
    const onTextChange = () => this.schedule();
    text.observe(onTextChange);
    const unsubscribe = meta.subscribe(() => this.update());
    this.stopWatching = () => {
      text.unobserve(onTextChange);
      unsubscribe();
    };
    this.update();
  }

  dispose(): void {
    this.stopWatching();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.update();
    }, DERIVE_DELAY_MS);
  }

  private update(): void {
    const isMarkdown = this.meta.get().language === 'markdown';
    this.store.set(isMarkdown ? deriveTitle(this.text.toString()) : '');
  }
}
