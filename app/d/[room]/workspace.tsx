'use client';

import { type ReactNode, useSyncExternalStore } from 'react';
import type { Role } from '../../../lib/token';
import styles from './doc.module.css';
import { decideInitialMode, initialModeSettings } from './initial-mode-script';
import { useViewMode } from './view-mode';

const subscribeNever = () => () => {};

/**
 * The mode before the session knows the role. While hydrating a server-rendered page it is null:
 * the inline script after the workspace has set the attribute already (hence no hydration warning
 * for it). After a client-side navigation that script never runs, so the first client render
 * decides the mode itself, by the same rule, and the workspace never shows a wrong one first.
 */
function useInitialMode(room: string, role: Role | null) {
  return useSyncExternalStore(
    subscribeNever,
    () => decideInitialMode(initialModeSettings(room, role)),
    () => null,
  );
}

/** The editor, preview and people side by side; `data-mode` decides which panes show. */
export function Workspace({
  room,
  urlRole,
  children,
}: {
  room: string;
  urlRole: Role | null;
  children: ReactNode;
}) {
  const mode = useViewMode();
  const initialMode = useInitialMode(room, urlRole);
  return (
    // The page's main landmark: editor, preview and people (the editor is hidden in View).
    <main
      className={styles.workspace}
      data-mode={mode ?? initialMode ?? undefined}
      data-testid="workspace"
      suppressHydrationWarning
    >
      {children}
    </main>
  );
}
