/**
 * GET /rooms/<room>/comments: the document's comment threads (lib/comments.ts) with every
 * message's author, and who resolved a thread, as the relay vouches for their client ids.
 */
import { readThreads } from '../../lib/comments';
import { DOC_TEXT } from '../../lib/doc-schema';
import type { RoomAuthors } from '../storage/authors';
import { authorIndex, readState } from './spans';

export function commentsOf(state: Uint8Array, known: RoomAuthors) {
  const authors = authorIndex(known);
  const threads = readState(state, (doc) => readThreads(doc.getText(DOC_TEXT)));
  return {
    threads: threads.map((thread) => ({
      id: thread.id,
      from: thread.from,
      to: thread.to,
      quote: thread.quote,
      onDeletedText: thread.onDeletedText,
      resolved: thread.resolved,
      resolvedBy: authors.ofClient(thread.resolvedBy),
      messages: thread.messages.map((message) => ({
        id: message.id,
        author: authors.ofClient(message.client),
        text: message.text,
        at: message.at,
        edited: message.edited,
        deleted: message.deleted,
      })),
    })),
  };
}
