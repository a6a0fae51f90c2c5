/**
 * Who wrote each part of a document's current text: the Y.Text's live items in order, each
 * attributed through its client id's binding, adjacent runs of one author merged. Offsets are
 * UTF-16 code units, as Y.Text and CodeMirror count them.
 */
import * as Y from 'yjs';
import { clientRuns } from '../../lib/client-runs';
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

export interface AuthorDirectory {
  readonly authors: Authorship['authors'];
  /** Client id (decimal) → author id. */
  readonly clients: Record<string, string>;
}

export function authorshipOf(state: Uint8Array, known: RoomAuthors): Authorship {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const authorOfClient = new Map(known.bindings.map((b) => [b.clientId, b.authorId]));
    const spans: AuthorSpan[] = [];
    for (const run of clientRuns(doc.getText(DOC_TEXT))) {
      const author = authorOfClient.get(run.client) ?? null;
      const last = spans.at(-1);
      if (last && last.author === author) spans[spans.length - 1] = { ...last, to: run.to };
      else spans.push({ from: run.from, to: run.to, author });
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

/** Every author of the room and which client ids write as whom (GET …/authors). */
export function directoryOf(known: RoomAuthors): AuthorDirectory {
  return {
    authors: known.authors.map((a) => ({ id: a.authorId, name: a.name, color: a.color })),
    clients: Object.fromEntries(known.bindings.map((b) => [b.clientId, b.authorId])),
  };
}
