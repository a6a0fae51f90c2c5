/**
 * GET /rooms/<room>/comments: the document's comment threads (lib/comments.ts) with every
 * message's author, and who resolved a thread, as the relay vouches for their client ids.
 */
import * as Y from 'yjs';
import { readThreads } from '../../lib/comments';
import { DOC_TEXT } from '../../lib/doc-schema';
import type { RoomAuthors } from '../storage/authors';

interface ShownAuthor {
  readonly id: string;
  readonly name: string | null;
  readonly color: string | null;
}

export function commentsOf(state: Uint8Array, known: RoomAuthors) {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const authorOfClient = new Map(known.bindings.map((b) => [b.clientId, b.authorId]));
    const profiles = new Map(known.authors.map((a) => [a.authorId, a]));
    const author = (client: number | null): ShownAuthor | null => {
      const id = client === null ? undefined : authorOfClient.get(client);
      if (id === undefined) return null;
      const profile = profiles.get(id);
      return { id, name: profile?.name ?? null, color: profile?.color ?? null };
    };
    return {
      threads: readThreads(doc.getText(DOC_TEXT)).map((thread) => ({
        id: thread.id,
        from: thread.from,
        to: thread.to,
        quote: thread.quote,
        onDeletedText: thread.onDeletedText,
        resolved: thread.resolved,
        resolvedBy: author(thread.resolvedBy),
        messages: thread.messages.map((message) => ({
          id: message.id,
          author: author(message.client),
          text: message.text,
          at: message.at,
          edited: message.edited,
          deleted: message.deleted,
        })),
      })),
    };
  } finally {
    doc.destroy();
  }
}
