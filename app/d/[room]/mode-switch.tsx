'use client';

import { useId } from 'react';
import styles from './doc.module.css';
import { usePreference, VIEW_MODES, type ViewMode, viewMode } from './view-prefs';

const LABELS: Record<ViewMode, string> = { edit: 'Edit', split: 'Split', view: 'View' };

/**
 * Edit | Split | View: a segmented control built from native radio buttons, so it is one tab
 * stop, the arrow keys move between the modes and screen readers announce a radio group.
 */
export function ModeSwitch() {
  const mode = usePreference(viewMode, 'edit');
  const name = useId();
  return (
    <fieldset className={styles.modeSwitch} data-testid="mode-switch">
      <legend className={styles.visuallyHidden}>View mode</legend>
      {VIEW_MODES.map((id) => (
        <label key={id} className={styles.modeOption}>
          <input
            type="radio"
            name={name}
            value={id}
            checked={mode === id}
            onChange={() => viewMode.set(id)}
          />
          {LABELS[id]}
        </label>
      ))}
    </fieldset>
  );
}
