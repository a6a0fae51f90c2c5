'use client';

import { MAX_TITLE_LENGTH } from '../../../lib/doc-title';
import { useSession } from './collab-root';
import styles from './doc.module.css';
import { INITIAL_META } from './session';
import { useStore } from './store';

/**
 * The shared document title, edited inline in the header. While nobody has set one, the first
 * heading's text shows as its placeholder (dimmed), so typing replaces it with an explicit title.
 */
export function TitleInput() {
  const session = useSession();
  const { title } = useStore(session?.metaState, INITIAL_META);
  const headingTitle = useStore(session?.headingTitle, '');
  return (
    <input
      className={styles.title}
      data-testid="doc-title"
      aria-label="Document title"
      placeholder={headingTitle || 'Untitled'}
      data-derived-title={headingTitle || undefined}
      maxLength={MAX_TITLE_LENGTH}
      spellCheck={false}
      autoComplete="off"
      disabled={!session}
      readOnly={session?.readOnly ?? false}
      value={title}
      onChange={(event) => session?.setTitle(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === 'Escape') event.currentTarget.blur();
      }}
    />
  );
}
