'use client';

import { isLanguageId, LANGUAGES } from '../../../lib/languages';
import { useSession } from './collab-root';
import styles from './doc.module.css';
import { INITIAL_META } from './session';
import { useStore } from './store';

/** The document's language, shared with everyone in the room. */
export function LanguagePicker() {
  const session = useSession();
  const { language } = useStore(session?.metaState, INITIAL_META);
  return (
    <select
      className={styles.select}
      data-testid="language-picker"
      aria-label="Language"
      disabled={!session || session.readOnly}
      value={language}
      onChange={(event) => {
        if (isLanguageId(event.target.value)) session?.setLanguage(event.target.value);
      }}
    >
      {LANGUAGES.map((l) => (
        <option key={l.id} value={l.id}>
          {l.label}
        </option>
      ))}
    </select>
  );
}
