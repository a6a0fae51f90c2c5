'use client';

import { useEffect } from 'react';
import { useSession } from './collab-root';
import { openPrintable } from './printable';
import { INITIAL_META } from './session';
import { useStore } from './store';

function isPrintKey(event: KeyboardEvent): boolean {
  return (
    (event.ctrlKey || event.metaKey) &&
    !event.altKey &&
    !event.shiftKey &&
    event.key.toLowerCase() === 'p'
  );
}

/**
 * Ctrl+P (⌘P) on a markdown document opens its printable page instead of printing the app (the
 * header, the editor's visible lines and a preview frame cut at its box). Other languages print
 * as the browser does. Renders nothing.
 */
export function PrintShortcut() {
  const session = useSession();
  const { language } = useStore(session?.metaState, INITIAL_META);
  useEffect(() => {
    if (!session || language !== 'markdown') return;
    const onKey = (event: KeyboardEvent) => {
      if (!isPrintKey(event)) return;
      event.preventDefault();
      if (!event.repeat) void openPrintable(session); // one tab per press, not per key repeat
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [session, language]);
  return null;
}
