'use client';

import { useSession } from './collab-root';
import { useStore } from './store';
import {
  READER_MODES,
  readerMode,
  usePreference,
  VIEW_MODES,
  type ViewMode,
  viewMode,
} from './view-prefs';

/**
 * The mode the workspace shows: an editor's remembered Edit | Split | View, or a reader's View |
 * Source. Null until the session knows the role (on the server, while hydrating, and for the
 * moment before the session exists); the script from {@link initialModeScript} has set the
 * workspace's mode before the first paint, so null means "leave it as it is".
 */
export function useViewMode(): ViewMode | null {
  const session = useSession();
  const preferred = usePreference(viewMode, 'edit');
  const reading = useStore(readerMode, 'view');
  if (!session) return null;
  return session.readOnly ? reading : preferred;
}

/** Sets the mode for whoever is looking: the reader's for this page, else the remembered one. */
export function chooseViewMode(readOnly: boolean, mode: ViewMode): void {
  if (readOnly) readerMode.set(mode);
  else viewMode.set(mode);
}

export function modesFor(readOnly: boolean): readonly ViewMode[] {
  return readOnly ? READER_MODES : VIEW_MODES;
}
