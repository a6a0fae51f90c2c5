'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import type { ChatMessage } from '../../../../lib/chat';
import { MAX_CHAT_MESSAGE_LENGTH } from '../../../../lib/chat';
import type { AuthorDirectory } from '../authorship/author-directory';
import { AuthorLine } from '../authorship/author-line';
import { useSession } from '../collab-root';
import { MessageInput } from '../message-input';
import panel from '../sidebar-panel.module.css';
import { useStore } from '../store';
import styles from './chat-panel.module.css';

const NO_MESSAGES: readonly ChatMessage[] = [];

/**
 * The chat beside the document: a "Chat" toggle with the unread count, and while open the
 * messages (name, colour and time of their author as the relay vouches for it; the text as
 * text, never HTML) and a box where Enter sends and Shift+Enter starts a new line.
 */
export function ChatPanel() {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const unread = useStore(session?.chat.unread, 0);
  useEffect(() => {
    session?.chat.setOpen(open);
  }, [session, open]);
  return (
    <section className={panel.panel} aria-label="Chat" data-testid="chat">
      <button
        type="button"
        className={styles.toggle}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="chat-toggle"
      >
        Chat
        {unread > 0 ? (
          <span className={styles.badge} data-testid="chat-unread">
            {unread}
            <span className="visually-hidden"> unread</span>
          </span>
        ) : null}
      </button>
      {open && session ? <ChatBody /> : null}
    </section>
  );
}

function ChatBody() {
  const session = useSession();
  const messages = useStore(session?.chat.messages, NO_MESSAGES);
  const directory = useMemo(() => session?.authorDirectory() ?? null, [session]);
  // Names and colours change with presence and the relay's answers.
  useStore(directory?.version, 0);
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);

  useEffect(() => {
    const element = list.current;
    if (element && atBottom.current && messages.length > 0) {
      element.scrollTop = element.scrollHeight;
    }
  }, [messages]);

  return (
    <div className={styles.body}>
      <ol
        ref={list}
        className={styles.messages}
        aria-label="Messages"
        aria-live="polite"
        onScroll={(event) => {
          const element = event.currentTarget;
          atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
        }}
      >
        {messages.length === 0 ? <li className={styles.empty}>No messages yet.</li> : null}
        {messages.map((message) => (
          <Message key={message.id} message={message} directory={directory} />
        ))}
      </ol>
      <Composer />
    </div>
  );
}

function Message({
  message,
  directory,
}: {
  message: ChatMessage;
  directory: AuthorDirectory | null;
}) {
  return (
    <li className={styles.message} data-testid="chat-message">
      <AuthorLine client={message.client} at={message.at} directory={directory} />
      {/* Text, never markup: someone else wrote it. */}
      <p className={panel.messageText} dir="auto" data-testid="chat-text">
        {message.text}
      </p>
    </li>
  );
}

function Composer() {
  const session = useSession();
  const [draft, setDraft] = useState('');
  if (session?.readOnly) {
    return <p className={styles.readOnly}>View links can read the chat but not write in it.</p>;
  }
  const send = () => {
    if (!draft.trim()) return;
    session?.postChat(draft);
    setDraft('');
  };
  return (
    <form
      className={styles.composer}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <MessageInput
        aria-label="Message"
        placeholder="Message (Enter sends, Shift+Enter for a new line)"
        rows={2}
        maxLength={MAX_CHAT_MESSAGE_LENGTH}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onSubmit={send}
        data-testid="chat-input"
      />
      <button type="submit" className={`${panel.button} ${styles.send}`} disabled={!draft.trim()}>
        Send
      </button>
    </form>
  );
}
