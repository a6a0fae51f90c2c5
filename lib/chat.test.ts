import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  chatOf,
  MAX_CHAT_MESSAGE_LENGTH,
  MAX_CHAT_MESSAGES,
  postChatMessage,
  readChat,
} from './chat';

describe('chat', () => {
  it('posts trimmed messages attributed to the writing client', () => {
    const doc = new Y.Doc();
    doc.clientID = 7;
    postChatMessage(doc, '  hello\nworld  ', 'm1', 1000);
    postChatMessage(doc, '   ', 'm2', 1001);
    expect(readChat(doc)).toEqual([{ id: 'm1', text: 'hello\nworld', at: 1000, client: 7 }]);
  });

  it('cuts long messages and keeps only the newest messages', () => {
    const doc = new Y.Doc();
    postChatMessage(doc, 'x'.repeat(MAX_CHAT_MESSAGE_LENGTH + 10), 'long', 1);
    expect(readChat(doc)[0]?.text).toHaveLength(MAX_CHAT_MESSAGE_LENGTH);
    for (let i = 0; i < MAX_CHAT_MESSAGES + 5; i++) postChatMessage(doc, `m${i}`, `id${i}`, i);
    const messages = readChat(doc);
    expect(messages).toHaveLength(MAX_CHAT_MESSAGES);
    expect(messages[0]?.text).toBe('m5');
    expect(messages.at(-1)?.text).toBe(`m${MAX_CHAT_MESSAGES + 4}`);
  });

  it('shows hostile entries only with what is usable', () => {
    const doc = new Y.Doc();
    doc.clientID = 3;
    const odd = new Y.Map<unknown>();
    odd.set('text', 42);
    odd.set('at', 'yesterday');
    chatOf(doc).push([odd]);
    (chatOf(doc) as unknown as Y.Array<unknown>).push(['not a map']);
    expect(readChat(doc)).toEqual([
      { id: expect.stringMatching(/^3:/), text: '', at: 0, client: 3 },
    ]);
  });
});
