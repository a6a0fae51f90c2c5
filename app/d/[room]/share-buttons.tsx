'use client';

import { useEffect, useState } from 'react';
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
