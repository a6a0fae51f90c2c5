'use client';

import { useMemo } from 'react';
import { useSession } from '../collab-root';
import { backgroundClass } from '../color-classes';
import panel from '../sidebar-panel.module.css';
import { useStore } from '../store';
import { showAuthorsPref, usePreference } from '../view-prefs';
import styles from './authors-panel.module.css';

/**
 * "Show authors" (remembered in this browser, off until chosen) and, while it is on, the legend:
 * every author of the document in the colour their text is tinted with (show-authors.ts).
 */
export function AuthorsPanel() {
  const session = useSession();
  const on = usePreference(showAuthorsPref, false);
  const directory = useMemo(
    () => (on && session ? session.authorDirectory() : null),
    [on, session],
  );
  useStore(directory?.version, 0);
  const authors = directory?.legend() ?? [];
  return (
    <section className={panel.panel} aria-label="Authors" data-testid="authors-panel">
      <label className={styles.toggle}>
        <input
          type="checkbox"
          checked={on}
          disabled={!session}
          onChange={(event) => showAuthorsPref.set(event.target.checked)}
          data-testid="show-authors"
        />
        Show authors
      </label>
      {authors.length > 0 ? (
        <ul className={styles.legend} aria-label="Authors of this document">
          {authors.map((author) => (
            <li key={author.id} className={styles.author} data-testid="author-legend-item">
              <span
                className={`${styles.swatch} ${backgroundClass(author.color)}`}
                aria-hidden="true"
              />
              <bdi className={styles.name}>{author.name}</bdi>
              {author.self ? <span className={styles.you}> (you)</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
