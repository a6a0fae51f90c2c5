'use client';

import { useMemo, useState } from 'react';
import {
  type CommentMessage,
  type CommentThread,
  MAX_COMMENT_LENGTH,
} from '../../../../lib/comments';
import type { AuthorDirectory } from '../authorship/author-directory';
import { AuthorLine } from '../authorship/author-line';
import { useSession } from '../collab-root';
import { MessageInput } from '../message-input';
import panel from '../sidebar-panel.module.css';
import { useStore } from '../store';
import styles from './comments-panel.module.css';

const NO_THREADS: readonly CommentThread[] = [];

/**
 * Comment threads beside the text: "Comment" on a selection starts one; each thread shows its
 * quoted text (click: the editor selects it), its messages with their authors as the relay
 * vouches for them, replies, resolve / reopen, and editing or deleting your own messages.
 * A view link reads them but writes nothing.
 */
export function CommentsPanel() {
  const session = useSession();
  const threads = useStore(session?.comments.threads, NO_THREADS);
  const hasSelection = useStore(session?.hasSelection, false);
  const directory = useMemo(() => session?.authorDirectory() ?? null, [session]);
  useStore(directory?.version, 0);
  const [draft, setDraft] = useState<{ from: number; to: number; quote: string } | null>(null);
  const [showResolved, setShowResolved] = useState(false);
  const readOnly = session?.readOnly ?? true;
  const open = threads.filter((t) => !t.resolved);
  const resolved = threads.filter((t) => t.resolved);

  const startDraft = () => {
    const view = session?.editorView.get();
    if (!view) return;
    const { from, to } = view.state.selection.main;
    if (from === to) return;
    setDraft({ from, to, quote: view.state.sliceDoc(from, to).slice(0, 200) });
  };

  return (
    <section className={panel.panel} aria-label="Comments" data-testid="comments">
      <div className={styles.header}>
        <h2 className={styles.heading}>Comments</h2>
        <span className={styles.count}>{open.length || ''}</span>
        {readOnly ? null : (
          <button
            type="button"
            className={panel.button}
            disabled={!hasSelection}
            onClick={startDraft}
            data-testid="comment-start"
          >
            Comment
          </button>
        )}
      </div>
      {draft ? (
        <NewThread
          quote={draft.quote}
          onCancel={() => setDraft(null)}
          onSubmit={(text) => {
            const id = session?.comments.start(draft, text) ?? null;
            setDraft(null);
            if (id) session?.comments.active.set(id);
          }}
        />
      ) : null}
      {threads.length === 0 && !draft ? (
        <p className={styles.empty}>
          {readOnly ? 'No comments.' : 'Select text and press Comment to start a thread.'}
        </p>
      ) : null}
      <ul className={styles.threads}>
        {open.map((thread) => (
          <Thread key={thread.id} thread={thread} directory={directory} readOnly={readOnly} />
        ))}
      </ul>
      {resolved.length > 0 ? (
        <button
          type="button"
          className={styles.link}
          aria-expanded={showResolved}
          onClick={() => setShowResolved(!showResolved)}
        >
          {showResolved ? 'Hide' : 'Show'} resolved ({resolved.length})
        </button>
      ) : null}
      {showResolved ? (
        <ul className={styles.threads}>
          {resolved.map((thread) => (
            <Thread key={thread.id} thread={thread} directory={directory} readOnly={readOnly} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function NewThread({
  quote,
  onSubmit,
  onCancel,
}: {
  quote: string;
  onSubmit: (text: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState('');
  const submit = () => {
    if (text.trim()) onSubmit(text);
  };
  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <blockquote className={styles.quote}>{quote}</blockquote>
      <MessageInput
        aria-label="New comment"
        rows={2}
        maxLength={MAX_COMMENT_LENGTH}
        value={text}
        autoFocus
        onChange={(event) => setText(event.target.value)}
        onSubmit={submit}
        onCancel={onCancel}
        data-testid="comment-input"
      />
      <div className={styles.actions}>
        <button type="button" className={styles.link} onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className={panel.button} disabled={!text.trim()}>
          Comment
        </button>
      </div>
    </form>
  );
}

function Thread({
  thread,
  directory,
  readOnly,
}: {
  thread: CommentThread;
  directory: AuthorDirectory | null;
  readOnly: boolean;
}) {
  const session = useSession();
  const active = useStore(session?.comments.active, null) === thread.id;
  const [reply, setReply] = useState('');
  const sendReply = () => {
    if (!reply.trim()) return;
    session?.comments.reply(thread.id, reply);
    setReply('');
  };
  const reveal = () => {
    session?.comments.active.set(thread.id);
    const view = session?.editorView.get();
    if (!view || thread.onDeletedText || thread.to > view.state.doc.length) return;
    view.dispatch({
      selection: { anchor: thread.from, head: thread.to },
      scrollIntoView: true,
    });
    view.focus();
  };
  const resolvedBy = thread.resolvedBy !== null ? directory?.authorOf(thread.resolvedBy) : null;
  return (
    <li
      className={`${styles.thread} ${active ? styles.active : ''}`}
      data-testid="comment-thread"
      data-resolved={thread.resolved}
    >
      <button type="button" className={styles.quoteButton} onClick={reveal}>
        <span className="visually-hidden">Show the commented text: </span>
        <q className={styles.quoteText}>{thread.quote}</q>
      </button>
      {thread.onDeletedText ? (
        <span className={styles.tag} data-testid="comment-deleted-text">
          on deleted text
        </span>
      ) : null}
      <ol className={styles.messages}>
        {thread.messages.map((message) => (
          <Message
            key={message.id}
            threadId={thread.id}
            message={message}
            directory={directory}
            readOnly={readOnly}
          />
        ))}
      </ol>
      {thread.resolved ? (
        <p className={styles.muted} data-testid="comment-resolved-by">
          Resolved{resolvedBy ? ` by ${resolvedBy.name}` : ''}
        </p>
      ) : null}
      {readOnly ? null : (
        <div className={styles.form}>
          {thread.resolved ? null : (
            <MessageInput
              aria-label="Reply"
              placeholder="Reply"
              rows={1}
              maxLength={MAX_COMMENT_LENGTH}
              value={reply}
              onChange={(event) => setReply(event.target.value)}
              onSubmit={sendReply}
              data-testid="comment-reply"
            />
          )}
          <div className={styles.actions}>
            <button
              type="button"
              className={styles.link}
              onClick={() => session?.comments.setResolved(thread.id, !thread.resolved)}
              data-testid="comment-resolve"
            >
              {thread.resolved ? 'Reopen' : 'Resolve'}
            </button>
            {thread.resolved ? null : (
              <button
                type="button"
                className={panel.button}
                disabled={!reply.trim()}
                onClick={sendReply}
              >
                Reply
              </button>
            )}
          </div>
        </div>
      )}
    </li>
  );
}

function Message({
  threadId,
  message,
  directory,
  readOnly,
}: {
  threadId: string;
  message: CommentMessage;
  directory: AuthorDirectory | null;
  readOnly: boolean;
}) {
  const session = useSession();
  const [editing, setEditing] = useState<string | null>(null);
  const mine = !readOnly && !message.deleted && (directory?.isMine(message.client) ?? false);
  const save = () => {
    if (editing?.trim()) session?.comments.edit(threadId, message.id, editing);
    setEditing(null);
  };
  return (
    <li className={styles.message} data-testid="comment-message">
      <AuthorLine client={message.client} at={message.at} directory={directory}>
        {message.edited && !message.deleted ? <span className={styles.muted}>(edited)</span> : null}
      </AuthorLine>
      {editing !== null ? (
        <MessageInput
          aria-label="Edit comment"
          rows={2}
          maxLength={MAX_COMMENT_LENGTH}
          value={editing}
          onChange={(event) => setEditing(event.target.value)}
          onSubmit={save}
          onCancel={() => setEditing(null)}
        />
      ) : message.deleted ? (
        <p className={styles.muted}>Deleted</p>
      ) : (
        // Text, never markup: someone else wrote it.
        <p className={panel.messageText} dir="auto" data-testid="comment-text">
          {message.text}
        </p>
      )}
      {mine && editing === null ? (
        <div className={styles.actions}>
          <button type="button" className={styles.link} onClick={() => setEditing(message.text)}>
            Edit
          </button>
          <button
            type="button"
            className={styles.link}
            onClick={() => session?.comments.remove(threadId, message.id)}
          >
            Delete
          </button>
        </div>
      ) : null}
    </li>
  );
}
