'use client';

import type { ReactNode } from 'react';
import styles from './doc.module.css';
import { usePreference, viewMode } from './view-prefs';

/** The editor, preview and people side by side; `data-mode` decides which panes show. */
export function Workspace({ children }: { children: ReactNode }) {
  const mode = usePreference(viewMode, 'edit');
  return (
    // The page's main landmark: editor, preview and people (the editor is hidden in View).
    <main className={styles.workspace} data-mode={mode} data-testid="workspace">
      {children}
    </main>
  );
}
