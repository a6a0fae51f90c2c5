'use client';

import { useEffect, useRef, useState } from 'react';
import { useSession } from './collab-root';
import styles from './doc.module.css';
import { createEditorView } from './editor-setup';
import { UploadNotices } from './images/upload-notices';
import { UploadStatus } from './images/upload-status';

/** The CodeMirror editor, bound to the session's shared text, and its image-upload status. */
export function Editor() {
  const session = useSession();
  const host = useRef<HTMLDivElement>(null);
  const [uploadNotices] = useState(() => new UploadNotices());

  useEffect(() => {
    if (!session || !host.current) return;
    return createEditorView(host.current, session, uploadNotices);
  }, [session, uploadNotices]);

  return (
    <>
      <div
        className={styles.editor}
        data-testid="editor"
        data-ready={session ? 'true' : 'false'}
        ref={host}
      />
      <UploadStatus notices={uploadNotices} />
    </>
  );
}
