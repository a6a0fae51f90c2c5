'use client';

import { useId } from 'react';
import { useSession } from './collab-root';
import styles from './doc.module.css';
import { chooseViewMode, modesFor, useViewMode } from './view-mode';
import type { ViewMode } from './view-prefs';

const LABELS: Record<ViewMode, string> = { edit: 'Edit', split: 'Split', view: 'View' };
/** A reader's Edit is the read-only editor: the document's source. */
const READER_LABELS: Record<ViewMode, string> = { ...LABELS, edit: 'Source' };

/**
 * Edit | Split | View for editors, View | Source for view links: a segmented control built from
 * native radio buttons, so it is one tab stop, the arrow keys move between the modes and screen
 * readers announce a radio group. `reader` is the server's guess from the link's token, used
 * until the session knows.
 */
export function ModeSwitch({ reader = false }: { reader?: boolean }) {
  const session = useSession();
  const mode = useViewMode();
  const name = useId();
  const readOnly = session ? session.readOnly : reader;
  const labels = readOnly ? READER_LABELS : LABELS;
  return (
    <fieldset className={styles.modeSwitch} data-testid="mode-switch">
      <legend className={styles.visuallyHidden}>View mode</legend>
      {modesFor(readOnly).map((id) => (
        <label key={id} className={styles.modeOption}>
          <input
            type="radio"
            name={name}
            value={id}
            checked={mode === id}
            onChange={() => chooseViewMode(readOnly, id)}
          />
          {labels[id]}
        </label>
      ))}
    </fieldset>
  );
}
