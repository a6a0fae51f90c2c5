'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import { useSession } from './collab-root';
import styles from './doc.module.css';
import own from './history.module.css';

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
        className={`${styles.button} ${own.historyButton}`}
        data-testid="history-button"
        aria-label="History"
        aria-expanded={open}
        disabled={!session}
        onClick={() => setOpen((was) => !was)}
      >
        {/* On phones only the clock shows, leaving the header's width to the other controls. */}
        <svg className={own.clock} viewBox="0 0 16 16" aria-hidden="true">
          <circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
        <span className={own.historyLabel}>History</span>
      </button>
      {open && session ? <HistoryPanel session={session} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
