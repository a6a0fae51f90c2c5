'use client';

import { useSession } from './collab-root';
import styles from './doc.module.css';
import { INITIAL_META } from './session';
import { useStore } from './store';

const MAX_TITLE_LENGTH = 200;

/** The shared document title, edited inline in the header. */
export function TitleInput() {
  const session = useSession();
  const { title } = useStore(session?.metaState, INITIAL_META);
  return (
    <input
      className={styles.title}
      data-testid="doc-title"
      aria-label="Document title"
      placeholder="Untitled"
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
