'use client';

import { useEffect, useState } from 'react';
import { downloadFileName } from '../../../lib/languages';
import { useSession } from './collab-root';
import styles from './doc.module.css';

const CONFIRMATION_MS = 2000;

/** Clipboard API where allowed (secure contexts); the old copy command elsewhere. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    return copied;
  }
}

export function CopyLinkButton() {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className={styles.button}
      data-copied={copied}
      onClick={async () => setCopied(await copyText(window.location.href))}
    >
      {copied ? 'Link copied' : 'Copy link'}
    </button>
  );
}

/** Saves the text as "<title>.<language extension>" (the title may come from the first heading). */
export function DownloadButton() {
  const session = useSession();
  return (
    <button
      type="button"
      className={styles.button}
      disabled={!session}
      onClick={() => {
        if (!session) return;
        const { language } = session.metaState.get();
        const url = URL.createObjectURL(
          new Blob([session.text.toString()], { type: 'text/plain;charset=utf-8' }),
        );
        const link = document.createElement('a');
        link.href = url;
        link.download = downloadFileName(session.displayTitle(), language);
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 0);
      }}
    >
      Download
    </button>
  );
}
