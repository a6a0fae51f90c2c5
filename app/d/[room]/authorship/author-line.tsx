'use client';

import { backgroundClass } from '../color-classes';
import type { AuthorDirectory } from './author-directory';
import styles from './author-line.module.css';

/**
 * Who wrote a message (chat, comments) and when: their colour, name and "(you)", as the relay
 * vouches for the Yjs client id that wrote it (author-directory.ts), never a name in the message.
 */
export function AuthorLine({
  client,
  at,
  directory,
  children,
}: {
  client: number;
  at: number;
  directory: AuthorDirectory | null;
  children?: React.ReactNode;
}) {
  const author = directory?.authorOf(client);
  const mine = directory?.isMine(client) ?? false;
  const time = at > 0 ? new Date(at) : null;
  return (
    <div className={styles.line}>
      <span
        className={`${styles.dot} ${backgroundClass(author?.color ?? '#8a8a8a')}`}
        aria-hidden="true"
      />
      <bdi className={styles.author} data-testid="message-author">
        {author?.name ?? 'Someone'}
      </bdi>
      {mine ? <span className={styles.muted}>(you)</span> : null}
      {children}
      {time ? (
        <time className={styles.time} dateTime={time.toISOString()}>
          {time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
        </time>
      ) : null}
    </div>
  );
}
