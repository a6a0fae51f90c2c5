/**
 * Comment threads on a document's text, kept in the document (`DOC_COMMENTS`, a Y.Map of thread
 * Y.Maps) so offline editing, the cluster and version history carry them like the text:
 *
 *   thread: { anchor: {start, end} (Yjs relative positions, JSON), quote, resolved,
 *             messages: Y.Array<Y.Map{ id, text, at, edited?, deleted? }> }
 *
 * The anchor follows concurrent edits: `start` sticks to the first character of the range,
 * `end` to the last (assoc -1), so typing right after the range does not join it. When all of
 * the range is deleted both ends meet and the thread is kept, "on deleted text". As in the chat,
 * no message names its author: the author of a message (or of a resolve) is the client id of its
 * Yjs item, which the relay binds to a writer (server/authorship/). Nobody can post as someone
 * else; the page offers editing and deleting only on your own messages.
 */
import * as Y from 'yjs';
import { DOC_COMMENTS } from './doc-schema';

export const MAX_COMMENT_LENGTH = 4000;
/** The quoted text kept with a thread (shown once the text is gone). */
export const MAX_QUOTE_LENGTH = 200;

export interface CommentMessage {
  readonly id: string;
  /** '' once deleted. */
  readonly text: string;
  readonly at: number;
  readonly client: number;
  readonly edited: boolean;
  readonly deleted: boolean;
}

export interface CommentThread {
  readonly id: string;
  /** Current offsets of the anchored text (UTF-16); from === to when it was deleted. */
  readonly from: number;
  readonly to: number;
  readonly onDeletedText: boolean;
  readonly quote: string;
  readonly resolved: boolean;
  /** Who last resolved or reopened it (client id), null if nobody has. */
  readonly resolvedBy: number | null;
  readonly messages: readonly CommentMessage[];
}

export function threadsOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(DOC_COMMENTS);
}

function messageMap(id: string, text: string, at: number): Y.Map<unknown> {
  const message = new Y.Map<unknown>();
  message.set('id', id);
  message.set('text', text.trim().slice(0, MAX_COMMENT_LENGTH));
  message.set('at', at);
  return message;
}

/** Start a thread on [from, to) of `text` with its first message. */
export function startThread(
  text: Y.Text,
  range: { from: number; to: number },
  first: { threadId: string; messageId: string; text: string; at: number },
): void {
  const doc = text.doc as Y.Doc;
  if (range.to <= range.from || !first.text.trim()) return;
  doc.transact(() => {
    const thread = new Y.Map<unknown>();
    thread.set('anchor', {
      start: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, range.from, 0)),
      end: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, range.to, -1)),
    });
    thread.set('quote', text.toString().slice(range.from, range.to).slice(0, MAX_QUOTE_LENGTH));
    thread.set('resolved', false);
    const messages = new Y.Array<Y.Map<unknown>>();
    messages.push([messageMap(first.messageId, first.text, first.at)]);
    thread.set('messages', messages);
    threadsOf(doc).set(first.threadId, thread);
  });
}

function messagesOf(doc: Y.Doc, threadId: string): Y.Array<Y.Map<unknown>> | null {
  const messages = threadsOf(doc).get(threadId)?.get('messages');
  return messages instanceof Y.Array ? (messages as Y.Array<Y.Map<unknown>>) : null;
}

export function reply(
  doc: Y.Doc,
  threadId: string,
  message: { id: string; text: string; at: number },
): void {
  if (!message.text.trim()) return;
  messagesOf(doc, threadId)?.push([messageMap(message.id, message.text, message.at)]);
}

function findMessage(doc: Y.Doc, threadId: string, messageId: string): Y.Map<unknown> | null {
  for (const message of messagesOf(doc, threadId)?.toArray() ?? []) {
    if (message instanceof Y.Map && message.get('id') === messageId) return message;
  }
  return null;
}

export function editMessage(
  doc: Y.Doc,
  threadId: string,
  messageId: string,
  text: string,
  at: number,
): void {
  const message = findMessage(doc, threadId, messageId);
  if (!message || message.get('deleted') === true || !text.trim()) return;
  doc.transact(() => {
    message.set('text', text.trim().slice(0, MAX_COMMENT_LENGTH));
    message.set('edited', at);
  });
}

/** Deleting keeps the message's place in the thread ("deleted") and drops its text. */
export function deleteMessage(doc: Y.Doc, threadId: string, messageId: string): void {
  const message = findMessage(doc, threadId, messageId);
  if (!message) return;
  doc.transact(() => {
    message.set('text', '');
    message.set('deleted', true);
  });
}

export function setResolved(doc: Y.Doc, threadId: string, resolved: boolean): void {
  threadsOf(doc).get(threadId)?.set('resolved', resolved);
}

function absolute(text: Y.Text, json: unknown): number | null {
  if (typeof json !== 'object' || json === null) return null;
  try {
    const position = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(json),
      text.doc as Y.Doc,
    );
    return position && position.type === text ? position.index : null;
  } catch {
    // Someone else's JSON: a malformed position anchors nothing.
    return null;
  }
}

/** The client id that wrote `key` of `map` last. */
function writerOf(map: Y.Map<unknown>, key: string): number | null {
  return map._map.get(key)?.id.client ?? null;
}

function readMessage(entry: unknown): CommentMessage | null {
  if (!(entry instanceof Y.Map) || !entry._item) return null;
  const id = entry.get('id');
  const text = entry.get('text');
  const at = entry.get('at');
  const deleted = entry.get('deleted') === true;
  return {
    id: typeof id === 'string' ? id : `${entry._item.id.client}:${entry._item.id.clock}`,
    text: deleted || typeof text !== 'string' ? '' : text.slice(0, MAX_COMMENT_LENGTH),
    at: typeof at === 'number' && Number.isFinite(at) ? at : 0,
    client: entry._item.id.client,
    edited: typeof entry.get('edited') === 'number',
    deleted,
  };
}

/**
 * Every thread with its anchor resolved against `text`, in document order (threads on deleted
 * text last). Fields of the wrong type (anyone can write the document) are read defensively.
 */
export function readThreads(text: Y.Text): CommentThread[] {
  const threads: CommentThread[] = [];
  for (const [id, thread] of threadsOf(text.doc as Y.Doc).entries()) {
    if (!(thread instanceof Y.Map)) continue;
    const anchor = thread.get('anchor') as { start?: unknown; end?: unknown } | undefined;
    const start = absolute(text, anchor?.start);
    const end = absolute(text, anchor?.end);
    if (start === null || end === null) continue;
    // `end` sticks to the last character (assoc -1) and resolves to just past it.
    const onDeletedText = end <= start;
    const messages = (thread.get('messages') as Y.Array<unknown> | undefined)?.toArray?.() ?? [];
    const quote = thread.get('quote');
    threads.push({
      id,
      from: start,
      to: onDeletedText ? start : end,
      onDeletedText,
      quote: typeof quote === 'string' ? quote.slice(0, MAX_QUOTE_LENGTH) : '',
      resolved: thread.get('resolved') === true,
      resolvedBy: thread.has('resolved') ? writerOf(thread, 'resolved') : null,
      messages: messages.map(readMessage).filter((m): m is CommentMessage => m !== null),
    });
  }
  return threads.sort(
    (a, b) =>
      Number(a.onDeletedText) - Number(b.onDeletedText) ||
      a.from - b.from ||
      (a.id < b.id ? -1 : 1),
  );
}
