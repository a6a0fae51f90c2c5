'use client';

import { useStore } from '../store';
import { IDLE, type UploadNotices } from './upload-notices';
import styles from './upload-status.module.css';

/**
 * The status line under the editor for pasted and dropped images: progress while uploading, a
 * short confirmation, or why a file was refused. A polite live region, so screen readers say it.
 */
export function UploadStatus({ notices }: { notices: UploadNotices }) {
  const notice = useStore(notices, IDLE);
  return (
    <div
      className={styles.status}
      role="status"
      aria-live="polite"
      data-testid="image-upload-status"
      data-kind={notice.kind}
    >
      {notice.kind === 'idle' ? null : (
        <>
          <span className={styles.text}>{notice.text}</span>
          {notice.kind === 'uploading' && (
            <progress
              className={styles.progress}
              max={100}
              value={notice.percent ?? undefined}
              aria-label="Upload progress"
            />
          )}
          {notice.kind === 'refused' && (
            <button type="button" className={styles.dismiss} onClick={() => notices.dismiss()}>
              Dismiss
            </button>
          )}
        </>
      )}
    </div>
  );
}
