'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import { useSession } from './collab-root';
import styles from './doc.module.css';

// Loaded on first open only: the diff view (@codemirror/merge) stays out of the editor's
// first-load JavaScript.
const HistoryPanel = dynamic(() => import('./history-panel').then((m) => m.HistoryPanel), {
  ssr: false,
});

/** Opens the version history drawer. */
export function HistoryButton() {
  const session = useSession();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={styles.button}
        data-testid="history-button"
        aria-expanded={open}
        disabled={!session}
        onClick={() => setOpen((was) => !was)}
      >
        History
      </button>
      {open && session ? <HistoryPanel session={session} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
