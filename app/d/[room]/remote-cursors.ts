import { type Range, RangeSet } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  EditorView,
  ViewPlugin,
  type ViewUpdate,
  WidgetType,
} from '@codemirror/view';
import { yRemoteSelectionsTheme } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DOC_TEXT } from '../../../lib/doc-schema';
import { textColorOn } from '../../../lib/names';
import { shownUser } from '../../../lib/presence';
import { backgroundClass } from './color-classes';

/**
 * Remote cursors and selections, with y-codemirror.next's DOM and class names
 * (`.cm-ySelection`, `.cm-ySelectionCaret`, `.cm-ySelectionInfo`). Ours because the upstream
 * caret widget compares colours only, so a renamed user kept their old label; this one also
 * redraws when the name changes. It also publishes our own selection in awareness, as upstream.
 *
 * Names and colours come from other people's awareness, so they are hostile input: each state's
 * `user` is checked again here (lib/presence.ts, as the relay does), names go in as text and
 * colours only as classes (color-classes.ts). Upstream writes the selection colour into a
 * `style` attribute, where `transparent; position: fixed; inset: 0; …` covers the whole page.
 */
class CaretWidget extends WidgetType {
  constructor(
    readonly color: string,
    readonly name: string,
  ) {
    super();
  }

  override toDOM(): HTMLElement {
    const caret = document.createElement('span');
    // The theme below makes the borders transparent: the background shows through them.
    caret.className = `cm-ySelectionCaret ${backgroundClass(this.color)}`;
    const dot = document.createElement('div');
    dot.className = 'cm-ySelectionCaretDot';
    const info = document.createElement('div');
    info.className = 'cm-ySelectionInfo';
    info.textContent = this.name;
    // A right-to-left name stays inside its label instead of reordering what is around it.
    info.dir = 'auto';
    info.style.color = textColorOn(this.color);
    // Word joiners keep the inline caret from collapsing or breaking the line.
    caret.append('\u2060', dot, '\u2060', info, '\u2060');
    return caret;
  }

  override eq(other: CaretWidget): boolean {
    return other.color === this.color && other.name === this.name;
  }

  override get estimatedHeight(): number {
    return -1;
  }

  override ignoreEvent(): boolean {
    return true;
  }
}

/** Carets are coloured by their background class; upstream's black borders would show. */
const caretTheme = EditorView.baseTheme({
  '.cm-ySelectionCaret': { borderColor: 'transparent' },
});

/** An awareness `cursor`: relative positions as JSON, as upstream publishes them. */
export type Cursor = { anchor: unknown; head: unknown } | null | undefined;

/**
 * The offset in `ytext` of a relative position that came from another client, or null when it
 * is not in this text (yet). Hostile too: Yjs throws on malformed positions (which would
 * disable the whole plugin) and a foreign `tname` would create a root type in our document.
 */
export function absolutePosition(ytext: Y.Text, json: unknown): number | null {
  if (typeof json !== 'object' || json === null) return null;
  const { tname } = json as { tname?: unknown };
  if (tname != null && tname !== DOC_TEXT) return null;
  try {
    const position = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(json),
      ytext.doc as Y.Doc,
    );
    return position && position.type === ytext ? position.index : null;
  } catch {
    return null;
  }
}

export function remoteCursors(ytext: Y.Text, awareness: Awareness) {
  const absolute = (json: unknown): number | null => absolutePosition(ytext, json);

  const publishOwnSelection = (update: ViewUpdate) => {
    const local = awareness.getLocalState();
    if (local == null) return;
    const focused = update.view.hasFocus && update.view.dom.ownerDocument.hasFocus();
    // Blurring keeps the last position: others still see where you were (as upstream does).
    if (!focused) return;
    const current = local.cursor as Cursor;
    const { anchor, head } = update.state.selection.main;
    const next = {
      anchor: Y.createRelativePositionFromTypeIndex(ytext, anchor),
      head: Y.createRelativePositionFromTypeIndex(ytext, head),
    };
    const same =
      current != null &&
      Y.compareRelativePositions(Y.createRelativePositionFromJSON(current.anchor), next.anchor) &&
      Y.compareRelativePositions(Y.createRelativePositionFromJSON(current.head), next.head);
    if (!same) awareness.setLocalStateField('cursor', next);
  };

  const build = (view: EditorView): DecorationSet => {
    const ranges: Range<Decoration>[] = [];
    const length = view.state.doc.length;
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue;
      const cursor = state.cursor as Cursor;
      const anchor = absolute(cursor?.anchor);
      const head = absolute(cursor?.head);
      if (anchor === null || head === null || anchor > length || head > length) continue;
      const user = shownUser(state.user);
      if (anchor !== head) {
        ranges.push(
          Decoration.mark({
            class: `cm-ySelection ${backgroundClass(user.colorLight)}`,
          }).range(Math.min(anchor, head), Math.max(anchor, head)),
        );
      }
      ranges.push(
        Decoration.widget({
          // Render outside the remote selection, so it does not cover our own caret.
          side: head - anchor > 0 ? -1 : 1,
          widget: new CaretWidget(user.color, user.name || 'Anonymous'),
        }).range(head),
      );
    }
    return Decoration.set(ranges, true);
  };

  const plugin = ViewPlugin.fromClass(
    class {
      decorations: DecorationSet = RangeSet.empty;
      private readonly onChange: (change: {
        added: number[];
        updated: number[];
        removed: number[];
      }) => void;

      constructor(readonly view: EditorView) {
        this.decorations = build(view);
        this.onChange = ({ added, updated, removed }) => {
          const others = [...added, ...updated, ...removed].some((id) => id !== awareness.clientID);
          // An empty dispatch runs update() below, which rebuilds the decorations.
          if (others) view.dispatch({});
        };
        awareness.on('change', this.onChange);
      }

      update(update: ViewUpdate) {
        publishOwnSelection(update);
        this.decorations = build(update.view);
      }

      destroy() {
        awareness.off('change', this.onChange);
      }
    },
    { decorations: (v) => v.decorations },
  );

  return [yRemoteSelectionsTheme, caretTheme, plugin];
}
