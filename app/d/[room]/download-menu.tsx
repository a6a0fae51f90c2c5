'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { downloadFileName } from '../../../lib/languages';
import { useSession } from './collab-root';
import styles from './doc.module.css';
import { openPrintable } from './printable';
import { type CollabSession, INITIAL_META } from './session';
import { useStore } from './store';

function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function downloadSource(session: CollabSession): void {
  const { language } = session.metaState.get();
  const blob = new Blob([session.text.toString()], { type: 'text/plain;charset=utf-8' });
  save(blob, downloadFileName(session.displayTitle(), language));
}

async function downloadHtml(session: CollabSession): Promise<void> {
  const { documentHtml } = await import('./export-html');
  const html = await documentHtml(session);
  save(
    new Blob([html], { type: 'text/html;charset=utf-8' }),
    downloadFileName(session.displayTitle(), 'markdown').replace(/\.md$/, '.html'),
  );
}

const ACTIONS = [
  { id: 'markdown', label: 'Markdown (.md)', run: downloadSource },
  { id: 'html', label: 'HTML page (.html)', run: downloadHtml },
  { id: 'print', label: 'Print or save as PDF…', run: openPrintable },
] as const;

/**
 * Download: a markdown document offers its source, a standalone HTML page and a printable page
 * (a small menu); any other language downloads its source at once, as "<title>.<extension>".
 */
export function DownloadButton() {
  const session = useSession();
  const { language } = useStore(session?.metaState, INITIAL_META);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const isMarkdown = language === 'markdown';

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onMenuKey = (event: React.KeyboardEvent) => {
    const items = [
      ...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []),
    ];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : items.length - 1;
      items[(index + step) % items.length]?.focus();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  return (
    <div className={styles.menuAnchor}>
      <button
        ref={button}
        type="button"
        className={styles.button}
        disabled={!session}
        aria-haspopup={isMarkdown ? 'menu' : undefined}
        aria-expanded={isMarkdown ? open : undefined}
        aria-controls={isMarkdown && open ? menuId : undefined}
        onClick={() => {
          if (!session) return;
          if (isMarkdown) setOpen(!open);
          else downloadSource(session);
        }}
      >
        Download
      </button>
      {open && session && (
        <div ref={menu} id={menuId} role="menu" className={styles.menu} onKeyDown={onMenuKey}>
          {ACTIONS.map((action) => (
            <button
              key={action.id}
              type="button"
              role="menuitem"
              className={styles.menuItem}
              onClick={() => {
                close();
                void action.run(session);
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
