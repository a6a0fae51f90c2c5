'use client';

import { useEffect, useRef } from 'react';
import { useSession } from './collab-root';
import styles from './doc.module.css';
import { createEditorView } from './editor-setup';

/** The CodeMirror editor, bound to the session's shared text. */
export function Editor() {
  const session = useSession();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!session || !host.current) return;
    return createEditorView(host.current, session);
  }, [session]);

  return (
    <div
      className={styles.editor}
      data-testid="editor"
      data-ready={session ? 'true' : 'false'}
      ref={host}
    />
  );
}
