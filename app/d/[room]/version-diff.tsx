'use client';

import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { editorTheme } from './editor-theme';
import styles from './history.module.css';
import type { CollabSession } from './session';

/** How long the current side waits after an edit before it re-diffs (others may be typing). */
const REFRESH_MS = 250;

const readOnly = [
  lineNumbers(),
  EditorView.lineWrapping,
  EditorState.readOnly.of(true),
  EditorView.editable.of(false),
  editorTheme,
];

const named = (label: string) => EditorView.contentAttributes.of({ 'aria-label': label });

/**
 * Side-by-side diff: the version (left) against the live text (right), both read-only. Unchanged
 * stretches collapse so a long document shows only what differs.
 */
export function VersionDiff({
  session,
  versionText,
}: {
  session: CollabSession;
  versionText: string;
}) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!host.current) return;
    const view = new MergeView({
      parent: host.current,
      a: { doc: versionText, extensions: [readOnly, named('This version')] },
      b: { doc: session.text.toString(), extensions: [readOnly, named('Current text')] },
      gutter: true,
      highlightChanges: true,
      collapseUnchanged: { margin: 3, minSize: 6 },
    });
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      timer = null;
      const current = session.text.toString();
      const shown = view.b.state.doc.toString();
      if (current !== shown) {
        view.b.dispatch({ changes: { from: 0, to: shown.length, insert: current } });
      }
    };
    const onChange = () => {
      timer ??= setTimeout(refresh, REFRESH_MS);
    };
    session.text.observe(onChange);
    return () => {
      session.text.unobserve(onChange);
      if (timer) clearTimeout(timer);
      view.destroy();
    };
  }, [session, versionText]);

  return (
    // Focusable, so keyboard users can scroll a long diff (CodeMirror's read-only views are not).
    <section
      className={styles.diff}
      data-testid="version-diff"
      aria-label="Changes from this version to the current text"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus.
      tabIndex={0}
    >
      <div className={styles.diffSides} aria-hidden="true">
        <span>This version</span>
        <span>Current text</span>
      </div>
      <div ref={host} />
    </section>
  );
}
