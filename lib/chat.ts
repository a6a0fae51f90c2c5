/**
 * The chat beside a document: a Y.Array (`DOC_CHAT`) of Y.Maps `{id, text, at}`, kept in the
 * document so it syncs, persists, works offline and travels through the cluster like the text.
 * No author field: the author of a message is the client id of its map's Yjs item, which the
 * relay binds to a writer (server/authorship/), so nobody can post as someone else. Only the
 * last MAX_MESSAGES are kept: whoever posts past that deletes the oldest.
 */
import * as Y from 'yjs';
import { DOC_CHAT } from './doc-schema';

export const MAX_CHAT_MESSAGES = 1000;
export const MAX_CHAT_MESSAGE_LENGTH = 2000;

export interface ChatMessage {
  readonly id: string;
  readonly text: string;
  /** Milliseconds since the epoch, as the sender's clock said. */
  readonly at: number;
  /** The Yjs client id that wrote it (look the author up by it). */
  readonly client: number;
}

export function chatOf(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>(DOC_CHAT);
}

/** `text` trimmed at both ends and cut to the length limit; '' means nothing to send. */
export function chatText(text: string): string {
  return text.trim().slice(0, MAX_CHAT_MESSAGE_LENGTH);
}

/** Append a message (and drop the oldest past the limit) in one transaction. */
export function postChatMessage(doc: Y.Doc, text: string, id: string, at: number): void {
  const body = chatText(text);
  if (!body) return;
  const chat = chatOf(doc);
  doc.transact(() => {
    const message = new Y.Map<unknown>();
    message.set('id', id);
    message.set('text', body);
    message.set('at', at);
    chat.push([message]);
    const excess = chat.length - MAX_CHAT_MESSAGES;
    if (excess > 0) chat.delete(0, excess);
  });
}

/**
 * The messages, oldest first. A message someone else wrote with fields of the wrong type (the
 * document is shared, so anyone could) is shown with what is usable, never trusted.
 */
export function readChat(doc: Y.Doc): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const entry of chatOf(doc).toArray()) {
    if (!(entry instanceof Y.Map) || !entry._item) continue;
    const text = entry.get('text');
    const id = entry.get('id');
    const at = entry.get('at');
    messages.push({
      id: typeof id === 'string' ? id : `${entry._item.id.client}:${entry._item.id.clock}`,
      text: typeof text === 'string' ? text.slice(0, MAX_CHAT_MESSAGE_LENGTH) : '',
      at: typeof at === 'number' && Number.isFinite(at) ? at : 0,
      client: entry._item.id.client,
    });
  }
  return messages;
}
