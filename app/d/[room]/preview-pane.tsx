'use client';

import { lazy, Suspense } from 'react';
import { useSession } from './collab-root';
import styles from './doc.module.css';
import { useViewMode } from './view-mode';

/** The preview's code (renderer worker, frame, outline) loads only once a preview is shown. */
const PreviewPanel = lazy(() => import('./preview/preview-panel'));

const LOADING = <p className={styles.previewLoading}>Loading preview…</p>;

/**
 * The preview pane. Until the mode is known (server render, hydration) the pane is there with a
 * placeholder and CSS shows or hides it by the workspace's mode, so nothing moves when the
 * session arrives; in Edit it is not rendered at all.
 */
export function PreviewPane() {
  const session = useSession();
  const mode = useViewMode();
  if (mode === 'edit') return null;
  return (
    <section className={styles.previewPane} aria-label="Preview" data-testid="preview-pane">
      {session && mode ? (
        <Suspense fallback={LOADING}>
          <PreviewPanel session={session} />
        </Suspense>
      ) : (
        LOADING
      )}
    </section>
  );
}
