'use client';

import { lazy, Suspense } from 'react';
import { useSession } from './collab-root';
import styles from './doc.module.css';
import { usePreference, viewMode } from './view-prefs';

/** The preview's code (renderer worker, frame, outline) loads only once a preview is shown. */
const PreviewPanel = lazy(() => import('./preview/preview-panel'));

export function PreviewPane() {
  const session = useSession();
  const mode = usePreference(viewMode, 'edit');
  if (mode === 'edit' || !session) return null;
  return (
    <section className={styles.previewPane} aria-label="Preview" data-testid="preview-pane">
      <Suspense fallback={<p className={styles.previewLoading}>Loading preview…</p>}>
        <PreviewPanel session={session} />
      </Suspense>
    </section>
  );
}
