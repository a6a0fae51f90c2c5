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

export type ShownAuthor = Authorship['authors'][number];

/** The room's authors by client id or by author id, as the API shows them. */
export function authorIndex(known: RoomAuthors) {
  const authorOfClient = new Map(known.bindings.map((b) => [b.clientId, b.authorId]));
  const profiles = new Map(known.authors.map((a) => [a.authorId, a]));
  const byId = (id: string): ShownAuthor => {
    const profile = profiles.get(id);
    return { id, name: profile?.name ?? null, color: profile?.color ?? null };
  };
  return {
    idOf: (client: number): string | null => authorOfClient.get(client) ?? null,
    byId,
    ofClient: (client: number | null): ShownAuthor | null => {
      const id = client === null ? undefined : authorOfClient.get(client);
      return id === undefined ? null : byId(id);
    },
  };
}

/** `read` on a Y.Doc holding `state`, destroyed afterwards. */
export function readState<T>(state: Uint8Array, read: (doc: Y.Doc) => T): T {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return read(doc);
  } finally {
    doc.destroy();
  }
}

export function authorshipOf(state: Uint8Array, known: RoomAuthors): Authorship {
  const authors = authorIndex(known);
  const spans: AuthorSpan[] = [];
  for (const run of readState(state, (doc) => clientRuns(doc.getText(DOC_TEXT)))) {
    const author = authors.idOf(run.client);
    const last = spans.at(-1);
    if (last && last.author === author) spans[spans.length - 1] = { ...last, to: run.to };
    else spans.push({ from: run.from, to: run.to, author });
  }
  const listed = [...new Set(spans.map((span) => span.author))].filter((id) => id !== null);
  return { authors: listed.map(authors.byId), spans };
}

/** Every author of the room and which client ids write as whom (GET …/authors). */
export function directoryOf(known: RoomAuthors): AuthorDirectory {
  return {
    authors: known.authors.map((a) => ({ id: a.authorId, name: a.name, color: a.color })),
    clients: Object.fromEntries(known.bindings.map((b) => [b.clientId, b.authorId])),
  };
}
