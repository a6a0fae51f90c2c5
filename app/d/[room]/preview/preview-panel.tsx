'use client';

import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { OutlineHeading } from '../../../../lib/markdown/preview-protocol';
import type { CollabSession } from '../session';
import { useStore } from '../store';
import { outlineOpen, scrollSync, usePreference } from '../view-prefs';
import { FRAME_SANDBOX, frameDocument } from './frame-document';
import styles from './preview.module.css';
import { PreviewController } from './preview-controller';

const NO_HEADINGS: readonly OutlineHeading[] = [];

/**
 * The preview pane's contents, loaded lazily: a toolbar (outline, scroll sync), the outline of
 * the headings, and the sandboxed frame the rendered document shows in. The controller updates
 * the frame outside React; only the outline re-renders, and only when the headings change.
 */
export default function PreviewPanel({ session }: { session: CollabSession }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [controller, setController] = useState<PreviewController | null>(null);
  const srcDoc = useMemo(() => frameDocument(window.location.origin), []);
  const sync = usePreference(scrollSync, true);
  const showOutline = usePreference(outlineOpen, true);
  const headings = useStore(controller?.headings, NO_HEADINGS);
  const outlineId = useId();

  // A layout effect: it runs in the same task as the commit that inserted the frame, so the
  // controller listens before the frame can load and announce itself ready.
  useLayoutEffect(() => {
    if (!frame.current) return;
    const created = new PreviewController(frame.current, session);
    setController(created);
    return () => {
      created.dispose();
      setController(null);
    };
  }, [session]);

  useEffect(() => controller?.setScrollSync(sync), [controller, sync]);

  const minLevel = Math.min(...headings.map((h) => h.level), 6);
  return (
    <>
      <div className={styles.toolbar}>
        <button
          type="button"
          className={styles.toolButton}
          aria-expanded={showOutline}
          aria-controls={outlineId}
          onClick={() => outlineOpen.set(!showOutline)}
        >
          Outline
        </button>
        <label className={styles.toggle}>
          <input
            type="checkbox"
            checked={sync}
            onChange={(event) => scrollSync.set(event.target.checked)}
          />
          Scroll sync
        </label>
      </div>
      <div className={styles.body}>
        {showOutline && (
          <nav id={outlineId} className={styles.outline} aria-label="Outline">
            {headings.length === 0 ? (
              <p className={styles.empty}>No headings</p>
            ) : (
              <ol className={styles.outlineList}>
                {headings.map((heading) => (
                  <li
                    // Two headings never start on the same source line.
                    key={heading.line}
                    style={{ paddingLeft: `${(heading.level - minLevel) * 12}px` }}
                  >
                    <button
                      type="button"
                      className={styles.outlineItem}
                      onClick={() => controller?.jumpToLine(heading.line)}
                    >
                      {heading.text || 'Untitled section'}
                    </button>
                  </li>
                ))}
              </ol>
            )}
          </nav>
        )}
        <iframe
          ref={frame}
          className={styles.frame}
          title="Rendered document"
          sandbox={FRAME_SANDBOX}
          srcDoc={srcDoc}
          data-testid="preview-frame"
        />
      </div>
    </>
  );
}
