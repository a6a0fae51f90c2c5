'use client';

import Link from 'next/link';
import { useMemo, useSyncExternalStore } from 'react';
import styles from './home.module.css';
import { parseRecentDocs, readRecentDocsRaw, subscribeRecentDocs } from './recent-docs-store';

const relativeTime = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

function formatWhen(timestamp: number, now: number): string {
  const seconds = Math.round((timestamp - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relativeTime.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** The documents this browser opened, most recent first (from localStorage; empty on the server). */
export function RecentDocs() {
  const raw = useSyncExternalStore(subscribeRecentDocs, readRecentDocsRaw, () => null);
  const docs = useMemo(() => parseRecentDocs(raw), [raw]);
  const now = Date.now();
  return (
    <>
      <ul className={styles.recentList} data-testid="recent-docs">
        {docs.map((doc) => (
          <li key={doc.id}>
            <Link href={`/d/${doc.id}`} className={styles.recentDoc} data-testid="recent-doc">
              <span className={styles.docIcon} aria-hidden="true" />
              <span className={styles.docTitle}>{doc.title || 'Untitled'}</span>
              <time className={styles.docWhen} dateTime={new Date(doc.lastOpened).toISOString()}>
                {formatWhen(doc.lastOpened, now)}
              </time>
            </Link>
          </li>
        ))}
      </ul>
      {raw !== null && docs.length > 0 ? null : (
        <p className={styles.empty}>Documents you open in this browser will appear here.</p>
      )}
    </>
  );
}
