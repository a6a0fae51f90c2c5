'use client';

import type { ReactNode } from 'react';
import styles from './doc.module.css';
import { useViewMode } from './view-mode';

/**
 * The editor, preview and people side by side; `data-mode` decides which panes show. Until the
 * mode is known it is left as the inline script after this element set it (hence no hydration
 * warning for that attribute).
 */
export function Workspace({ children }: { children: ReactNode }) {
  const mode = useViewMode();
  return (
    // The page's main landmark: editor, preview and people (the editor is hidden in View).
    <main
      className={styles.workspace}
      data-mode={mode ?? undefined}
      data-testid="workspace"
      suppressHydrationWarning
    >
      {children}
    </main>
  );
}
