/**
 * "Show authors": which Yjs client wrote each part of the editor's text, as CodeMirror marks
 * (`cm-author cm-author-c<client id>`; author-tints.ts colours each class). Kept apart from the
 * view so it can be measured and tested without a browser.
 *
 * Built once from the Y.Text's items (lib/client-runs.ts: one walk, no text copy), then kept up
 * to date per transaction: the marks are mapped through the change, and each inserted range is
 * painted for its writer (this client for local edits; for a remote one, the single client the
 * Yjs transaction advanced). The marks always partition the text: painting splits the marks it
 * lands in and merges with same-client neighbours, so typing never piles up nested marks. A
 * transaction written by several clients at once (the first sync, a merged backlog) is rare and
 * cheap to handle by building again.
 */
import type { ChangeSet, Range } from '@codemirror/state';
import { Decoration, type DecorationSet } from '@codemirror/view';
import type * as Y from 'yjs';
import { clientRuns } from '../../../../lib/client-runs';

/** The CSS class of text written with `client`. */
export const authorClass = (client: number): string => `cm-author-c${client}`;

export class AuthorMarks {
  decorations: DecorationSet = Decoration.none;
  private readonly marks = new Map<number, Decoration>();

  /** Every client that has a mark (for the tints). */
  get clients(): IterableIterator<number> {
    return this.marks.keys();
  }

  /** Marks for the whole text, from its items. */
  build(text: Y.Text): void {
    this.decorations = Decoration.set(
      clientRuns(text).map((run) => this.markOf(run.client).range(run.from, run.to)),
    );
  }

  /**
   * Follow one transaction's `changes`: `writer` is the client that wrote what it inserts, or
   * null when several did (then rebuild from `text`, whose state already includes them).
   */
  apply(changes: ChangeSet, writer: number | null, text: Y.Text): void {
    if (writer === null) {
      this.build(text);
      return;
    }
    this.decorations = this.decorations.map(changes);
    changes.iterChangedRanges((_fromA, _toA, fromB, toB) => {
      if (toB > fromB) this.paint(fromB, toB, writer);
    });
  }

  /** The client whose mark covers `pos` (the character after it), or null. */
  clientAt(pos: number): number | null {
    let found: number | null = null;
    this.decorations.between(pos, pos + 1, (from, to, value) => {
      if (from <= pos && pos < to) {
        found = (value.spec as { client: number }).client;
        return false;
      }
      return undefined;
    });
    return found;
  }

  /** Make [from, to) the writer's: split what it covers, join the writer's neighbours. */
  private paint(from: number, to: number, writer: number): void {
    const kept: Range<Decoration>[] = [];
    let start = from;
    let end = to;
    let touched = false;
    this.decorations.between(from, to, (f, t, value) => {
      touched = true;
      const client = (value.spec as { client: number }).client;
      if (client === writer) {
        start = Math.min(start, f);
        end = Math.max(end, t);
        return;
      }
      if (f < from) kept.push(value.range(f, Math.min(t, from)));
      if (t > to) kept.push(value.range(Math.max(f, to), t));
    });
    const painted = this.markOf(writer).range(start, end);
    this.decorations = this.decorations.update({
      add: [...kept, painted],
      sort: true,
      // Exactly the marks `between` reported (both take those touching the region): each was
      // re-added above in its part outside it, or joined into the painted one.
      ...(touched ? { filterFrom: from, filterTo: to, filter: () => false } : {}),
    });
  }

  private markOf(client: number): Decoration {
    let mark = this.marks.get(client);
    if (!mark) {
      mark = Decoration.mark({ class: `cm-author ${authorClass(client)}`, client });
      this.marks.set(client, mark);
    }
    return mark;
  }
}
