/**
 * The "Show authors" editor extension: author-marks.ts keeps the marks, author-tints.ts colours
 * them, and hovering names the author. Knowing who wrote what a remote CodeMirror change inserts
 * takes one look at the Yjs transaction behind it: Yjs announces it (`beforeObserverCalls`)
 * before y-codemirror.next turns it into the change, so the writer is known when the change
 * arrives, with no walk over the text.
 */
import { type Extension, Prec } from '@codemirror/state';
import { EditorView, hoverTooltip, ViewPlugin, type ViewUpdate } from '@codemirror/view';
import { ySyncAnnotation } from 'y-codemirror.next';
import type * as Y from 'yjs';
import type { AuthorDirectory } from './author-directory';
import { AuthorMarks } from './author-marks';
import { AuthorTints } from './author-tints';

/** The one client a Yjs transaction wrote new structs for; null for several; -1 for none. */
function writerOf(transaction: Y.Transaction): number | null {
  let writer = -1;
  for (const [client, clock] of transaction.afterState) {
    if (clock <= (transaction.beforeState.get(client) ?? 0)) continue;
    if (writer !== -1) return null;
    writer = client;
  }
  return writer;
}

export function showAuthors(text: Y.Text, directory: AuthorDirectory): Extension {
  const doc = text.doc as Y.Doc;

  const plugin = ViewPlugin.fromClass(
    class {
      readonly marks = new AuthorMarks();
      private readonly tints: AuthorTints;
      private readonly tinted = new Set<number>();
      /** The writer of the Yjs transaction being turned into a change; undefined otherwise. */
      private remoteWriter: number | null | undefined = undefined;
      private readonly unsubscribe: () => void;

      constructor(view: EditorView) {
        this.marks.build(text);
        this.tints = new AuthorTints(view.dom.ownerDocument);
        this.tintNew();
        doc.on('beforeObserverCalls', this.onYjsTransaction);
        doc.on('afterTransaction', this.onYjsTransactionDone);
        this.unsubscribe = directory.version.subscribe(this.tintAll);
      }

      update(update: ViewUpdate): void {
        if (!update.docChanged) return;
        for (const tr of update.transactions) {
          if (!tr.docChanged) continue;
          const remote = tr.annotation(ySyncAnnotation) !== undefined;
          // Local: typed here, so written with this doc's client id.
          const writer = remote ? (this.remoteWriter ?? null) : doc.clientID;
          this.marks.apply(tr.changes, writer, text);
        }
        this.tintNew();
      }

      destroy(): void {
        doc.off('beforeObserverCalls', this.onYjsTransaction);
        doc.off('afterTransaction', this.onYjsTransactionDone);
        this.unsubscribe();
        this.tints.dispose();
      }

      private readonly onYjsTransaction = (transaction: Y.Transaction): void => {
        this.remoteWriter = writerOf(transaction);
      };

      private readonly onYjsTransactionDone = (): void => {
        this.remoteWriter = undefined;
      };

      private tintNew(): void {
        for (const client of this.marks.clients) {
          if (this.tinted.has(client)) continue;
          this.tinted.add(client);
          this.tints.set(client, directory.authorOf(client)?.color ?? null);
        }
      }

      private readonly tintAll = (): void => {
        for (const client of this.marks.clients) {
          this.tinted.add(client);
          this.tints.set(client, directory.authorOf(client)?.color ?? null);
        }
      };
    },
    { decorations: (v) => v.marks.decorations },
  );

  const nameOnHover = hoverTooltip((view, pos, side) => {
    const marks = view.plugin(plugin)?.marks;
    const client = marks?.clientAt(side < 0 ? pos - 1 : pos);
    if (client === null || client === undefined) return null;
    const author = directory.authorOf(client);
    return {
      pos,
      above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'cm-author-tooltip';
        // Text, never markup: the name is someone else's input.
        dom.textContent = author ? `Written by ${author.name}` : 'Author not known yet';
        return { dom };
      },
    };
  });

  const theme = EditorView.baseTheme({
    '.cm-author': { borderRadius: '2px' },
    '.cm-author-tooltip': { padding: '2px 6px', fontSize: '0.85em' },
  });

  // Below the selection and search highlights, so those stay visible over a tint.
  return [Prec.low(plugin), nameOnHover, theme];
}
