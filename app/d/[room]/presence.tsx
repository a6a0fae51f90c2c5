'use client';

import { useState } from 'react';
import { initials, textColorOn } from '../../../lib/names';
import { useSession } from './collab-root';
import { backgroundClass } from './color-classes';
import styles from './doc.module.css';
import { rememberName } from './identity';
import { NOBODY, type Person } from './presence-feed';
import { useStore } from './store';

/**
 * Everyone in the room (yourself first, marked "(you)"), in their cursor colours. Each other
 * person is a button: follow their cursor (follow mode), or stop when already following them.
 */
export function Presence() {
  const session = useSession();
  const people = useStore(session?.presence.people, NOBODY);
  const leader = useStore(session?.follow.leader, null);
  return (
    <section className={styles.presence} aria-label="People here" data-testid="presence">
      <div className={styles.sectionTitle}>
        <h2 className={styles.sectionHeading}>People here</h2>
        <span className={styles.count}>{people.length || ''}</span>
      </div>
      <ul className={styles.people}>
        {people.map((person) => (
          <li key={person.clientId} className={styles.person} data-testid="presence-user">
            {person.self ? (
              <PersonLabel person={person} />
            ) : (
              <button
                type="button"
                className={styles.personButton}
                aria-pressed={leader === person.clientId}
                onClick={() => session?.follow.toggle(person.clientId)}
              >
                <PersonLabel person={person} action="Follow " />
              </button>
            )}
          </li>
        ))}
      </ul>
      <NameInput />
    </section>
  );
}

/**
 * Avatar and name of one person in the list. `action` starts the accessible name ("Follow
 * alice"), hidden from sight: named by its content, a button keeps its visible name in it.
 */
function PersonLabel({ person, action }: { person: Person; action?: string }) {
  return (
    <>
      <span
        className={`${styles.avatar} ${backgroundClass(person.color)}`}
        style={{ color: textColorOn(person.color) }}
        aria-hidden="true"
      >
        {initials(person.name)}
      </span>
      <span className={styles.personName}>
        {action ? <span className="visually-hidden">{action}</span> : null}
        <bdi>{person.name}</bdi>
        {person.self ? <span className={styles.you}> (you)</span> : null}
      </span>
    </>
  );
}

/** Your display name: shown to others at once, remembered in this browser. */
function NameInput() {
  const session = useSession();
  const people = useStore(session?.presence.people, NOBODY);
  const current = people.find((p) => p.self)?.name ?? '';
  // While you type, the field shows your draft (which may be empty); otherwise the shared name.
  const [draft, setDraft] = useState<string | null>(null);

  return (
    <label className={styles.nameField}>
      <span className={styles.nameLabel}>Your name</span>
      <input
        data-testid="display-name"
        aria-label="Your name"
        className={styles.nameInput}
        maxLength={40}
        autoComplete="nickname"
        disabled={!session}
        value={draft ?? current}
        onChange={(event) => {
          setDraft(event.target.value);
          const user = session?.setName(event.target.value);
          if (user) rememberName(user);
        }}
        onBlur={() => setDraft(null)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') event.currentTarget.blur();
        }}
      />
    </label>
  );
}
