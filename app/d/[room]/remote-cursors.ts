import { type Range, RangeSet } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  type EditorView,
  ViewPlugin,
  type ViewUpdate,
  WidgetType,
} from '@codemirror/view';
import { yRemoteSelectionsTheme } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { textColorOn } from '../../../lib/names';

/**
 * Remote cursors and selections, with y-codemirror.next's DOM and class names
 * (`.cm-ySelection`, `.cm-ySelectionCaret`, `.cm-ySelectionInfo`). Ours because the upstream
 * caret widget compares colours only, so a renamed user kept their old label; this one also
 * redraws when the name changes. It also publishes our own selection in awareness, as upstream.
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
    caret.className = 'cm-ySelectionCaret';
    caret.style.backgroundColor = this.color;
    caret.style.borderColor = this.color;
    const dot = document.createElement('div');
    dot.className = 'cm-ySelectionCaretDot';
    const info = document.createElement('div');
    info.className = 'cm-ySelectionInfo';
    info.textContent = this.name;
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

interface RemoteUser {
  name?: unknown;
  color?: unknown;
  colorLight?: unknown;
}

type Cursor = { anchor: unknown; head: unknown } | null | undefined;

export function remoteCursors(ytext: Y.Text, awareness: Awareness) {
  const ydoc = ytext.doc as Y.Doc;

  const absolute = (json: unknown): number | null => {
    if (json == null) return null;
    const position = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(json),
      ydoc,
    );
    return position && position.type === ytext ? position.index : null;
  };

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
      const user = (state.user ?? {}) as RemoteUser;
      const color = typeof user.color === 'string' ? user.color : '#30bced';
      const name = typeof user.name === 'string' ? user.name : 'Anonymous';
      const colorLight = typeof user.colorLight === 'string' ? user.colorLight : `${color}33`;
      if (anchor !== head) {
        ranges.push(
          Decoration.mark({
            class: 'cm-ySelection',
            attributes: { style: `background-color: ${colorLight}` },
          }).range(Math.min(anchor, head), Math.max(anchor, head)),
        );
      }
      ranges.push(
        Decoration.widget({
          // Render outside the remote selection, so it does not cover our own caret.
          side: head - anchor > 0 ? -1 : 1,
          widget: new CaretWidget(color, name),
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

  return [yRemoteSelectionsTheme, plugin];
}
