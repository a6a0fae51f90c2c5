/**
 * Who wrote each part of a document's current text: the Y.Text's live items in order, each
 * attributed through its client id's binding, adjacent runs of one author merged. Offsets are
 * UTF-16 code units, as Y.Text and CodeMirror count them.
 */
import * as Y from 'yjs';
import { DOC_TEXT } from '../../lib/doc-schema';
import type { RoomAuthors } from '../storage/authors';

export interface AuthorSpan {
  readonly from: number;
  readonly to: number;
  /** null: text written before the relay bound client ids (or by an unbound writer). */
  readonly author: string | null;
}

export interface Authorship {
  /** The authors of the spans, in order of their first span. */
  readonly authors: { id: string; name: string | null; color: string | null }[];
  readonly spans: AuthorSpan[];
}

export function authorshipOf(state: Uint8Array, known: RoomAuthors): Authorship {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const authorOfClient = new Map(known.bindings.map((b) => [b.clientId, b.authorId]));
    const spans: AuthorSpan[] = [];
    let offset = 0;
    for (let item = doc.getText(DOC_TEXT)._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue;
      const author = authorOfClient.get(item.id.client) ?? null;
      const last = spans.at(-1);
      if (last && last.author === author)
        spans[spans.length - 1] = { ...last, to: offset + item.length };
      else spans.push({ from: offset, to: offset + item.length, author });
      offset += item.length;
    }
    const profiles = new Map(known.authors.map((a) => [a.authorId, a]));
    const authors: Authorship['authors'] = [];
    const listed = new Set<string>();
    for (const { author } of spans) {
      if (author === null || listed.has(author)) continue;
      listed.add(author);
      const profile = profiles.get(author);
      authors.push({ id: author, name: profile?.name ?? null, color: profile?.color ?? null });
    }
    return { authors, spans };
  } finally {
    doc.destroy();
  }
}
