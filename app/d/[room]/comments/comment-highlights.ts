/**
 * The editor's highlight of commented text: open threads' anchors get `cm-comment`, the thread
 * the user is looking at `cm-comment-active`. Rebuilt from the comment feed (which resolves the
 * anchors in Yjs) and mapped through edits in between, so a highlight never lags its text.
 */
import { type Range, RangeSet } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  EditorView,
  ViewPlugin,
  type ViewUpdate,
} from '@codemirror/view';
import type { CommentFeed } from './comment-feed';

const mark = Decoration.mark({ class: 'cm-comment' });
const activeMark = Decoration.mark({ class: 'cm-comment cm-comment-active' });

export function commentHighlights(feed: CommentFeed) {
  const plugin = ViewPlugin.fromClass(
    class {
      decorations: DecorationSet = RangeSet.empty;
      private destroyed = false;
      private readonly unsubscribe: (() => void)[];

      constructor(readonly view: EditorView) {
        this.build();
        const rebuild = () => {
          this.build();
          // An empty dispatch makes the view take them; queued, since a store may change while
          // the view is in the middle of an update.
          queueMicrotask(() => {
            if (!this.destroyed) view.dispatch({});
          });
        };
        this.unsubscribe = [feed.threads.subscribe(rebuild), feed.active.subscribe(rebuild)];
      }

      update(update: ViewUpdate): void {
        if (update.docChanged) this.decorations = this.decorations.map(update.changes);
      }

      destroy(): void {
        this.destroyed = true;
        for (const unsubscribe of this.unsubscribe) unsubscribe();
      }

      private build(): void {
        const length = this.view.state.doc.length;
        const active = feed.active.get();
        const ranges: Range<Decoration>[] = [];
        for (const thread of feed.threads.get()) {
          if (thread.resolved || thread.onDeletedText || thread.to > length) continue;
          ranges.push((thread.id === active ? activeMark : mark).range(thread.from, thread.to));
        }
        this.decorations = Decoration.set(ranges, true);
      }
    },
    { decorations: (v) => v.decorations },
  );
  const theme = EditorView.baseTheme({
    '.cm-comment': {
      backgroundColor: 'rgba(255, 196, 0, 0.22)',
      borderBottom: '2px solid rgba(230, 160, 0, 0.8)',
    },
    '.cm-comment-active': { backgroundColor: 'rgba(255, 196, 0, 0.45)' },
  });
  return [plugin, theme];
}
